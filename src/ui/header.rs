//! The top bar: what this is, and how it is connected to fal.

use leptos::prelude::*;

use super::connection::{BadgePlace, ModeBadge};

/// The model this studio drives; shown so nobody wonders which one they pay for.
const MODEL_ID: &str = "fal-ai/wan/v2.7/reference-to-video";

/// Product name and the connection-status slot.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="app-header">
            <div class="brand">
                <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
                    <rect width="32" height="32" rx="8"/>
                    <path d="M12 9.5l11 6.5-11 6.5z"/>
                </svg>
                <div class="brand-text">
                    <h1 class="brand-name">"wan-r2v studio"</h1>
                    <span class="brand-model">{MODEL_ID}</span>
                </div>
            </div>
            <ModeBadge place=BadgePlace::Header/>
        </header>
    }
}
