//! "Resolution": 720p or 1080p.

use leptos::prelude::*;

use super::context::use_form;
use super::radio_group::RadioGroup;
use crate::core::model::schema::Resolution;

/// Two radios shown as a segmented control.
#[component]
pub fn ResolutionField() -> impl IntoView {
    let ctx = use_form();
    view! {
        <RadioGroup
            label="Resolution"
            name=ctx.id("resolution")
            options=Resolution::ALL.to_vec()
            value=Resolution::as_str
            content=|resolution: Resolution| view! { <span>{resolution.as_str()}</span> }
            selected=Signal::derive(move || ctx.state.with(|s| s.resolution))
            on_select=move |resolution| ctx.state.update(|s| s.resolution = resolution)
            group_class="segmented"
            option_class="segment"
        />
    }
}
