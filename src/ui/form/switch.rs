//! An on/off switch with a visible label and a one-line description.

use leptos::prelude::*;

/// A `role="switch"` button. A button (rather than a checkbox) lets the
/// owner decide whether a press takes effect, which the safety checker
/// needs to ask for confirmation first.
#[component]
pub fn Switch(
    /// Element id of the button; the label and description derive theirs.
    id: String,
    /// The visible label, which is also the accessible name.
    label: &'static str,
    /// One line on what the switch does.
    description: &'static str,
    /// Whether it is on.
    #[prop(into)]
    on: Signal<bool>,
    /// Called on every press; the owner decides what happens.
    #[prop(into)]
    on_press: Callback<()>,
) -> impl IntoView {
    let label_id = format!("{id}-label");
    let description_id = format!("{id}-description");
    view! {
        <div class="switch-field">
            <div class="switch-text">
                <span id=label_id.clone() class="field-label">{label}</span>
                <span id=description_id.clone() class="field-hint">{description}</span>
            </div>
            <button
                id=id
                type="button"
                class="switch"
                role="switch"
                aria-checked=move || if on.get() { "true" } else { "false" }
                aria-labelledby=label_id
                aria-describedby=description_id
                on:click=move |_| on_press.run(())
            >
                <span class="switch-thumb" aria-hidden="true"></span>
                <span class="switch-state" aria-hidden="true">
                    {move || if on.get() { "On" } else { "Off" }}
                </span>
            </button>
        </div>
    }
}
