//! The form as saved between visits (JSON, versioned).
//!
//! Everything comes back except the bytes of local files, which a page
//! cannot keep: those return as "add again" entries in their old place, so
//! the prompt's "Image 2" still means the same slot. Refused entries are not
//! saved, since they could never be sent. The format carries a version so a
//! later change can read or discard old saves deliberately.

use serde::{Deserialize, Serialize};

use super::form_state::FormState;
use super::model::{AspectRatio, DurationSeconds, Resolution};
use super::reference_media::LocalFile;
use super::references::{ReferenceSource, VideoLength};
use super::validation::ReferenceKind;

/// The version written by this build.
pub const FORM_FORMAT_VERSION: u32 = 1;

/// Why a saved form was not restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreError {
    /// Not JSON of the expected shape.
    Malformed(String),
    /// Written by a build with another format.
    UnknownVersion(u32),
}

#[derive(Serialize, Deserialize)]
struct SavedForm {
    version: u32,
    prompt: String,
    #[serde(default)]
    negative_prompt: String,
    aspect_ratio: AspectRatio,
    resolution: Resolution,
    duration: DurationSeconds,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    duration_draft: Option<String>,
    multi_shots: bool,
    #[serde(default)]
    seed: String,
    #[serde(default)]
    seed_locked: bool,
    safety_checker: bool,
    #[serde(default)]
    references: Vec<SavedReference>,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
enum SavedReference {
    Url {
        kind: SavedKind,
        url: String,
        /// A video's length when it was read, so it is not read again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        length_ms: Option<u64>,
    },
    File {
        kind: SavedKind,
        name: String,
        size: u64,
        mime: String,
    },
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SavedKind {
    Image,
    Video,
}

impl From<ReferenceKind> for SavedKind {
    fn from(kind: ReferenceKind) -> Self {
        match kind {
            ReferenceKind::Image => SavedKind::Image,
            ReferenceKind::Video => SavedKind::Video,
        }
    }
}

impl From<SavedKind> for ReferenceKind {
    fn from(kind: SavedKind) -> Self {
        match kind {
            SavedKind::Image => ReferenceKind::Image,
            SavedKind::Video => ReferenceKind::Video,
        }
    }
}

impl FormState {
    /// The form as JSON for local storage.
    pub fn to_saved_json(&self) -> String {
        let references = self
            .references
            .items()
            .iter()
            .filter(|item| item.is_numbered())
            .filter_map(|item| {
                let kind = SavedKind::from(item.kind?);
                Some(match &item.source {
                    ReferenceSource::Url(url) => SavedReference::Url {
                        kind,
                        url: url.clone(),
                        length_ms: match item.length {
                            Some(VideoLength::Known { millis }) => Some(millis),
                            _ => None,
                        },
                    },
                    ReferenceSource::File(file) | ReferenceSource::FileToAddAgain(file) => {
                        SavedReference::File {
                            kind,
                            name: file.name.clone(),
                            size: file.size,
                            mime: file.mime.clone(),
                        }
                    }
                })
            })
            .collect();
        let saved = SavedForm {
            version: FORM_FORMAT_VERSION,
            prompt: self.prompt.clone(),
            negative_prompt: self.negative_prompt.clone(),
            aspect_ratio: self.aspect_ratio,
            resolution: self.resolution,
            duration: self.duration,
            duration_draft: self.duration_draft.clone(),
            multi_shots: self.multi_shots,
            seed: self.seed_text.clone(),
            seed_locked: self.seed_locked,
            safety_checker: self.safety_checker,
            references,
        };
        serde_json::to_string(&saved).expect("the saved form always serialises")
    }

    /// Restores a saved form. Local files come back as entries to add again;
    /// URL videos whose length was not known are read again.
    pub fn from_saved_json(json: &str) -> Result<FormState, RestoreError> {
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }
        let VersionOnly { version } =
            serde_json::from_str(json).map_err(|e| RestoreError::Malformed(e.to_string()))?;
        if version != FORM_FORMAT_VERSION {
            return Err(RestoreError::UnknownVersion(version));
        }
        let saved: SavedForm =
            serde_json::from_str(json).map_err(|e| RestoreError::Malformed(e.to_string()))?;
        let mut form = FormState {
            prompt: saved.prompt,
            negative_prompt: saved.negative_prompt,
            aspect_ratio: saved.aspect_ratio,
            resolution: saved.resolution,
            duration: saved.duration,
            duration_draft: saved.duration_draft,
            multi_shots: saved.multi_shots,
            seed_text: saved.seed,
            seed_locked: saved.seed_locked,
            safety_checker: saved.safety_checker,
            ..FormState::default()
        };
        for reference in saved.references {
            match reference {
                SavedReference::Url {
                    kind,
                    url,
                    length_ms,
                } => {
                    let length = length_ms.map(|millis| VideoLength::Known { millis });
                    form.references
                        .add_url_with_length(&url, kind.into(), length);
                }
                SavedReference::File {
                    kind,
                    name,
                    size,
                    mime,
                } => {
                    form.references
                        .add_file_to_add_again(LocalFile { name, size, mime }, kind.into());
                }
            }
        }
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::form_validation::FormField;

