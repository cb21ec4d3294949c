//! "Multi-shot": one continuous shot, or cuts between shots.

use leptos::prelude::*;

use super::context::use_form;
use super::switch::Switch;

/// The model's `multi_shots` flag, off by default as fal's is.
#[component]
pub fn MultiShotToggle() -> impl IntoView {
    let ctx = use_form();
    view! {
        <Switch
            id=ctx.id("multi-shot")
            label="Multi-shot"
            description="When off, one continuous shot; when on, the model may cut between several shots"
            on=Signal::derive(move || ctx.state.with(|s| s.multi_shots))
            on_press=Callback::new(move |_| ctx.state.update(|s| s.multi_shots = !s.multi_shots))
        />
    }
}
