//! The connection mode at a glance: a dot and "Connection: <mode>", with
//! the mode explained on hover. The header shows it as a link to the
//! Connection panel; the embedded layout as the line that unfolds it.

use leptos::{either::Either, prelude::*};

use super::ConnectionContext;
use crate::ui::common::StatusDot;

/// Where the badge stands, which decides its element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgePlace {
    /// The header: a link to the Connection panel; "Connection: " is for
    /// screen readers only.
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
    let dot = view! { <StatusDot tone=Signal::derive(move || mode.get().dot_tone())/> };
    match place {
        BadgePlace::Header => Either::Left(view! {
            <a class="connection-slot" href="#connection" title=title>
                {dot}
                <span class="connection-text">
                    <span class="visually-hidden">"Connection: "</span>
                    {label}
                </span>
            </a>
        }),
        BadgePlace::Summary => Either::Right(view! {
            <summary class="embed-connection-line" title=title>
                {dot}
                <span>"Connection: "<strong>{label}</strong></span>
            </summary>
        }),
    }
}
