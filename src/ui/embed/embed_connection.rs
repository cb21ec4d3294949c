//! The Connection panel folded to one line, for the embedded layout: the
//! mode at a glance, and the whole panel (key, Test connection) one click
//! away.

use leptos::prelude::*;

use crate::core::config::connection_mode::ConnectionMode;
use crate::ui::connection::{ConnectionContext, ConnectionPanel};

/// A `<details>` whose summary is the connection mode; opening it shows the
/// usual Connection panel.
#[component]
pub fn EmbedConnection() -> impl IntoView {
    let connection = ConnectionContext::expect();
    let mode = Memo::new(move |_| connection.mode());
    let dot = move || match mode.get() {
        ConnectionMode::NeedsKey => "status-dot status-dot-warn",
        ConnectionMode::Simulated => "status-dot status-dot-sim",
        _ => "status-dot status-dot-ok",
    };
    view! {
        <details class="embed-connection">
            <summary class="embed-connection-line" title=move || mode.get().explanation()>
                <span class=dot aria-hidden="true"></span>
                <span>"Connection: "<strong>{move || mode.get().label()}</strong></span>
            </summary>
            <ConnectionPanel/>
        </details>
    }
}
