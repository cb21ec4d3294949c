//! What the rest of the page does to the form: load a past run's inputs
//! ("Edit and rerun"), reuse a result's seed, and place fal's objections to
//! an input next to the fields they concern.

use crate::core::fal::error::{ErrorTarget, FalError, FalErrorKind};
use crate::core::form::references::References;
use crate::core::form::state::FormState;
use crate::core::form::validation::FormField;
use crate::core::model::issues::Issue;
use crate::core::model::schema::R2vInput;
use crate::core::model::validation::{Field, ReferenceKind};

impl FormState {
    /// Replaces the form with `input`. References come back as URLs (the
    /// uploaded files' fal URLs), so a rerun uploads nothing again.
    pub fn load_input(&mut self, input: &R2vInput) {
        let mut references = References::default();
        for url in &input.reference_image_urls {
            references.add_url(url, ReferenceKind::Image);
        }
        for url in &input.reference_video_urls {
            references.add_url(url, ReferenceKind::Video);
        }
        *self = FormState {
            prompt: input.prompt.clone(),
            negative_prompt: input.negative_prompt.clone().unwrap_or_default(),
            aspect_ratio: input.aspect_ratio,
            resolution: input.resolution,
            duration: input.duration,
            duration_draft: None,
            multi_shots: input.multi_shots,
            seed_text: input.seed.map(|s| s.to_string()).unwrap_or_default(),
            seed_locked: input.seed.is_some(),
            safety_checker: input.enable_safety_checker,
            references,
        };
    }

    /// Puts `seed` in the seed box and locks it for the next runs.
    pub fn reuse_seed(&mut self, seed: i64) {
        self.seed_text = seed.to_string();
        self.seed_locked = true;
    }
}

/// fal's objections to the input, placed on the form's fields. Problems
/// without a field of their own (the request as a whole, a setting with no
/// control) land on the prompt, where the person starts reading.
pub fn problems_for_form(error: &FalError, state: &FormState) -> Vec<Issue<FormField>> {
    let problems = match &error.kind {
        FalErrorKind::Validation(problems) | FalErrorKind::ContentPolicy(problems) => problems,
        _ => return Vec::new(),
    };
    let flagged = matches!(error.kind, FalErrorKind::ContentPolicy(_));
    problems
        .iter()
        .map(|problem| {
            let field = match &problem.target {
                ErrorTarget::Field(Field::Prompt) => FormField::Prompt,
                ErrorTarget::Field(Field::NegativePrompt) => FormField::NegativePrompt,
                ErrorTarget::Field(Field::Seed) => FormField::Seed,
                ErrorTarget::Field(Field::References) => FormField::References,
                ErrorTarget::Field(Field::ReferenceImage(i)) => {
                    nth_reference(state, ReferenceKind::Image, *i)
                }
                ErrorTarget::Field(Field::ReferenceVideo(i)) => {
                    nth_reference(state, ReferenceKind::Video, *i)
                }
                ErrorTarget::Setting(name) if name == "duration" => FormField::Duration,
                ErrorTarget::Setting(name) if name == "seed" => FormField::Seed,
                ErrorTarget::Setting(_) | ErrorTarget::Request => FormField::Prompt,
            };
            let message = if flagged {
                format!("fal's content checker flagged this: {}", problem.message)
            } else {
                format!("fal refused this: {}", problem.message)
            };
            Issue::error(field, message)
        })
        .collect()
}

fn nth_reference(state: &FormState, kind: ReferenceKind, index: usize) -> FormField {
    state
        .references
        .labelled()
        .filter_map(|(item, label)| label.filter(|l| l.kind == kind).map(|_| item.id))
        .nth(index)
        .map_or(FormField::References, FormField::Reference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fal::classify::classify;
    use crate::core::fal::http::HttpResponse;
    use crate::core::model::schema::{AspectRatio, DurationSeconds, Resolution};

    fn input() -> R2vInput {
        R2vInput {
            prompt: "Image 1 and Video 1 dance".into(),
            reference_image_urls: vec![
                "https://v3.fal.media/files/a.png".into(),
                "https://x.org/b.png".into(),
            ],
            reference_video_urls: vec!["https://v3.fal.media/files/c.mp4".into()],
            negative_prompt: Some("blur".into()),
            aspect_ratio: AspectRatio::Portrait9x16,
            resolution: Resolution::P720,
            duration: DurationSeconds::new(8).unwrap(),
            multi_shots: true,
            seed: Some(99),
            enable_safety_checker: false,
        }
    }

    #[test]
    fn loading_a_past_input_round_trips_through_the_form() {
        let mut state = FormState::default();
        state.load_input(&input());
        assert!(state.seed_locked);
        let request = state.request();
        assert!(
            request.uploads.is_empty(),
            "uploaded files come back as URLs"
        );
        assert_eq!(request.input, input());
    }

    #[test]
    fn reusing_a_seed_locks_it() {
        let mut state = FormState::default();
        state.reuse_seed(1234);
        assert_eq!(state.seed_text, "1234");
        assert!(state.seed_locked);
        assert_eq!(state.request().input.seed, Some(1234));
    }

    #[test]
    fn fal_objections_land_on_their_fields() {
        let mut state = FormState::default();
        state.load_input(&input());
        let body = r#"{"detail":[
            {"loc":["body","prompt"],"msg":"String should have at most 5000 characters","type":"string_too_long"},
            {"loc":["body","reference_image_urls",1],"msg":"Could not download the image","type":"file_download_error"},
            {"loc":["body","duration"],"msg":"Input should be 2..10","type":"enum"}
        ]}"#;
        let error = classify(&HttpResponse::new(422, body), 0, "expected a result");
        let issues = problems_for_form(&error, &state);
        assert_eq!(issues.len(), 3);
        assert_eq!(issues[0].field, FormField::Prompt);
        assert!(issues[0].message.contains("at most 5000"));
        let second_image = state.references.items()[1].id;
        assert_eq!(issues[1].field, FormField::Reference(second_image));
        assert_eq!(issues[2].field, FormField::Duration);
    }

    #[test]
    fn content_policy_names_the_flagged_input() {
        let mut state = FormState::default();
        state.load_input(&input());
        let body = r#"{"detail":[{"loc":["body","reference_video_urls",0],"msg":"Content flagged","type":"content_policy_violation"}]}"#;
        let error = classify(&HttpResponse::new(422, body), 0, "expected a result");
        let issues = problems_for_form(&error, &state);
        let video = state.references.items()[2].id;
        assert_eq!(issues[0].field, FormField::Reference(video));
        assert!(issues[0]
            .message
            .starts_with("fal's content checker flagged this"));
    }

    #[test]
    fn other_errors_place_nothing() {
        let error = classify(&HttpResponse::new(500, r#"{"detail":"boom"}"#), 0, "x");
        assert!(problems_for_form(&error, &FormState::default()).is_empty());
    }
}
