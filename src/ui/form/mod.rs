//! The request form: every input of the model, the references, the live
//! cost and the API view. Where people spend money, so every limit is
//! checked here, by the core's rules, before anything is sent.

mod api_view;
mod aspect_ratio_picker;
mod commands;
mod context;
mod cost_preview;
mod drop_zone;
mod duration_field;
mod field_message;
mod generate_bar;
mod multi_shot_toggle;
mod negative_prompt_field;
mod prompt_field;
mod reference_intake;
mod reference_item;
mod references_panel;
mod resolution_field;
mod safety_checker;
mod seed_field;
mod switch;
mod upload_status;
mod url_adder;
mod video_lengths;

pub use commands::{FormCommand, GenerateOutcome};

use std::collections::HashSet;

use leptos::prelude::*;
use leptos::tachys::view::{Mountable, Render};
use send_wrapper::SendWrapper;

use self::context::FormContext;
use crate::core::form::references::{ReferenceId, ReferenceSource};
use crate::core::form::state::{FormRequest, FormState};
use crate::core::model::pricing::CostEstimate;
use crate::ui::upload::board::UploadBatch;
use crate::web::form_storage::{self, FORM_STORAGE_KEY};

/// What Generate hands over: the request, the browser files it still has to
/// upload (by reference, matching `request.uploads`) with the board their
/// progress shows on in this form, and the cost the person saw when they
/// pressed the button.
#[derive(Clone)]
pub struct FormSubmission {
    pub request: FormRequest,
    pub files: UploadBatch,
    pub cost: CostEstimate,
}

/// The whole request form.
///
/// The page wraps its sections in type-erased views (`AnyView`), and each
/// erasure keeps, next to the code that builds a view, a second copy that
/// could rebuild it in place. This form is large and its structure never
/// changes (only its attributes and texts do), so it is built once into an
/// element of its own: only the code that builds it ships in the wasm.
#[component]
pub fn RequestForm(
    /// Called with a valid request when Generate is pressed. The job side
    /// (uploads, submit, follow) takes it from there.
    #[prop(into)]
    on_generate: Callback<FormSubmission>,
    /// Where the form is kept between visits; tests pass their own so they
    /// do not see each other's forms.
    #[prop(optional)]
    storage_key: Option<&'static str>,
    /// Requests from the rest of the page ("Reuse seed", "Edit and rerun",
    /// fal's objections); each is applied once and cleared.
    #[prop(optional)]
    commands: Option<RwSignal<Option<FormCommand>>>,
    /// The job in flight's status, shown on the Generate button.
    #[prop(optional, into)]
    busy: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    // A child of this component's owner, so the form sees the page's context
    // and is cleaned up with this component.
    let owner = Owner::current().map_or_else(Owner::new, |o| o.child());
    let built = StoredValue::new_local(None::<(Owner, Box<dyn std::any::Any>)>);
    Effect::new(move |_| {
        let Some(element) = host.get() else {
            return;
        };
        if built.with_value(Option::is_some) {
            return;
        }
        let state = owner.with(|| {
            let mut state = view! {
                <FormBody on_generate storage_key commands busy/>
            }
            .into_view()
            .build();
            state.mount(&element, None);
            state
        });
        built.set_value(Some((owner.clone(), Box::new(state))));
    });
    on_cleanup(move || {
        if let Some(Some((owner, state))) = built.try_update_value(Option::take) {
            drop(state);
            owner.cleanup();
        }
    });
    view! { <div class="request-form-host" node_ref=host></div> }
}

/// The form itself; see [`RequestForm`].
#[component]
fn FormBody(
    on_generate: Callback<FormSubmission>,
    storage_key: Option<&'static str>,
    commands: Option<RwSignal<Option<FormCommand>>>,
    busy: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let key = storage_key.unwrap_or(FORM_STORAGE_KEY);
    let (initial, restore_failed) = match form_storage::load(key) {
        None => (FormState::default(), false),
        Some(json) => match FormState::from_saved_json(&json) {
            Ok(state) => (state, false),
            Err(_) => (FormState::default(), true),
        },
    };
    let ctx = FormContext::new(initial);
    provide_context(ctx);
    video_lengths::use_video_lengths(ctx);

    // Keep the form across reloads: localStorage is outside the reactive
    // system, which is what an effect is for.
    Effect::new(move |_| {
        let json = ctx.state.with(FormState::to_saved_json);
        form_storage::save(key, &json);
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
    // fal's objections describe the input as it was sent: once the person
    // edits the form they no longer apply.
    Effect::new(move |first: Option<()>| {
        ctx.state.track();
        if first.is_some() {
            ctx.server_problems.set(Vec::new());
        }
    });
    let busy = busy.unwrap_or_else(|| Signal::derive(|| None));

    // True when the request went to `on_generate`.
    let generate = move |()| -> bool {
        let request = ctx.state.with_untracked(FormState::request);
        let mut files = ctx.uploads.batch();
        for upload in &request.uploads {
            let file = ctx
                .media
                .with_value(|m| m.get(&upload.reference).map(|m| m.file.clone()));
            match file {
                Some(file) => files.push((upload.reference, SendWrapper::new(file))),
                None => {
                    // The bytes are gone: ask for the file again rather
                    // than send a request with a hole in it.
                    ctx.state.update(|s| {
                        s.references.forget_file(upload.reference);
                    });
                    ctx.submit_attempted.set(true);
                    return false;
                }
            }
        }
        let cost = ctx.state.with_untracked(FormState::cost);
        on_generate.run(FormSubmission {
            request,
            files,
            cost,
        });
        ctx.state.update(FormState::after_submit);
        true
    };
    if let Some(commands) = commands {
        commands::apply_commands(ctx, commands, Callback::new(generate), busy);
    }

    view! {
        <div class="request-form">
            <p class="form-note" role="status" hidden=!restore_failed>
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
            <cost_preview::CostPreview/>
            <generate_bar::GenerateBar on_generate=Callback::new(move |()| { generate(()); }) busy/>
            <api_view::ApiView/>
        </div>
    }
}
