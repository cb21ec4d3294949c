//! The header's connection badge: the mode at a glance, linking to the
//! Connection panel where it can be changed.

use leptos::prelude::*;

use super::ConnectionContext;
use crate::core::config::connection_mode::ConnectionMode;

/// Dot colour and label for the current mode.
#[component]
pub fn ModeBadge() -> impl IntoView {
    let connection = ConnectionContext::expect();
    let mode = Memo::new(move |_| connection.mode());
    let dot = move || match mode.get() {
        ConnectionMode::NeedsKey => "status-dot status-dot-warn",
        ConnectionMode::Simulated => "status-dot status-dot-sim",
        _ => "status-dot status-dot-ok",
    };
    view! {
        <a class="connection-slot" href="#connection" title=move || mode.get().explanation()>
            <span class=dot aria-hidden="true"></span>
            <span class="connection-text">
                <span class="visually-hidden">"Connection: "</span>
                {move || mode.get().label()}
            </span>
        </a>
    }
}
