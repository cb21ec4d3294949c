//! What every part of the form shares: the state, its validation, which
//! messages are showing, and the local files behind file references.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::{html, prelude::*};

use crate::core::batch::cost::BatchCost;
use crate::core::batch::plan::BatchPlan;
use crate::core::batch::variations::{form_issues_for_batch, Variations, VariationsField};
use crate::core::form::references::ReferenceId;
use crate::core::form::state::FormState;
use crate::core::form::validation::FormField;
use crate::core::model::issues::{Issue, Issues};
use crate::ui::upload::board::UploadBoard;
use crate::web::object_url::ObjectUrl;

/// A local file and the object URL its preview uses. Dropping it revokes
/// the URL, so removing the entry from the map frees the file's bytes.
pub struct LocalMedia {
    pub file: web_sys::File,
    pub url: ObjectUrl,
}

/// fal's objections to a run's input, with the form they were placed on.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerProblems {
    /// The form when the objections arrived: they apply while it is unchanged.
    pub state: FormState,
    pub problems: Vec<Issue<FormField>>,
}

/// Shared by the form's components through context. All fields are
/// arena handles, so this is `Copy`.
#[derive(Clone, Copy)]
pub struct FormContext {
    pub state: RwSignal<FormState>,
    /// The form's problems; with a batch set up, those of the fields the
    /// batch replaces are left out (they are not sent).
    pub validation: Memo<Issues<FormField>>,
    /// The "Variations" group: one Generate, several runs.
    pub variations: RwSignal<Variations>,
    /// The group's problems, by its controls (a batch too large among them).
    pub variation_issues: Memo<Issues<VariationsField>>,
    /// What the batch would cost, run by run; `None` for a single run or a
    /// batch that cannot be made yet.
    pub batch_cost: Memo<Option<BatchCost>>,
    /// Where the form is kept between visits (localStorage).
    pub storage_key: &'static str,
    /// The saved form could not be read, so the form started empty.
    pub restore_failed: bool,
    /// Fields left at least once: their messages show from then on, so
    /// nobody is told off for a field they have not reached yet.
    pub visited: RwSignal<HashSet<FormField>>,
    /// Set by the first press of Generate: from then on every message shows.
    pub submit_attempted: RwSignal<bool>,
    /// The browser files behind file references, by reference.
    pub media: StoredValue<HashMap<ReferenceId, LocalMedia>, LocalStorage>,
    /// The prompt box, so a reference label can be inserted at its cursor.
    pub prompt: NodeRef<html::Textarea>,
    /// fal's objections to the last run's input, as placed.
    pub server_problems: RwSignal<Option<ServerProblems>>,
    /// The objections that still apply: none once the person changes the
    /// form, since they describe the input as it was sent.
    pub current_server_problems: Memo<Vec<Issue<FormField>>>,
    /// A polite announcement from the references panel ("Added Image 2").
    pub announcement: RwSignal<String>,
    /// The uploads of the last Generate, shown on the reference items; it
    /// also keeps each uploaded file's URL on its reference.
    pub uploads: UploadBoard,
    /// Keeps element ids unique when several forms share a page (tests).
    instance: usize,
}

static INSTANCES: AtomicUsize = AtomicUsize::new(0);

impl FormContext {
    pub fn new(initial: FormState, storage_key: &'static str, restore_failed: bool) -> Self {
        let state = RwSignal::new(initial);
        let server_problems = RwSignal::new(None::<ServerProblems>);
        let variations = RwSignal::new(Variations::default());
        Self {
            state,
            validation: Memo::new(move |_| {
                let issues = state.with(FormState::validate);
                variations.with(|v| {
                    if v.is_batch() {
                        form_issues_for_batch(issues, v)
                    } else {
                        issues
                    }
                })
            }),
            variations,
            variation_issues: Memo::new(move |_| {
                variations.with(|v| state.with(|s| v.validate(s)))
            }),
            batch_cost: Memo::new(move |_| {
                variations.with(|v| {
                    if !v.is_batch() {
                        return None;
                    }
                    state.with(|s| {
                        // Seeds do not change the price: any will do here.
                        let plan = BatchPlan::new(s, v, &mut || 0).ok()?;
                        Some(BatchCost::new(&s.cost(), &plan))
                    })
                })
            }),
            storage_key,
            restore_failed,
            visited: RwSignal::new(HashSet::new()),
            submit_attempted: RwSignal::new(false),
            media: StoredValue::new_local(HashMap::new()),
            prompt: NodeRef::new(),
            server_problems,
            current_server_problems: Memo::new(move |_| {
                server_problems.with(|placed| match placed {
                    Some(placed) if state.with(|now| *now == placed.state) => {
                        placed.problems.clone()
                    }
                    _ => Vec::new(),
                })
            }),
            announcement: RwSignal::new(String::new()),
            uploads: UploadBoard::new(state),
            instance: INSTANCES.fetch_add(1, Ordering::Relaxed) + 1,
        }
    }

