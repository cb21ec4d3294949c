//! "Prompt": what the video shows, with its character count.

use leptos::prelude::*;

use super::context::use_form;
use super::field_message::{aria_invalid, FieldMessage};
use crate::core::form::validation::FormField;
use crate::core::model::schema::PROMPT_MAX_CHARS;
use crate::core::model::validation::char_count;

/// The prompt box. Its counter counts characters the way fal does (code
/// points), so "5000 / 5000" here is exactly fal's limit.
#[component]
pub fn PromptField() -> impl IntoView {
    let ctx = use_form();
    let id = ctx.id("prompt");
    let counter_id = ctx.id("prompt-counter");
    let count = Memo::new(move |_| ctx.state.with(|s| char_count(&s.prompt)));
    view! {
        <div class="field">
            <div class="field-head">
                <label class="field-label" for=id.clone()>"Prompt"</label>
                <span
                    id=counter_id.clone()
                    class="counter"
                    class:is-over=move || { count.get() > PROMPT_MAX_CHARS }
                >
                    {move || format!("{} / {PROMPT_MAX_CHARS}", count.get())}
                </span>
            </div>
            <textarea
                id=id
                node_ref=ctx.prompt
                class="textarea textarea-prompt"
                rows="5"
                placeholder="Describe the video. Name your references by their labels, e.g. \u{201c}Image 1 walks along a beach at dusk\u{201d}."
                aria-describedby=format!("{counter_id} {}", ctx.message_id(FormField::Prompt))
                aria-invalid=aria_invalid(FormField::Prompt)
                prop:value=move || ctx.state.with(|s| s.prompt.clone())
                on:input:target=move |ev| ctx.state.update(|s| s.prompt = ev.target().value())
                on:blur=move |_| ctx.visit(FormField::Prompt)
            ></textarea>
            <FieldMessage field=FormField::Prompt/>
        </div>
    }
}
