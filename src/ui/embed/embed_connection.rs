//! The Connection panel folded to one line, for the embedded layout: the
//! mode at a glance, and the whole panel (key, Test connection) one click
//! away.

use leptos::prelude::*;

use crate::ui::connection::{BadgePlace, ConnectionPanel, ModeBadge};

/// A `<details>` whose summary is the connection mode; opening it shows the
/// usual Connection panel.
#[component]
pub fn EmbedConnection() -> impl IntoView {
    view! {
        <details class="embed-connection">
            <ModeBadge place=BadgePlace::Summary/>
            <ConnectionPanel/>
        </details>
    }
}
