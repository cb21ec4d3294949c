//! "Seed": empty for a random one, a dice to pick one, a lock to reuse it.

use leptos::prelude::*;

use super::context::use_form;
use super::field_message::{aria_invalid, FieldMessage};
use crate::core::form::validation::FormField;
use crate::web::random::random_u32;

/// The seed box. A text box rather than `type=number`, so that what was
/// typed ("12a", "-3") stays visible next to the reason it is refused.
#[component]
pub fn SeedField() -> impl IntoView {
    let ctx = use_form();
    let id = ctx.id("seed");
    let hint_id = ctx.id("seed-hint");
    let locked = move || ctx.state.with(|s| s.seed_locked);
    view! {
        <div class="field">
            <div class="field-head">
                <label class="field-label" for=id.clone()>"Seed"</label>
                <span class="field-hint">"Empty means a random seed"</span>
            </div>
            <div class="seed-row">
                <input
                    id=id
                    class="input"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    placeholder="Random"
                    aria-describedby=format!("{hint_id} {}", ctx.message_id(FormField::Seed))
                    aria-invalid=aria_invalid(FormField::Seed)
                    prop:value=move || ctx.state.with(|s| s.seed_text.clone())
                    on:input:target=move |ev| ctx.state.update(|s| s.seed_text = ev.target().value())
                    on:blur=move |_| ctx.visit(FormField::Seed)
                />
                <button
                    type="button"
                    class="icon-button"
                    aria-label="Random seed"
                    title="Fill in a random seed"
                    on:click=move |_| ctx.state.update(|s| s.roll_seed(random_u32()))
                >
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                        <rect x="3.5" y="3.5" width="17" height="17" rx="3.5"/>
                        <circle class="pip" cx="8.5" cy="8.5" r="1.4"/>
                        <circle class="pip" cx="15.5" cy="15.5" r="1.4"/>
                        <circle class="pip" cx="12" cy="12" r="1.4"/>
                    </svg>
                </button>
                <button
                    type="button"
                    class="icon-button"
                    class:is-active=locked
                    aria-label="Lock seed"
                    aria-pressed=move || if locked() { "true" } else { "false" }
                    title="Keep this seed for the next runs"
                    on:click=move |_| ctx.state.update(|s| s.seed_locked = !s.seed_locked)
                >
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                        <rect x="5" y="11" width="14" height="9.5" rx="2"/>
                        <path d=move || if locked() { "M8 11V8a4 4 0 0 1 8 0v3" } else { "M8 11V8a4 4 0 0 1 7.6-1.8" }/>
                    </svg>
                </button>
            </div>
            <p id=hint_id class="field-hint">
                {move || {
                    if locked() {
                        "Locked: this seed is kept for the next runs."
                    } else {
                        "Unlocked: a seed is used for one run, then cleared."
                    }
                }}
            </p>
            <FieldMessage field=FormField::Seed/>
        </div>
    }
}
