//! "Aspect ratio": the five output shapes, drawn to scale.

use leptos::prelude::*;

use super::context::use_form;
use crate::core::model::schema::AspectRatio;

/// A radio group whose options show the frame's shape, because "4:3" versus
/// "3:4" is easier to see than to read. Native radios give the arrow-key
/// behaviour of a radio group for free.
#[component]
pub fn AspectRatioPicker() -> impl IntoView {
    let ctx = use_form();
    let legend_id = ctx.id("aspect-legend");
    let name = ctx.id("aspect");
    view! {
        <fieldset class="field fieldset">
            <legend id=legend_id.clone() class="field-label">"Aspect ratio"</legend>
            <div class="ratio-options" role="radiogroup" aria-labelledby=legend_id>
                {AspectRatio::ALL
                    .into_iter()
                    .map(|ratio| {
                        // The longer side spans 20 of the 24 units, centred.
                        let (w, h) = ratio.proportions();
                        let (rw, rh) = (20 * w / w.max(h), 20 * h / w.max(h));
                        let checked = move || ctx.state.with(|s| s.aspect_ratio == ratio);
                        view! {
                            <label class="ratio-option" class:is-selected=checked>
                                <input
                                    type="radio"
                                    class="option-input"
                                    name=name.clone()
                                    value=ratio.as_str()
                                    prop:checked=checked
                                    on:change=move |_| ctx.state.update(|s| s.aspect_ratio = ratio)
                                />
                                <svg class="ratio-shape" viewBox="0 0 24 24" aria-hidden="true">
                                    <rect
                                        x=(24 - rw) / 2
                                        y=(24 - rh) / 2
                                        width=rw
                                        height=rh
                                        rx="1.5"
                                    />
                                </svg>
                                <span class="ratio-name">{ratio.as_str()}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}
