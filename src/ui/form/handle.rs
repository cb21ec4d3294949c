//! The form as the rest of the page sees it: a handle with methods. The job
//! panel's "Reuse seed" and "Edit and rerun", fal's objections to an input,
//! a share link, "Copy share link" and an embedding page all act on the form
//! by calling these methods; nothing reaches into its signals.

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use super::context::{FormContext, ServerProblems};
use crate::core::batch::cost::BatchCost;
use crate::core::batch::plan::BatchPlan;
use crate::core::batch::saved::variations_from_saved_json;
use crate::core::batch::variations::{Variations, VariationsField};
use crate::core::fal::error::FalError;
use crate::core::form::commands::problems_for_form;
use crate::core::form::share_link::SharedSettings;
use crate::core::form::state::{FormRequest, FormState};
use crate::core::form::validation::FormField;
use crate::core::model::issues::Issue;
use crate::core::model::pricing::CostEstimate;
use crate::core::model::schema::R2vInput;
use crate::ui::upload::board::UploadBatch;
use crate::web::form_storage;
use crate::web::random::random_u32;

/// What Generate hands over: the request, the browser files it still has to
/// upload (by reference, matching `request.uploads`) with the board their
/// progress shows on in this form, and the cost the person saw when they
/// pressed the button.
#[derive(Clone)]
pub struct FormSubmission {
    pub request: FormRequest,
    pub files: UploadBatch,
    pub cost: CostEstimate,
    /// With variations: every run of the batch (seeds drawn now) and what
    /// each costs. `request` is then the form's own, for the uploads.
    pub batch: Option<BatchSubmission>,
}

/// A batch as Generate hands it over.
#[derive(Clone)]
pub struct BatchSubmission {
    pub plan: BatchPlan,
    pub cost: BatchCost,
}

/// What [`FormHandle::generate`] came to.
#[derive(Debug, Clone, PartialEq)]
pub enum GenerateOutcome {
    /// The request went to the job side, as a press of the button would.
    Submitted,
    /// A job is running; one press is one job.
    Busy,
    /// The form has errors (shown next to their fields); nothing was sent.
    Refused(Vec<Issue<FormField>>),
    /// The variations cannot make a batch (too many runs, an empty
    /// setting): the reasons show in the group; nothing was sent.
    VariationsRefused(Vec<Issue<VariationsField>>),
}

/// The request form's state and what may be done to it. `Copy` (arena
/// handles only), made once by the page and shown by
/// [`super::RequestForm`]; the page also puts it in context
/// ([`use_form_handle`]).
#[derive(Clone, Copy)]
pub struct FormHandle {
    pub(super) ctx: FormContext,
    on_generate: Callback<FormSubmission>,
    /// While set (a job in flight), Generate shows it and sends nothing.
    pub(super) busy: Signal<Option<String>>,
    /// Where a Generate's job belongs: the page that made the handle, so a
    /// Generate asked for from an event listener is owned like one made by
    /// the button, and cleaned up with the page.
    owner: StoredValue<Option<Owner>>,
}

impl FormHandle {
    /// The form kept under `storage_key` in this browser (restored from it
    /// now; an unreadable saved form starts empty and says so). Generate
    /// hands a valid request to `on_generate`.
    pub fn new(
        storage_key: &'static str,
        on_generate: impl Fn(FormSubmission) + Send + Sync + 'static,
    ) -> Self {
        let (initial, restore_failed) = match form_storage::load(storage_key) {
            None => (FormState::default(), false),
            Some(json) => match FormState::from_saved_json(&json) {
                Ok(state) => (state, false),
                Err(_) => (FormState::default(), true),
            },
        };
        let ctx = FormContext::new(initial, storage_key, restore_failed);
        let kept_variations = form_storage::load(&form_storage::variations_key(storage_key))
            .and_then(|json| variations_from_saved_json(&json));
        if let Some(variations) = kept_variations {
            ctx.variations.set(variations);
        }
        Self {
            ctx,
            on_generate: Callback::new(on_generate),
            busy: Signal::derive(|| None),
            owner: StoredValue::new(Owner::current()),
        }
    }

    /// The job in flight's status: while it is `Some`, the Generate button
    /// shows it and [`Self::generate`] sends nothing.
    pub fn busy_while(mut self, busy: Signal<Option<String>>) -> Self {
        self.busy = busy;
        self
    }

    /// Replaces the form with `input` ("Edit and rerun", a share link, an
    /// embedding page's `set_inputs`). References come back as URLs, so a
    /// rerun uploads nothing again. Focus stays where it is: call
    /// [`Self::focus`] when the person asked for the change.
    pub fn set_inputs(self, input: &R2vInput) {
        self.ctx.state.update(|s| s.load_input(input));
    }

    /// Replaces the "Variations" group (an embedding page's `set_inputs`,
    /// a share link); [`Variations::default`] makes Generate a single run.
    pub fn set_variations(self, variations: Variations) {
        self.ctx.variations.set(variations);
    }

    /// Whether the prompt has words, as it changes.
    pub fn has_prompt(self) -> Signal<bool> {
        let state = self.ctx.state;
        Signal::derive(move || state.with(FormState::has_prompt))
    }

    /// The "Variations" group as it is now (for a share link).
    pub fn variations(self) -> Variations {
        self.ctx.variations.get_untracked()
    }