    /// A page-unique element id for `name`.
    pub fn id(&self, name: &str) -> String {
        format!("form{}-{name}", self.instance)
    }

    /// The element that holds `field`, for focusing it from the summary.
    pub fn field_element_id(&self, field: FormField) -> String {
        match field {
            FormField::Prompt => self.id("prompt"),
            FormField::NegativePrompt => self.id("negative"),
            FormField::Duration => self.id("duration-number"),
            FormField::Seed => self.id("seed"),
            FormField::References => self.id("references"),
            FormField::Reference(id) => self.id(&format!("ref-{}", id.0)),
        }
    }

    /// The id of the message element for `field`.
    pub fn message_id(&self, field: FormField) -> String {
        format!("{}-message", self.field_element_id(field))
    }

    /// Marks a field as visited (called when focus leaves it).
    pub fn visit(&self, field: FormField) {
        if !self.visited.with_untracked(|v| v.contains(&field)) {
            self.visited.update(|v| {
                v.insert(field);
            });
        }
    }

    /// The issue to show next to `field` now, if any.
    pub fn shown_issue(&self, field: FormField) -> Option<Issue<FormField>> {
        if let Some(problem) = self
            .current_server_problems
            .with(|p| p.iter().find(|i| i.field == field).cloned())
        {
            return Some(problem);
        }
        let showing = self.submit_attempted.get() || self.visited.with(|v| v.contains(&field));
        if !showing {
            return None;
        }
        self.validation.with(|v| v.for_field(field).cloned())
    }

    /// The errors that block Generate now, in the form's order.
    pub fn errors_untracked(&self) -> Vec<Issue<FormField>> {
        self.validation
            .with_untracked(|v| v.errors().cloned().collect())
    }

    /// The variations' errors that stop Generate now.
    pub fn variation_errors_untracked(&self) -> Vec<Issue<VariationsField>> {
        self.variation_issues
            .with_untracked(|v| v.errors().cloned().collect())
    }

    /// The element that holds a variations control, for focusing it.
    pub fn variations_element_id(&self, field: VariationsField) -> String {
        use crate::core::batch::variations::Axis;
        match field {
            VariationsField::Seeds | VariationsField::Runs => self.id("variation-seeds"),
            VariationsField::Vary => self.id("vary-aspect-ratio"),
            VariationsField::Axis(Axis::PromptVariants) => self.id("prompt-variants"),
            VariationsField::Axis(axis) => self.id(&format!("vary-{}", axis_slug(axis))),
        }
    }

    /// Moves focus to an element by id once the DOM has caught up.
    pub fn focus_later(&self, element_id: String) {
        request_animation_frame(move || {
            if let Some(element) = document().get_element_by_id(&element_id) {
                if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element)
                {
                    let _ = element.focus();
                }
            }
        });
    }
}

/// The form's shared context; every form component sits inside `Form`.
pub fn use_form() -> FormContext {
    expect_context::<FormContext>()
}

/// An axis as a word for element ids.
pub fn axis_slug(axis: crate::core::batch::variations::Axis) -> &'static str {
    use crate::core::batch::variations::Axis;
    match axis {
        Axis::AspectRatio => "aspect-ratio",
        Axis::Resolution => "resolution",
        Axis::Duration => "duration",
        Axis::MultiShot => "multi-shot",
        Axis::PromptVariants => "prompt-variants",
    }
}
