//! Every check the form runs before Generate, with each problem tied to the
//! control it concerns. The field rules are the model's
//! (`core::model::validation`);
//! this adds what only the form knows: text typed but not valid, refused or
//! missing files, and videos whose length is still being read.

use crate::core::form::references::{ReferenceId, ReferenceSource};
use crate::core::form::state::FormState;
use crate::core::model::issues::{Issue, Issues};
use crate::core::model::pricing::{format_tenths, millis_to_tenths, BilledLength};
use crate::core::model::validation::{
    check_negative_prompt, check_prompt, check_reference_count, check_reference_url, parse_seed,
    ReferenceKind,
};

/// Shortest reference video the upstream model takes, in milliseconds.
const VIDEO_MIN_MILLIS: u64 = 1_000;
/// Longest reference video the upstream model takes, in milliseconds.
const VIDEO_MAX_MILLIS: u64 = 30_000;

/// The control a problem is shown next to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormField {
    Prompt,
    NegativePrompt,
    Duration,
    Seed,
    /// The references as a whole (how many there are).
    References,
    /// One reference, by identity, so the message stays on its item when
    /// the list is reordered.
    Reference(ReferenceId),
}

impl FormState {
    /// Checks the whole form.
    pub fn validate(&self) -> Issues<FormField> {
        let mut issues = Vec::new();
        if let Some(issue) = check_prompt(&self.prompt) {
            issues.push(issue.on(FormField::Prompt));
        }
        if let Some(issue) = check_negative_prompt(&self.negative_prompt) {
            issues.push(issue.on(FormField::NegativePrompt));
        }
        issues.extend(self.check_references());
        if let Some(draft) = &self.duration_draft {
            let message = if draft.trim().is_empty() {
                "Enter the duration: a whole number of seconds from 2 to 10.".to_string()
            } else {
                format!(
                    "\u{201c}{}\u{201d} is not a duration fal offers: use a whole number of \
                     seconds from 2 to 10.",
                    draft.trim()
                )
            };
            issues.push(Issue::error(FormField::Duration, message));
        }
        if let Err(issue) = parse_seed(&self.seed_text) {
            issues.push(issue.on(FormField::Seed));
        }
        Issues { issues }
    }

