//! The strip that says plainly, on every screen, that the backend is the
//! simulator: nobody should mistake a test clip for a paid result.

use leptos::prelude::*;

use super::ConnectionContext;

/// Shown only when `config.json` says `simulated: true`.
#[component]
pub fn SimulatedBanner() -> impl IntoView {
    let connection = ConnectionContext::expect();
    let simulated = connection.config.with_value(|c| c.simulated);
    simulated.then(|| {
        view! {
            // A labelled landmark, so the notice is part of the page's map
            // for screen readers rather than stray text between regions.
            <aside class="simulated-banner" aria-label="Simulation notice">
                <strong>"Simulated fal: no real videos, no cost"</strong>
                <span class="simulated-banner-detail">
                    " This deployment talks to a local stand-in for fal."
                </span>
            </aside>
        }
    })
}
