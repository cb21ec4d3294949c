//! Everything the request form holds, as plain data, and what it turns into:
//! the request to send, its cost, and the labels the prompt refers to.
//!
//! The form's components only read and update this struct, so every rule of
//! the form is tested natively, without a browser.

use crate::core::form::references::{ReferenceId, ReferenceLabel, References};
use crate::core::form::text_cursor::{insert_label, Inserted};
use crate::core::form::trim::{SentTrim, Slot, TrimRange};
use crate::core::model::pricing::{CostEstimate, VideoCharge};
use crate::core::model::reference_media::LocalFile;
use crate::core::model::schema::{AspectRatio, DurationSeconds, R2vInput, Resolution, SEED_MAX};
use crate::core::model::validation::{is_blank_prompt, parse_seed, ReferenceKind};

/// The form's contents, including text typed but not yet valid (a seed of
/// "12a"), so it can be reported next to its field instead of dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormState {
    pub prompt: String,
    pub negative_prompt: String,
    pub aspect_ratio: AspectRatio,
    pub resolution: Resolution,
    pub duration: DurationSeconds,
    /// What the duration number box holds when it is not a valid duration
    /// ("12", "", "4.5"); `None` when it shows `duration`.
    pub duration_draft: Option<String>,
    pub multi_shots: bool,
    /// The seed box as typed; empty means a random seed.
    pub seed_text: String,
    /// Keep the seed for the next runs. Unlocked, the seed is used once and
    /// the box is cleared after Generate, so the next run is random again.
    pub seed_locked: bool,
    pub safety_checker: bool,
    pub references: References,
}

impl Default for FormState {
    fn default() -> Self {
        let input = R2vInput::default();
        Self {
            prompt: input.prompt,
            negative_prompt: String::new(),
            aspect_ratio: input.aspect_ratio,
            resolution: input.resolution,
            duration: input.duration,
            duration_draft: None,
            multi_shots: input.multi_shots,
            seed_text: String::new(),
            seed_locked: false,
            safety_checker: input.enable_safety_checker,
            references: References::default(),
        }
    }
}

/// A local file that must be uploaded to fal storage before submitting; its
/// URL then goes at `position` of the kind's URL list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingUpload {
    pub reference: ReferenceId,
    pub label: ReferenceLabel,
    pub file: LocalFile,
    /// Index in `reference_image_urls` or `reference_video_urls`.
    pub position: usize,
    /// A trimmed video's range: its cut is uploaded instead of `file`.
    pub trim: Option<TrimRange>,
}

/// The request the form describes: the model input, with an empty string at
/// each position a local file's URL will fill once it is uploaded.
#[derive(Debug, Clone, PartialEq)]
pub struct FormRequest {
    pub input: R2vInput,
    pub uploads: Vec<PendingUpload>,
    /// The videos sent trimmed, for the job's record.
    pub trims: Vec<SentTrim>,
}

impl FormRequest {
    /// Puts an uploaded file's URL in its slot. False when `reference` has
    /// no pending upload here.
    pub fn fill_upload(&mut self, reference: ReferenceId, url: &str) -> bool {
        let Some(index) = self.uploads.iter().position(|u| u.reference == reference) else {
            return false;
        };
        let upload = self.uploads.remove(index);
        let list = match upload.label.kind {
            ReferenceKind::Image => &mut self.input.reference_image_urls,
            ReferenceKind::Video => &mut self.input.reference_video_urls,
        };
        list[upload.position] = url.to_string();
        true
    }

    /// True once every local file has its URL.
    pub fn is_ready(&self) -> bool {
        self.uploads.is_empty()
    }
}

impl FormState {
    /// True once the prompt has words: the person is writing a request, so
    /// the code that runs jobs is worth fetching before they press
    /// Generate.
    pub fn has_prompt(&self) -> bool {
        !is_blank_prompt(&self.prompt)
    }

