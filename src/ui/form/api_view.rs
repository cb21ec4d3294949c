//! "API": this exact request as cURL, Python, JavaScript and JSON.

use leptos::{ev, prelude::*, task::spawn_local};

use super::context::use_form;
use crate::core::batch::plan::BatchPlan;
use crate::core::batch::snippets::batch_snippet;
use crate::core::form::snippets::{snippet, SnippetLanguage};
use crate::core::form::state::FormRequest;
use crate::ui::on_demand::on_demand;
use crate::web::copy_text::copy_text;
use crate::web::random::random_u32;

/// Shown as the code when the snippets' code did not arrive.
const NOT_LOADED: &str = "The API snippets did not load from the site (the connection failed). \
     Close API and open it again to retry.";

on_demand! {
    part = snippets;
    /// The request (or the batch) as code in `language`.
    async fn snippet_loaded(
        batch: Option<BatchPlan>,
        request: FormRequest,
        language: SnippetLanguage,
    ) -> String {
        match batch {
            Some(plan) => batch_snippet(&plan, language),
            None => snippet(&request, language),
        }
    }
}

/// A disclosure with one tab per language and a Copy button. The snippet
/// is only built while the disclosure is open. The key is always the
/// `FAL_KEY` variable: the form never holds one.
#[component]
pub fn ApiView() -> impl IntoView {
    let ctx = use_form();
    let open = RwSignal::new(false);
    let language = RwSignal::new(SnippetLanguage::Curl);
    let copied = RwSignal::new(String::new());
    let panel_id = ctx.id("api-panel");
    let tab_id =
        move |l: SnippetLanguage| ctx.id(&format!("api-tab-{}", l.name().to_ascii_lowercase()));
    // The snippets' code loads the first time the disclosure opens; each
    // change while open asks for the text again, and only the newest answer
    // is shown.
    let code = RwSignal::new(String::new());
    let asked = StoredValue::new(0_u32);
    Effect::new(move |_| {
        if !open.get() {
            code.set(String::new());
            return;
        }
        // With variations, the batch as a loop (random seeds drawn here
        // stand for the ones Generate will draw).
        let batch = ctx.variations.with(|v| {
            v.is_batch()
                .then(|| {
                    ctx.state
                        .with(|s| BatchPlan::new(s, v, &mut random_u32).ok())
                })
                .flatten()
        });
        let request = ctx.state.with(|s| s.request());
        let language = language.get();
        let turn = asked.get_value().wrapping_add(1);
        asked.set_value(turn);
        spawn_local(async move {
            let text = snippet_loaded(batch, request, language)
                .await
                .unwrap_or_else(|_| NOT_LOADED.into());
            if asked.try_get_value() == Some(turn) {
                code.try_set(text);
            }
        });
    });
    let has_uploads = move || ctx.state.with(|s| !s.request().uploads.is_empty());

    let select = move |l: SnippetLanguage, focus: bool| {
        language.set(l);
        copied.set(String::new());
        if focus {
            ctx.focus_later(tab_id(l));
        }
    };
    let on_key = move |e: ev::KeyboardEvent| {
        let all = SnippetLanguage::ALL;
        let current = all
            .iter()
            .position(|l| *l == language.get_untracked())
            .unwrap_or(0);
        let next = match e.key().as_str() {
            "ArrowRight" => (current + 1) % all.len(),
            "ArrowLeft" => (current + all.len() - 1) % all.len(),
            "Home" => 0,
            "End" => all.len() - 1,
            _ => return,
        };
        e.prevent_default();
        select(all[next], true);
    };
    let copy = move |_| {
        let text = code.get_untracked();
        spawn_local(async move {
            let status = match copy_text(&text).await {
                Ok(()) => "Copied.".to_string(),
                Err(message) => message,
            };
            copied.try_set(status);
        });
    };

    view! {
        <details class="api-view" on:toggle:target=move |ev| open.set(ev.target().open())>
            <summary class="api-summary">"API"</summary>
            <div class="api-body">
                <p class="field-hint">
                    "The exact request this form makes, to run elsewhere. Set FAL_KEY in your environment first."
                    {move || has_uploads().then_some(" Local files are uploaded to fal storage first; their URLs take their place.")}
                </p>
                <div class="tabs" role="tablist" aria-label="Language">
                    {SnippetLanguage::ALL
                        .into_iter()
                        .map(|l| {
                            let selected = move || language.get() == l;
                            view! {
                                <button
                                    id=tab_id(l)
                                    type="button"
                                    class="tab"
                                    role="tab"
                                    aria-selected=move || if selected() { "true" } else { "false" }
                                    aria-controls=panel_id.clone()
                                    tabindex=move || if selected() { "0" } else { "-1" }
                                    on:click=move |_| select(l, false)
                                    on:keydown=on_key
                                >
                                    {l.name()}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                <div
                    id=panel_id.clone()
                    class="code-panel"
                    role="tabpanel"
                    aria-labelledby=move || tab_id(language.get())
                    tabindex="0"
                >
                    <pre class="code"><code>{move || code.get()}</code></pre>
                </div>
                <div class="api-actions">
                    <button type="button" class="button button-secondary" on:click=copy>"Copy"</button>
                    <span class="copy-status" role="status">{move || copied.get()}</span>
                </div>
            </div>
        </details>
    }
}