    fn file(name: &str, mime: &str) -> LocalFile {
        LocalFile {
            name: name.into(),
            size: 1_234,
            mime: mime.into(),
        }
    }

    #[test]
    fn everything_but_file_bytes_survives_a_round_trip() {
        let mut form = FormState {
            prompt: "Image 1 and Video 1 dance 🎬".into(),
            negative_prompt: "blur".into(),
            aspect_ratio: AspectRatio::Portrait9x16,
            resolution: Resolution::P720,
            duration: DurationSeconds::new(9).unwrap(),
            duration_draft: Some("11".into()),
            multi_shots: true,
            seed_text: "1234".into(),
            seed_locked: true,
            safety_checker: false,
            ..FormState::default()
        };
        form.references.add_file(file("cat.png", "image/png"));
        let known = form
            .references
            .add_url("https://x.org/a.mp4", ReferenceKind::Video);
        form.references
            .set_video_length(known, VideoLength::Known { millis: 8_200 });
        form.references
            .add_url("https://x.org/b.mp4", ReferenceKind::Video);
        form.references
            .add_file(file("notes.pdf", "application/pdf"));
        form.references
            .add_file(file("clip.mov", "video/quicktime"));

        let back = FormState::from_saved_json(&form.to_saved_json()).unwrap();
        assert_eq!(back.prompt, form.prompt);
        assert_eq!(back.negative_prompt, "blur");
        assert_eq!(back.aspect_ratio, AspectRatio::Portrait9x16);
        assert_eq!(back.resolution, Resolution::P720);
        assert_eq!(back.duration.seconds(), 9);
        assert_eq!(back.duration_draft.as_deref(), Some("11"));
        assert!(back.multi_shots && back.seed_locked && !back.safety_checker);
        assert_eq!(back.seed_text, "1234");

        let items: Vec<_> = back
            .references
            .labelled()
            .map(|(r, l)| (r.source.clone(), r.length, l.unwrap().to_string()))
            .collect();
        assert_eq!(
            items,
            vec![
                (
                    ReferenceSource::FileToAddAgain(file("cat.png", "image/png")),
                    None,
                    "Image 1".into()
                ),
                (
                    ReferenceSource::Url("https://x.org/a.mp4".into()),
                    Some(VideoLength::Known { millis: 8_200 }),
                    "Video 1".into()
                ),
                (
                    ReferenceSource::Url("https://x.org/b.mp4".into()),
                    Some(VideoLength::Reading),
                    "Video 2".into()
                ),
                (
                    ReferenceSource::FileToAddAgain(file("clip.mov", "video/quicktime")),
                    None,
                    "Video 3".into()
                ),
            ],
            "the refused PDF is dropped; files come back to be added again"
        );
        let v = back.validate();
        let first = back.references.items()[0].id;
        assert!(v
            .for_field(FormField::Reference(first))
            .unwrap()
            .message
            .contains("add cat.png again"));
    }

    #[test]
    fn the_saved_format_is_versioned_and_readable() {
        let json = FormState::default().to_saved_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["version"], 1);
        assert_eq!(value["aspect_ratio"], "16:9");
        assert_eq!(value["duration"], 5);
        assert_eq!(value["safety_checker"], true);
        assert_eq!(
            FormState::from_saved_json(&json).unwrap(),
            FormState::default()
        );
    }

    #[test]
    fn other_versions_and_garbage_are_refused_not_misread() {
        assert_eq!(
            FormState::from_saved_json(r#"{"version":2,"prompt":"x"}"#),
            Err(RestoreError::UnknownVersion(2))
        );
        for bad in ["", "null", "{", r#"{"version":1}"#, r#"{"version":"1"}"#] {
            assert!(
                matches!(
                    FormState::from_saved_json(bad),
                    Err(RestoreError::Malformed(_))
                ),
                "{bad}"
            );
        }
        let bad_ratio = FormState::default().to_saved_json().replace("16:9", "21:9");
        assert!(FormState::from_saved_json(&bad_ratio).is_err());
    }
}
