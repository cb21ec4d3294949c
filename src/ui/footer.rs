//! The bottom bar: the price, said plainly, and where it comes from.

use leptos::prelude::*;

use crate::core::model::pricing::price_per_second_label;

/// fal's own pricing page, so the figure here can be checked at the source.
pub const FAL_PRICING_URL: &str = "https://fal.ai/pricing";

/// Price line with a link to fal's pricing page.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="app-footer">
            <p>
                "Wan 2.7 reference-to-video costs "
                <strong>{price_per_second_label()}" per second"</strong>
                ", counting the output and every reference video. "
                <a href=FAL_PRICING_URL target="_blank" rel="noopener noreferrer">
                    "fal pricing"
                </a>
            </p>
            <p class="footer-note">"An independent studio for a model hosted by fal.ai."</p>
        </footer>
    }
}
