//! The question inside the frame before a host page's `generate` starts a
//! paid job: "example.com wants to start a job costing $0.50", with "Allow
//! once", "Always allow this site" and "Deny". What needs asking is the
//! core's ([`crate::core::embed::consent`]).

use leptos::prelude::*;
use serde_json::Value;

use crate::core::embed::consent::ConsentChoice;

/// A `generate` waiting for the person.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingGenerate {
    pub id: Value,
    pub origin: String,
    pub question: String,
}

/// Provided by the embedding API while it runs; the prompt shows at
/// Generate.
#[derive(Clone, Copy)]
pub struct EmbedConsent {
    pub pending: RwSignal<Option<PendingGenerate>>,
    pub choose: Callback<ConsentChoice>,
}

/// Nothing unless a host's `generate` waits for the person.
#[component]
pub fn ConsentPrompt() -> impl IntoView {
    let consent = use_context::<EmbedConsent>();
    move || {
        let consent = consent?;
        let pending = consent.pending.get()?;
        let choose = consent.choose;
        Some(view! {
            <div class="generate-confirm embed-consent" role="alertdialog" aria-labelledby="embed-consent-question">
                <p id="embed-consent-question">{pending.question}</p>
                <button type="button" class="button button-primary" on:click=move |_| choose.run(ConsentChoice::AllowOnce)>"Allow once"</button>
                <button type="button" class="button button-secondary" on:click=move |_| choose.run(ConsentChoice::AlwaysAllow)>"Always allow this site"</button>
                <button type="button" class="button button-secondary" on:click=move |_| choose.run(ConsentChoice::Deny)>"Deny"</button>
            </div>
        })
    }
}
