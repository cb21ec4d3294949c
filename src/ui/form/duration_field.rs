//! "Duration": 2 to 10 seconds, as a slider and a number kept in step.

use leptos::prelude::*;

use super::context::use_form;
use super::field_message::{aria_invalid, FieldMessage};
use crate::core::form::validation::FormField;
use crate::core::model::schema::DurationSeconds;

/// The slider is quick with a mouse or the arrow keys; the number box is
/// quick for typing. Both write the same state; a typed value that is not a
/// duration stays visible with its message instead of being corrected
/// behind the person's back.
#[component]
pub fn DurationField() -> impl IntoView {
    let ctx = use_form();
    let range_id = ctx.id("duration");
    let number_id = ctx.id("duration-number");
    let seconds = move || ctx.state.with(|s| s.duration.seconds());
    view! {
        <div class="field">
            <div class="field-head">
                <label class="field-label" for=range_id.clone()>"Duration"</label>
                <span class="field-hint">"2\u{2013}10 s, billed per second"</span>
            </div>
            <div class="duration-row">
                <input
                    id=range_id
                    class="range"
                    type="range"
                    min=DurationSeconds::MIN
                    max=DurationSeconds::MAX
                    step="1"
                    aria-valuetext=move || format!("{} seconds", seconds())
                    prop:value=move || seconds().to_string()
                    on:input:target=move |ev| {
                        if let Some(d) = ev.target().value().parse().ok().and_then(DurationSeconds::new) {
                            ctx.state.update(|s| s.set_duration(d));
                        }
                    }
                />
                <span class="number-with-unit">
                    <input
                        id=number_id
                        class="input input-number"
                        type="number"
                        inputmode="numeric"
                        min=DurationSeconds::MIN
                        max=DurationSeconds::MAX
                        step="1"
                        aria-label="Duration in seconds"
                        aria-describedby=ctx.message_id(FormField::Duration)
                        aria-invalid=aria_invalid(FormField::Duration)
                        prop:value=move || ctx.state.with(|s| s.duration_text())
                        on:input:target=move |ev| {
                            let text = ev.target().value();
                            ctx.state.update(|s| s.type_duration(&text));
                        }
                        on:blur=move |_| ctx.visit(FormField::Duration)
                    />
                    <span class="unit" aria-hidden="true">"s"</span>
                </span>
            </div>
            <FieldMessage field=FormField::Duration/>
        </div>
    }
}
