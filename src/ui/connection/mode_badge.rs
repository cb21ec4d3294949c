//! The connection mode at a glance: a dot and the mode, explained on
//! hover. In the header it is the Connection panel's handle: a button that
//! opens and folds the panel once the connection works, and a link to the
//! open panel while the person still has something to do there. In the
//! embedded layout it is the line that unfolds the panel.

use leptos::{either::Either, prelude::*};

use super::disclosure::{CONNECTION_BADGE_ID, CONNECTION_PANEL_ID};
use super::ConnectionContext;
use crate::ui::common::StatusDot;

/// Where the badge stands, which decides its element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgePlace {
    /// The header: the Connection panel's button (or a link to it while it
    /// must stay open); what it does is said to screen readers only.
    Header,
    /// The embedded layout's folded Connection panel: the `<summary>` that
    /// unfolds it, saying "Connection: " on screen.
    Summary,
}

/// Dot colour and label for the current mode.
#[component]
pub fn ModeBadge(place: BadgePlace) -> impl IntoView {
    let connection = ConnectionContext::expect();
    let mode = connection.mode;
    let title = move || mode.get().explanation();
    let label = move || mode.get().label();
    let dot = move || view! { <StatusDot tone=Signal::derive(move || mode.get().dot_tone())/> };
    match place {
        BadgePlace::Header => Either::Left(move || {
            let panel = connection.panel;
            if panel.pinned.get() {
                Either::Left(view! {
                    <a id=CONNECTION_BADGE_ID class="connection-slot" href=format!("#{CONNECTION_PANEL_ID}") title=title>
                        {dot()}
                        <span class="connection-text">
                            <span class="visually-hidden">"Connection: "</span>
                            {label}
                        </span>
                    </a>
                })
            } else {
                Either::Right(view! {
                    <button
                        type="button"
                        id=CONNECTION_BADGE_ID
                        class="connection-slot connection-toggle"
                        title=title
                        aria-expanded=move || panel.is_open().to_string()
                        aria-controls=CONNECTION_PANEL_ID
                        on:click=move |_| panel.toggle()
                    >
                        {dot()}
                        <span class="connection-text">
                            <span class="visually-hidden">"Connection settings: "</span>
                            {label}
                        </span>
                        <span class="connection-chevron" aria-hidden="true"></span>
                    </button>
                })
            }
        }),
        BadgePlace::Summary => Either::Right(view! {
            <summary class="embed-connection-line" title=title>
                {dot()}
                <span>"Connection: "<strong>{label}</strong></span>
            </summary>
        }),
    }
}
