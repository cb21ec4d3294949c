//! The coloured dot before a status (the connection mode): decoration only,
//! so screen readers hear the words beside it instead.

use leptos::prelude::*;

/// A dot in the colour of `tone` (`ok`, `warn`, `sim`, `idle`: the
/// `status-dot-<tone>` classes in style/app.css and style/connection.css).
#[component]
pub fn StatusDot(
    /// The tone, decided by the core (e.g. `ConnectionMode::dot_tone`).
    #[prop(into)]
    tone: Signal<&'static str>,
) -> impl IntoView {
    view! {
        <span class=move || format!("status-dot status-dot-{}", tone.get()) aria-hidden="true"></span>
    }
}
