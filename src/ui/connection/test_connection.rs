//! "Test connection": a free call that proves the key and the route work, and
//! says what to do when they don't.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::ConnectionContext;
use crate::core::fal::calls::test_connection;
use crate::core::fal::connection_check::{self, ConnectionCheck};
use crate::core::fal::endpoint::QueueEndpoint;
use crate::core::fal::error::FalError;
use crate::web::fetch::{send, FetchFailure};
use crate::web::timer::now_secs;

/// The last check's outcome, for display.
#[derive(Clone, PartialEq)]
enum CheckState {
    Idle,
    Running,
    Done { ok: bool, message: String },
}

/// Button plus a live result line.
#[component]
pub fn TestConnection() -> impl IntoView {
    let connection = ConnectionContext::expect();
    let state = RwSignal::new(CheckState::Idle);
    // A new key or mode makes an old verdict meaningless.
    Effect::new(move |_| {
        connection.key.track();
        state.set(CheckState::Idle);
    });

    let run = move |_| {
        let Some(Ok(transport)) = connection.transport() else {
            state.set(CheckState::Done {
                ok: false,
                message: "Enter a valid fal key first.".into(),
            });
            return;
        };
        let mode = connection.mode();
        let endpoint = connection.config.with_value(QueueEndpoint::from_config);
        let Ok(endpoint) = endpoint else {
            state.set(CheckState::Done {
                ok: false,
                message: "config.json names an endpoint that cannot be used.".into(),
            });
            return;
        };
        let request = transport.prepare(&test_connection(&endpoint));
        state.set(CheckState::Running);
        spawn_local(async move {
            let check = match send(&request, None, None).await {
                Ok(response) => connection_check::interpret(&response, now_secs()),
                Err(FetchFailure::Network(failure)) => {
                    connection_check::unreachable(FalError::network(failure))
                }
                Err(FetchFailure::Aborted) => return,
            };
            let (ok, message) = match &check {
                ConnectionCheck::Works => (true, check.message()),
                ConnectionCheck::Failed(e)
                    if matches!(e.kind, crate::core::fal::error::FalErrorKind::Network(_)) =>
                {
                    (
                        false,
                        format!("{} {}", check.message(), mode.advice_when_unreachable()),
                    )
                }
                _ => (false, check.message()),
            };
            state.try_set(CheckState::Done { ok, message });
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
                    CheckState::Done { ok, message } => Some(view! {
                        <span class=if ok { "check-ok" } else { "check-failed" }>{message}</span>
                    }.into_any()),
                }}
            </p>
        </div>
    }
}