    /// The request as it stands, whether or not it is valid (the API view
    /// shows it while the person is still typing). Refused references are
    /// left out; a file already uploaded goes in by its fal URL; any other
    /// file (to add again included) is listed as its pending upload.
    pub fn request(&self) -> FormRequest {
        let mut input = R2vInput {
            prompt: self.prompt.clone(),
            negative_prompt: (!self.negative_prompt.is_empty())
                .then(|| self.negative_prompt.clone()),
            aspect_ratio: self.aspect_ratio,
            resolution: self.resolution,
            duration: self.duration,
            multi_shots: self.multi_shots,
            seed: parse_seed(&self.seed_text).ok().flatten(),
            enable_safety_checker: self.safety_checker,
            ..R2vInput::default()
        };
        let mut uploads = Vec::new();
        let mut trims = Vec::new();
        for (item, label) in self.references.labelled() {
            let Some(label) = label else { continue };
            let list = match label.kind {
                ReferenceKind::Image => &mut input.reference_image_urls,
                ReferenceKind::Video => &mut input.reference_video_urls,
            };
            if let Some(planned) = item.planned_trim() {
                trims.push(SentTrim::new(list.len(), item.display_name(), planned));
            }
            match item.slot() {
                // A link, or already on fal's storage: never uploaded twice.
                Slot::Url(url) => list.push(url.to_owned()),
                Slot::Upload(file, trim) => {
                    uploads.push(PendingUpload {
                        reference: item.id,
                        label,
                        file: file.clone(),
                        position: list.len(),
                        trim,
                    });
                    list.push(String::new());
                }
            }
        }
        FormRequest {
            input,
            uploads,
            trims,
        }
    }

    /// What the run will cost, with each reference video by its label.
    pub fn cost(&self) -> CostEstimate {
        let videos = self
            .references
            .labelled()
            .filter_map(|(item, label)| {
                let label = label.filter(|l| l.kind == ReferenceKind::Video)?;
                Some(VideoCharge {
                    label: label.to_string(),
                    length: item.billed_length(),
                })
            })
            .collect();
        CostEstimate {
            output_seconds: u32::from(self.duration.seconds()),
            videos,
        }
    }

    /// Inserts a reference's label at the prompt's selection (characters).
    /// `None` when the reference has no label (refused or gone).
    pub fn insert_reference_label(
        &mut self,
        id: ReferenceId,
        start: usize,
        end: usize,
    ) -> Option<usize> {
        let label = self.references.label(id)?.to_string();
        let Inserted { text, cursor } = insert_label(&self.prompt, start, end, &label);
        self.prompt = text;
        Some(cursor)
    }

    /// Sets the duration from the slider, which can only give valid values.
    pub fn set_duration(&mut self, duration: DurationSeconds) {
        self.duration = duration;
        self.duration_draft = None;
    }

    /// Sets the duration from what is typed in the number box; text that is
    /// not a whole number from 2 to 10 is kept as a draft and reported.
    pub fn type_duration(&mut self, text: &str) {
        match text
            .trim()
            .parse::<u8>()
            .ok()
            .and_then(DurationSeconds::new)
        {
            Some(duration) => self.set_duration(duration),
            None => self.duration_draft = Some(text.to_string()),
        }
    }

    /// What the duration number box should show.
    pub fn duration_text(&self) -> String {
        self.duration_draft
            .clone()
            .unwrap_or_else(|| self.duration.seconds().to_string())
    }

    /// Fills the seed box from 32 random bits, giving a seed in
    /// 0..=2147483647 with every value equally likely.
    pub fn roll_seed(&mut self, random_bits: u32) {
        self.seed_text = (random_bits & SEED_MAX).to_string();
    }

    /// What Generate leaves behind: an unlocked seed is cleared so the next
    /// run is random; a locked one stays for reuse.
    pub fn after_submit(&mut self) {
        if !self.seed_locked {
            self.seed_text.clear();
        }
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
