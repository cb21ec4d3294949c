//! The request form: every input of the model, the references, the live
//! cost and the API view. Where people spend money, so every limit is
//! checked here, by the core's rules, before anything is sent.

mod api_view;
mod aspect_ratio_picker;
mod context;
mod cost_preview;
mod drop_zone;
mod duration_field;
mod field_message;
mod generate_bar;
pub mod handle;
mod multi_shot_toggle;
mod negative_prompt_field;
mod prompt_field;
mod radio_group;
mod reference_intake;
mod reference_item;
mod references_panel;
mod resolution_field;
mod safety_checker;
mod seed_field;
mod switch;
mod trim_control;
mod upload_status;
mod url_adder;
mod variations_group;
mod video_lengths;

use std::collections::HashSet;

use leptos::prelude::*;

use self::handle::FormHandle;
use crate::core::batch::saved::variations_to_saved_json;
use crate::core::form::references::{ReferenceId, ReferenceSource};
use crate::core::form::state::FormState;
use crate::web::form_storage;

/// The whole request form: an ordinary component.
///
/// It used to be built by hand inside an effect, its view state kept in a
/// `Box<dyn Any>`, so that the page's type-erased views (`AnyView`, which
/// keep code to rebuild a view in place next to the code that builds it)
/// would not carry the form's rebuild code. Measured on release builds
/// (wasm after brotli, quality 11): 357,147 B built by hand, 365,955 B as a
/// component, so the plain component costs 8.8 KB. That is under the
/// 15 KB this project accepts for code anyone can read, test and mount like
/// any other component, so it is one.
#[component]
pub fn RequestForm(
    /// The form's state and methods, made by the page
    /// ([`FormHandle::new`]); Generate hands its request to the handle's
    /// `on_generate`.
    form: FormHandle,
) -> impl IntoView {
    let ctx = form.ctx;
    provide_context(ctx);
    video_lengths::use_video_lengths(ctx);

    // Keep the form across reloads: localStorage is outside the reactive
    // system, which is what an effect is for.
    Effect::new(move |_| {
        let json = ctx.state.with(FormState::to_saved_json);
        form_storage::save(ctx.storage_key, &json);
    });
    let variations_key = form_storage::variations_key(ctx.storage_key);
    Effect::new(move |_| {
        let json = ctx.variations.with(variations_to_saved_json);
        form_storage::save(&variations_key, &json);
    });
    // Let go of files (and revoke their object URLs) once their entry is
    // gone or refused.
    Effect::new(move |_| {
        let keep: HashSet<ReferenceId> = ctx.state.with(|s| {
            s.references
                .items()
                .iter()
                .filter(|r| r.refusal.is_none() && matches!(r.source, ReferenceSource::File(_)))
                .map(|r| r.id)
                .collect()
        });
        ctx.media
            .update_value(|m| m.retain(|id, _| keep.contains(id)));
    });
    on_cleanup(move || {
        ctx.media.try_update_value(|m| m.clear());
    });

    view! {
        <div class="request-form">
            <p class="form-note" role="status" hidden=!ctx.restore_failed>
                "The form saved on this device could not be read, so it starts empty."
            </p>
            <prompt_field::PromptField/>
            <negative_prompt_field::NegativePromptField/>
            <references_panel::ReferencesPanel/>
            <div class="form-pair">
                <aspect_ratio_picker::AspectRatioPicker/>
                <resolution_field::ResolutionField/>
            </div>
            <duration_field::DurationField/>
            <div class="form-switches">
                <multi_shot_toggle::MultiShotToggle/>
                <safety_checker::SafetyChecker/>
            </div>
            <seed_field::SeedField/>
            <variations_group::VariationsGroup/>
            <cost_preview::CostPreview/>
            <generate_bar::GenerateBar form/>
            <api_view::ApiView/>
        </div>
    }
}