    fn check_references(&self) -> Vec<Issue<FormField>> {
        let mut issues = Vec::new();
        let mut numbered = 0;
        for (item, label) in self.references.labelled() {
            let field = FormField::Reference(item.id);
            if let Some(refusal) = &item.refusal {
                issues.push(Issue::error(
                    field,
                    format!("{} Remove it to continue.", refusal.message()),
                ));
                continue;
            }
            let Some(label) = label else { continue };
            numbered += 1;
            match &item.source {
                ReferenceSource::FileToAddAgain(file) => issues.push(Issue::error(
                    field,
                    format!(
                        "Files are not kept when the page reloads: add {} again, or remove it.",
                        file.name
                    ),
                )),
                ReferenceSource::Url(url) => {
                    let index = label.number - 1;
                    if let Some(issue) = check_reference_url(label.kind, index, url) {
                        issues.push(issue.on(field));
                    }
                }
                ReferenceSource::File(_) => {
                    if let Some(problem) = item.trim_problem() {
                        issues.push(Issue::error(field, problem));
                    }
                }
            }
            if label.kind == ReferenceKind::Video {
                match item.billed_length() {
                    BilledLength::Reading => issues.push(Issue::error(
                        field,
                        "Reading this video's length, which fal bills; one moment.",
                    )),
                    BilledLength::Known { millis }
                        if !(VIDEO_MIN_MILLIS..=VIDEO_MAX_MILLIS).contains(&millis) =>
                    {
                        issues.push(Issue::warning(
                            field,
                            format!(
                                "This video is {} long; the Wan 2.7 model upstream takes \
                                 reference videos of 1 to 30 s, so fal may refuse the run.",
                                format_tenths(millis_to_tenths(millis))
                            ),
                        ))
                    }
                    _ => {}
                }
            }
        }
        if let Some(issue) = check_reference_count(numbered) {
            issues.push(issue.on(FormField::References));
        }
        if numbered == 0 {
            issues.push(Issue::warning(
                FormField::References,
                "No references yet: the model works from reference images and videos, and \
                 upstream it needs at least one, so fal may refuse a run without.",
            ));
        }
        issues
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::form::references::VideoLength;
    use crate::core::model::issues::Severity;
    use crate::core::model::reference_media::LocalFile;

    fn valid_form() -> FormState {
        let mut form = FormState {
            prompt: "Image 1 walks".into(),
            ..FormState::default()
        };
        form.references
            .add_url("https://x.org/cat.png", ReferenceKind::Image);
        form
    }

    fn file(name: &str, size: u64, mime: &str) -> LocalFile {
        LocalFile {
            name: name.into(),
            size,
            mime: mime.into(),
        }
    }

    fn message(v: &Issues<FormField>, field: FormField) -> String {
        v.for_field(field)
            .map(|i| i.message.clone())
            .unwrap_or_else(|| panic!("no issue for {field:?} in {v:?}"))
    }

    #[test]
    fn a_complete_form_is_sendable_without_issues() {
        let v = valid_form().validate();
        assert!(v.is_sendable());
        assert_eq!(v.issues, vec![]);
    }

    #[test]
    fn field_rules_come_from_the_core() {
        let mut form = valid_form();
        form.prompt = "  ".into();
        form.negative_prompt = "n".repeat(501);
        form.seed_text = "-4".into();
        let v = form.validate();
        assert!(!v.is_sendable());
        assert!(message(&v, FormField::Prompt).contains("required"));
        assert!(message(&v, FormField::NegativePrompt).contains("501 characters"));
        assert!(message(&v, FormField::Seed).contains("0 to 2147483647"));
        let order: Vec<_> = v.issues.iter().map(|i| i.field).collect();
        assert_eq!(
            order,
            vec![
                FormField::Prompt,
                FormField::NegativePrompt,
                FormField::Seed
            ]
        );
    }

    #[test]
    fn a_bad_duration_box_blocks_with_its_text() {
        let mut form = valid_form();
        form.type_duration("12");
        let v = form.validate();
        assert_eq!(
            message(&v, FormField::Duration),
            "\u{201c}12\u{201d} is not a duration fal offers: use a whole number of seconds \
             from 2 to 10."
        );
        form.type_duration(" ");
        assert!(message(&form.validate(), FormField::Duration).starts_with("Enter the duration"));
        form.type_duration("10");
        assert!(form.validate().is_sendable());
    }

    #[test]
    fn refused_and_missing_files_block_on_their_item() {
        let mut form = valid_form();
        let pdf = form
            .references
            .add_file(file("a.pdf", 1, "application/pdf"));
        let again = form
            .references
            .add_file_to_add_again(file("dog.png", 1, "image/png"), ReferenceKind::Image);
        let v = form.validate();
        assert!(!v.is_sendable());
        assert!(message(&v, FormField::Reference(pdf)).ends_with("Remove it to continue."));
        assert_eq!(
            message(&v, FormField::Reference(again)),
            "Files are not kept when the page reloads: add dog.png again, or remove it."
        );
        form.references.remove(pdf);
        form.references
            .replace_with_file(again, file("dog.png", 1, "image/png"));
        assert!(form.validate().is_sendable());
    }

    #[test]
    fn videos_block_while_their_length_is_read_and_warn_when_out_of_range() {
        let mut form = valid_form();
        let clip = form.references.add_file(file("clip.mp4", 1, "video/mp4"));
        let v = form.validate();
        assert!(!v.is_sendable());
        assert!(message(&v, FormField::Reference(clip)).starts_with("Reading this video"));

        form.references
            .set_video_length(clip, VideoLength::Known { millis: 45_210 });
        let v = form.validate();
        assert!(v.is_sendable());
        assert_eq!(
            message(&v, FormField::Reference(clip)),
            "This video is 45.2 s long; the Wan 2.7 model upstream takes reference videos of 1 \
             to 30 s, so fal may refuse the run."
        );

        form.references
            .set_video_length(clip, VideoLength::Known { millis: 8_000 });
        assert_eq!(form.validate().issues, vec![]);
        form.references.set_video_length(clip, VideoLength::Unknown);
        assert_eq!(
            form.validate().issues,
            vec![],
            "unknown length: priced as unknown"
        );
    }

    #[test]
    fn reference_urls_are_checked_by_their_label_position() {
        let mut form = valid_form();
        let bad = form
            .references
            .add_url("javascript:alert(1)", ReferenceKind::Image);
        let v = form.validate();
        assert!(message(&v, FormField::Reference(bad)).starts_with("javascript: links"));
    }

    #[test]
    fn reference_count_warns_above_five_and_at_zero() {
        let mut form = valid_form();
        for n in 0..5 {
            form.references
                .add_url(&format!("https://x.org/{n}.png"), ReferenceKind::Image);
        }
        let v = form.validate();
        assert!(v.is_sendable());
        assert!(message(&v, FormField::References).starts_with("6 references"));

        let empty = FormState {
            prompt: "p".into(),
            ..FormState::default()
        };
        let v = empty.validate();
        assert!(v.is_sendable());
        assert_eq!(
            v.for_field(FormField::References).unwrap().severity,
            Severity::Warning
        );
    }
}
