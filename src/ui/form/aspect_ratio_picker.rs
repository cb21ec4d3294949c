//! "Aspect ratio": the five output shapes, drawn to scale.

use leptos::prelude::*;

use super::context::use_form;
use super::radio_group::RadioGroup;
use crate::core::model::schema::AspectRatio;

/// A radio group whose options show the frame's shape, because "4:3" versus
/// "3:4" is easier to see than to read.
#[component]
pub fn AspectRatioPicker() -> impl IntoView {
    let ctx = use_form();
    view! {
        <RadioGroup
            label="Aspect ratio"
            name=ctx.id("aspect")
            options=AspectRatio::ALL.to_vec()
            value=AspectRatio::as_str
            content=ratio_shape
            selected=Signal::derive(move || ctx.state.with(|s| s.aspect_ratio))
            on_select=move |ratio| ctx.state.update(|s| s.aspect_ratio = ratio)
            group_class="ratio-options"
            option_class="ratio-option"
        />
    }
}

/// The frame's shape, its longer side spanning 20 of 24 units, centred,
/// and its name.
fn ratio_shape(ratio: AspectRatio) -> impl IntoView {
    let (w, h) = ratio.proportions();
    let (rw, rh) = (20 * w / w.max(h), 20 * h / w.max(h));
    view! {
        <svg class="ratio-shape" viewBox="0 0 24 24" aria-hidden="true">
            <rect x=(24 - rw) / 2 y=(24 - rh) / 2 width=rw height=rh rx="1.5"/>
        </svg>
        <span class="ratio-name">{ratio.as_str()}</span>
    }
}