    /// "Use these settings" on a run of a batch: the form becomes exactly
    /// that run (its seed included, locked), a single run.
    pub fn use_run_settings(self, input: &R2vInput) {
        self.ctx.variations.set(Variations::default());
        self.ctx.state.update(|s| {
            s.load_input(input);
            if let Some(seed) = input.seed {
                s.reuse_seed(seed);
            }
        });
    }

    /// Puts `seed` in the seed box, locks it for the next runs, and moves
    /// focus there so the person sees what changed.
    pub fn reuse_seed(self, seed: i64) {
        self.ctx.state.update(|s| s.reuse_seed(seed));
        self.ctx
            .focus_later(self.ctx.field_element_id(FormField::Seed));
    }

    /// Shows fal's objections to the last run's input next to the fields
    /// they concern, and moves focus to the first. They show until the form
    /// changes: they describe the input as it was.
    pub fn show_problems(self, error: &FalError) {
        let (problems, state) = self
            .ctx
            .state
            .with_untracked(|s| (problems_for_form(error, s), s.clone()));
        if let Some(first) = problems.first() {
            self.ctx.focus_later(self.ctx.field_element_id(first.field));
        }
        self.ctx
            .server_problems
            .set(Some(ServerProblems { state, problems }));
    }

    /// Moves focus to the prompt, where a person reads a loaded form from.
    pub fn focus(self) {
        self.ctx
            .focus_later(self.ctx.field_element_id(FormField::Prompt));
    }

    /// The settings a share link of the form would carry now (never a key,
    /// never local files: those are counted as left out).
    pub fn read_shared(self) -> SharedSettings {
        self.ctx
            .state
            .with_untracked(|s| SharedSettings::from_request(&s.request()))
    }

    /// What a Generate now would cost, as the form shows it (for asking an
    /// embedding page's person before a paid job).
    pub fn cost(self) -> CostEstimate {
        self.ctx.state.with_untracked(FormState::cost)
    }

    /// Presses Generate, as the button does: nothing while a job runs,
    /// nothing sent while the form has errors (they all show, and the first
    /// gets focus). The button and an embedding page's `generate` both come
    /// here.
    pub fn generate(self) -> GenerateOutcome {
        if self.busy.with_untracked(Option::is_some) {
            return GenerateOutcome::Busy;
        }
        let before = self.ctx.errors_untracked();
        if !before.is_empty() {
            return self.refuse(before);
        }
        let variation_errors = self.ctx.variation_errors_untracked();
        if let Some(first) = variation_errors.first() {
            self.ctx.submit_attempted.set(true);
            self.ctx
                .focus_later(self.ctx.variations_element_id(first.field));
            return GenerateOutcome::VariationsRefused(variation_errors);
        }
        let submitted = self.owner.with_value(|owner| match owner {
            Some(owner) => owner.with(|| self.submit()),
            None => self.submit(),
        });
        if submitted {
            GenerateOutcome::Submitted
        } else {
            // A file's bytes were gone: the form now asks for it again.
            self.refuse(self.ctx.errors_untracked())
        }
    }

    fn refuse(self, errors: Vec<Issue<FormField>>) -> GenerateOutcome {
        self.ctx.submit_attempted.set(true);
        if let Some(first) = errors.first() {
            self.ctx.focus_later(self.ctx.field_element_id(first.field));
        }
        GenerateOutcome::Refused(errors)
    }

    /// Hands the request to `on_generate`; false when a file's bytes are
    /// gone (the reference then asks for the file again).
    fn submit(self) -> bool {
        let ctx = self.ctx;
        let request = ctx.state.with_untracked(FormState::request);
        let mut files = ctx.uploads.batch();
        for upload in &request.uploads {
            let file = ctx
                .media
                .with_value(|m| m.get(&upload.reference).map(|m| m.file.clone()));
            match file {
                Some(file) => files.push((upload.reference, SendWrapper::new(file))),
                None => {
                    ctx.state.update(|s| {
                        s.references.forget_file(upload.reference);
                    });
                    return false;
                }
            }
        }
        let cost = ctx.state.with_untracked(FormState::cost);
        let variations = ctx.variations.get_untracked();
        let batch = if variations.is_batch() {
            let plan = ctx
                .state
                .with_untracked(|s| BatchPlan::new(s, &variations, &mut random_u32).ok());
            let Some(plan) = plan else {
                return true;
            };
            let cost = BatchCost::new(&cost, &plan);
            Some(BatchSubmission { plan, cost })
        } else {
            None
        };
        self.on_generate.run(FormSubmission {
            request,
            files,
            cost,
            batch,
        });
        // A batch counting up from the Seed field keeps it: pressing again
        // reproduces the batch, and an emptied field would refuse it.
        let keep_seed = batch_counts_up(&variations);
        if !keep_seed {
            ctx.state.update(FormState::after_submit);
        }
        true
    }
}

fn batch_counts_up(variations: &Variations) -> bool {
    variations.is_batch()
        && variations.seed_count > 1
        && variations.seed_mode == crate::core::batch::variations::SeedMode::CountUp
}

/// The page's form handle, for components outside the form.
pub fn use_form_handle() -> FormHandle {
    expect_context::<FormHandle>()
}
