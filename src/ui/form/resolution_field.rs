//! "Resolution": 720p or 1080p.

use leptos::prelude::*;

use super::context::use_form;
use crate::core::model::schema::Resolution;

/// Two radios shown as a segmented control.
#[component]
pub fn ResolutionField() -> impl IntoView {
    let ctx = use_form();
    let legend_id = ctx.id("resolution-legend");
    let name = ctx.id("resolution");
    view! {
        <fieldset class="field fieldset">
            <legend id=legend_id.clone() class="field-label">"Resolution"</legend>
            <div class="segmented" role="radiogroup" aria-labelledby=legend_id>
                {Resolution::ALL
                    .into_iter()
                    .map(|resolution| {
                        let checked = move || ctx.state.with(|s| s.resolution == resolution);
                        view! {
                            <label class="segment" class:is-selected=checked>
                                <input
                                    type="radio"
                                    class="option-input"
                                    name=name.clone()
                                    value=resolution.as_str()
                                    prop:checked=checked
                                    on:change=move |_| ctx.state.update(|s| s.resolution = resolution)
                                />
                                <span>{resolution.as_str()}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}
