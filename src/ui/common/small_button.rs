//! The panel's small buttons, built by one function: every button here has
//! the same shape, and one non-generic builder (a `Callback`, not a closure
//! type per button) keeps a single copy of its code in the wasm.

use leptos::prelude::*;

/// A small secondary button (or a danger one, for confirmed deletions).
#[component]
pub fn SmallButton(
    /// The visible text, which is also its accessible name.
    #[prop(into)]
    label: Signal<String>,
    /// What a press does.
    on_press: Callback<()>,
    /// Red, for the button that confirms a deletion.
    #[prop(optional)]
    danger: bool,
    /// Primary (filled), for the one main action of a group.
    #[prop(optional)]
    primary: bool,
    /// Hidden while this is true (the button stays in the page).
    #[prop(optional, into)]
    hidden: Signal<bool>,
    /// Greyed out while this is true.
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let class = match (danger, primary) {
        (true, _) => "button button-danger button-small",
        (false, true) => "button button-primary button-small",
        (false, false) => "button button-secondary button-small",
    };
    view! {
        <button type="button" class=class hidden=hidden disabled=disabled
            on:click=move |_| on_press.run(())>{label}</button>
    }
}
