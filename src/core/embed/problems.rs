//! What a host page hears when `generate` is refused for the input: each
//! problem by the field it concerns, in the same words the frame shows next
//! to that field, so a host can put them beside its own controls.

use serde::Serialize;

use crate::core::batch::variations::{Axis, VariationsField};
use crate::core::form::validation::FormField;
use crate::core::model::issues::Issue;

/// One problem with the form's input, by field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `prompt`, `negative_prompt`, `duration`, `seed` or `references`; for
    /// the "Variations" group `variations.seeds`, `variations.vary`,
    /// `variations.runs` (the batch as a whole, e.g. too many runs) or
    /// `variations.<setting>` with the setting's `vary` key.
    pub field: &'static str,
    pub message: String,
}

/// The errors among the form's issues, as problems a host can show.
pub fn problems(issues: &[Issue<FormField>]) -> Vec<Problem> {
    errors_by_name(issues, |field| match field {
        FormField::Prompt => "prompt",
        FormField::NegativePrompt => "negative_prompt",
        FormField::Duration => "duration",
        FormField::Seed => "seed",
        FormField::References | FormField::Reference(_) => "references",
    })
}

/// The errors of the "Variations" group, as problems a host can show; the
/// field names follow the keys of `set_inputs`' `variations`.
pub fn variation_problems(issues: &[Issue<VariationsField>]) -> Vec<Problem> {
    errors_by_name(issues, |field| match field {
        VariationsField::Seeds => "variations.seeds",
        VariationsField::Vary => "variations.vary",
        VariationsField::Runs => "variations.runs",
        VariationsField::Axis(Axis::AspectRatio) => "variations.aspect_ratio",
        VariationsField::Axis(Axis::Resolution) => "variations.resolution",
        VariationsField::Axis(Axis::Duration) => "variations.duration",
        VariationsField::Axis(Axis::MultiShot) => "variations.multi_shots",
        VariationsField::Axis(Axis::PromptVariants) => "variations.prompt_variants",
    })
}

/// The errors among `issues` (warnings are the person's to weigh), each
/// under the name the protocol gives its field.
fn errors_by_name<F: Copy>(issues: &[Issue<F>], name: impl Fn(F) -> &'static str) -> Vec<Problem> {
    issues
        .iter()
        .filter(|i| i.is_error())
        .map(|issue| Problem {
            field: name(issue.field),
            message: issue.message.clone(),
        })
        .collect()
}
