//! "Test connection": a free call that proves the key and the route work, and
//! says what to do when they don't.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::ConnectionContext;
use crate::core::config::connection_verdict::ConnectionVerdict;
use crate::core::fal::calls::test_connection;
use crate::core::fal::connection_check::{self, ConnectionCheck};
use crate::core::fal::endpoint::QueueEndpoint;
use crate::core::fal::error::{FalError, FalErrorKind};
use crate::core::fal::transport::FalKey;
use crate::web::fetch::{send, FetchFailure};
use crate::web::timer::now_secs;

/// Where the check stands.
#[derive(Clone, PartialEq)]
enum CheckState {
    Idle,
    Running,
    Done(ConnectionVerdict),
}

/// Button plus a live result line.
#[component]
pub fn TestConnection() -> impl IntoView {
    let connection = ConnectionContext::expect();
    // The last check and the key it was made with.
    let last = RwSignal::new(None::<(Option<FalKey>, CheckState)>);
    // A check made with another key says nothing about this one.
    let state = Memo::new(move |_| {
        last.with(|last| match last {
            Some((key, state)) if connection.key.with(|now| now == key) => state.clone(),
            _ => CheckState::Idle,
        })
    });
    let finish = move |key: Option<FalKey>, verdict: ConnectionVerdict| {
        last.try_set(Some((key, CheckState::Done(verdict))));
    };

    let run = move |_| {
        let key = connection.key.get_untracked();
        let Some(Ok(transport)) = untrack(|| connection.transport()) else {
            return finish(key, ConnectionVerdict::needs_key());
        };
        let Ok(endpoint) = connection.config.with_value(QueueEndpoint::from_config) else {
            return finish(key, ConnectionVerdict::unusable_endpoint());
        };
        let mode = connection.mode.get_untracked();
        let request = transport.prepare(&test_connection(&endpoint));
        last.set(Some((key.clone(), CheckState::Running)));
        spawn_local(async move {
            let check = match send(&request, None, None).await {
                Ok(response) => {
                    let check = connection_check::interpret(&response, now_secs());
                    // A proxy that needs a code (or a sign-in) says so here
                    // too: the Connection panel then asks for it.
                    if let ConnectionCheck::Failed(FalError {
                        kind: FalErrorKind::Access(refusal),
                        ..
                    }) = &check
                    {
                        connection.access.note(refusal.clone());
                    }
                    check
                }
                Err(FetchFailure::Network(failure)) => {
                    connection_check::unreachable(FalError::network(failure))
                }
                Err(FetchFailure::Aborted) => return,
            };
            finish(key, ConnectionVerdict::of(&check, mode));
        });
    };

    view! {
        <div class="test-connection">
            <button
                type="button"
                class="button button-secondary"
                on:click=run
                disabled=move || state.get() == CheckState::Running
            >
                "Test connection"
            </button>
            <p class="test-connection-result" role="status" aria-live="polite">
                {move || match state.get() {
                    CheckState::Idle => None,
                    CheckState::Running => Some(view! { <span>"Checking…"</span> }.into_any()),
                    CheckState::Done(verdict) => Some(view! {
                        <span class=if verdict.ok { "check-ok" } else { "check-failed" }>{verdict.message}</span>
                    }.into_any()),
                }}
            </p>
        </div>
    }
}
