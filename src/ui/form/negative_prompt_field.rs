//! "Negative prompt": what the video should avoid.

use leptos::prelude::*;

use super::context::use_form;
use super::field_message::{aria_invalid, FieldMessage};
use crate::core::form::validation::FormField;
use crate::core::model::schema::NEGATIVE_PROMPT_MAX_CHARS;
use crate::core::model::validation::char_count;

/// The optional negative prompt, with its own 500-character counter.
#[component]
pub fn NegativePromptField() -> impl IntoView {
    let ctx = use_form();
    let id = ctx.id("negative");
    let counter_id = ctx.id("negative-counter");
    let count = Memo::new(move |_| ctx.state.with(|s| char_count(&s.negative_prompt)));
    view! {
        <div class="field">
            <div class="field-head">
                <label class="field-label" for=id.clone()>"Negative prompt"</label>
                <span
                    id=counter_id.clone()
                    class="counter"
                    class:is-over=move || { count.get() > NEGATIVE_PROMPT_MAX_CHARS }
                >
                    {move || format!("{} / {NEGATIVE_PROMPT_MAX_CHARS}", count.get())}
                </span>
            </div>
            <textarea
                id=id
                class="textarea"
                rows="2"
                placeholder="Optional: what to avoid, e.g. blur, text, watermarks"
                aria-describedby=format!("{counter_id} {}", ctx.message_id(FormField::NegativePrompt))
                aria-invalid=aria_invalid(FormField::NegativePrompt)
                prop:value=move || ctx.state.with(|s| s.negative_prompt.clone())
                on:input:target=move |ev| ctx.state.update(|s| s.negative_prompt = ev.target().value())
                on:blur=move |_| ctx.visit(FormField::NegativePrompt)
            ></textarea>
            <FieldMessage field=FormField::NegativePrompt/>
        </div>
    }
}
