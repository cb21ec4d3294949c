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
use crate::core::model::validation::{parse_seed, ReferenceKind};

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
        !self.prompt.trim().is_empty()
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
mod tests {
    use super::*;
    use crate::core::form::references::VideoLength;

    fn file(name: &str, mime: &str) -> LocalFile {
        LocalFile {
            name: name.into(),
            size: 1_000,
            mime: mime.into(),
        }
    }

    #[test]
    fn defaults_are_the_models() {
        let form = FormState::default();
        assert_eq!(form.request().input, R2vInput::default());
        assert!(form.request().uploads.is_empty());
        assert!(form.safety_checker);
        assert_eq!(form.duration_text(), "5");
    }

    #[test]
    fn a_prompt_of_blanks_is_no_prompt() {
        let mut form = FormState::default();
        assert!(!form.has_prompt());
        form.prompt = " \n\t".into();
        assert!(!form.has_prompt());
        form.prompt = "A koala".into();
        assert!(form.has_prompt());
    }

    #[test]
    fn request_keeps_list_order_with_upload_slots() {
        let mut form = FormState {
            prompt: "Image 1 meets Image 2".into(),
            negative_prompt: "blur".into(),
            seed_text: " 42 ".into(),
            ..FormState::default()
        };
        let cat = form.references.add_file(file("cat.png", "image/png"));
        form.references
            .add_file(file("notes.pdf", "application/pdf"));
        form.references
            .add_url("https://x.org/dog.jpg", ReferenceKind::Image);
        let clip = form.references.add_file(file("clip.mp4", "video/mp4"));

        let mut request = form.request();
        assert_eq!(
            request.input.reference_image_urls,
            vec!["", "https://x.org/dog.jpg"]
        );
        assert_eq!(request.input.reference_video_urls, vec![""]);
        assert_eq!(request.input.seed, Some(42));
        assert_eq!(request.input.negative_prompt.as_deref(), Some("blur"));
        let names: Vec<_> = request
            .uploads
            .iter()
            .map(|u| (u.file.name.as_str(), u.position, u.label.to_string()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("cat.png", 0, "Image 1".to_string()),
                ("clip.mp4", 0, "Video 1".to_string())
            ]
        );

        assert!(!request.is_ready());
        assert!(request.fill_upload(cat, "https://v3.fal.media/files/cat.png"));
        assert!(!request.fill_upload(cat, "https://again"), "already filled");
        assert!(request.fill_upload(clip, "https://v3.fal.media/files/clip.mp4"));
        assert!(request.is_ready());
        assert_eq!(
            request.input.reference_image_urls,
            vec![
                "https://v3.fal.media/files/cat.png",
                "https://x.org/dog.jpg"
            ]
        );
        assert_eq!(
            request.input.reference_video_urls,
            vec!["https://v3.fal.media/files/clip.mp4"]
        );
    }

    #[test]
    fn an_empty_negative_prompt_and_seed_are_omitted() {
        let form = FormState {
            prompt: "p".into(),
            seed_text: "".into(),
            ..FormState::default()
        };
        let input = form.request().input;
        assert_eq!(input.negative_prompt, None);
        assert_eq!(input.seed, None);
    }

    #[test]
    fn cost_counts_numbered_videos_by_label() {
        let mut form = FormState::default();
        let a = form.references.add_file(file("a.mp4", "video/mp4"));
        let bad = form.references.add_file(file("bad.mp4", "video/mp4"));
        let b = form
            .references
            .add_url("https://x.org/b.mp4", ReferenceKind::Video);
        form.references.add_file(file("i.png", "image/png"));
        form.references
            .set_video_length(a, VideoLength::Known { millis: 8_200 });
        form.references.refuse_unreadable_video(bad, "damaged");
        form.references.set_video_length(b, VideoLength::Unknown);

        let cost = form.cost();
        assert_eq!(
            cost.arithmetic(),
            "5 s output + 8.2 s of reference video = 13.2 s × $0.10 = $1.32"
        );
        assert_eq!(cost.headline(), "At least $1.32");
        assert!(cost.unpriced_notes()[0].starts_with("Video 2: length unknown"));

        form.references
            .set_video_length(b, VideoLength::Known { millis: 4_000 });
        form.set_duration(DurationSeconds::new(10).unwrap());
        assert_eq!(
            form.cost().arithmetic(),
            "10 s output + 12.2 s of reference video = 22.2 s × $0.10 = $2.22"
        );
    }

    #[test]
    fn labels_insert_at_the_cursor() {
        let mut form = FormState {
            prompt: "🎬 walks".into(),
            ..FormState::default()
        };
        let img = form.references.add_file(file("a.png", "image/png"));
        let pdf = form.references.add_file(file("a.pdf", "application/pdf"));
        assert_eq!(form.insert_reference_label(img, 1, 1), Some(9));
        assert_eq!(form.prompt, "🎬 Image 1 walks");
        assert_eq!(form.insert_reference_label(pdf, 0, 0), None);
        assert_eq!(form.prompt, "🎬 Image 1 walks");
    }

    #[test]
    fn duration_box_and_slider_stay_in_step() {
        let mut form = FormState::default();
        form.type_duration("8");
        assert_eq!(
            (form.duration.seconds(), form.duration_text()),
            (8, "8".into())
        );
        form.type_duration("12");
        assert_eq!(
            form.duration.seconds(),
            8,
            "an invalid box keeps the last valid value"
        );
        assert_eq!(form.duration_text(), "12");
        form.set_duration(DurationSeconds::new(3).unwrap());
        assert_eq!(form.duration_text(), "3");
        assert_eq!(form.duration_draft, None);
        form.type_duration("");
        assert_eq!(form.duration_draft.as_deref(), Some(""));
    }

    #[test]
    fn seeds_roll_in_range_and_unlocked_seeds_are_used_once() {
        let mut form = FormState::default();
        form.roll_seed(u32::MAX);
        assert_eq!(form.seed_text, "2147483647");
        form.roll_seed(0);
        assert_eq!(form.seed_text, "0");
        form.roll_seed(0x8000_0001);
        assert_eq!(form.seed_text, "1");

        form.after_submit();
        assert_eq!(form.seed_text, "", "unlocked: cleared after Generate");

        form.seed_text = "77".into();
        form.seed_locked = true;
        form.after_submit();
        assert_eq!(form.seed_text, "77", "locked: kept");
    }
}
