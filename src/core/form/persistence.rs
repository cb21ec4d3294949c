//! The form as saved between visits (JSON, versioned).
//!
//! Everything comes back except the bytes of local files, which a page
//! cannot keep: those return as "add again" entries in their old place, so
//! the prompt's "Image 2" still means the same slot; a file already uploaded
//! comes back usable, by its fal URL. Refused entries are not
//! saved, since they could never be sent. The format carries a version so a
//! later change can read or discard old saves deliberately.

use serde_json::{json, Map, Value};

use crate::core::form::references::{ReferenceSource, VideoLength};
use crate::core::form::state::FormState;
use crate::core::model::reference_media::LocalFile;
use crate::core::model::schema::{AspectRatio, DurationSeconds, Resolution};
use crate::core::model::validation::ReferenceKind;

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

// The format is read and written through `serde_json::Value` by hand rather
// than with derived (de)serialisers: the generated code for a dozen fields
// and a tagged enum costs more wasm than the whole form's logic.

fn kind_name(kind: ReferenceKind) -> &'static str {
    match kind {
        ReferenceKind::Image => "image",
        ReferenceKind::Video => "video",
    }
}

fn malformed(what: &str) -> RestoreError {
    RestoreError::Malformed(format!("{what} is missing or not valid"))
}

fn text(object: &Map<String, Value>, key: &str) -> Result<String, RestoreError> {
    match object.get(key) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(malformed(key)),
    }
}

fn flag(object: &Map<String, Value>, key: &str) -> Result<bool, RestoreError> {
    object
        .get(key)
        .and_then(Value::as_bool)
        .ok_or_else(|| malformed(key))
}

fn number(object: &Map<String, Value>, key: &str) -> Result<u64, RestoreError> {
    object
        .get(key)
        .and_then(Value::as_u64)
        .ok_or_else(|| malformed(key))
}

impl FormState {
    /// The form as JSON for local storage.
    pub fn to_saved_json(&self) -> String {
        let references: Vec<Value> = self
            .references
            .items()
            .iter()
            .filter(|item| item.is_numbered())
            .filter_map(|item| {
                let kind = kind_name(item.kind?);
                Some(match &item.source {
                    ReferenceSource::Url(url) => {
                        let mut saved = json!({ "source": "url", "kind": kind, "url": url });
                        // A video's length when it was read, so it is not read again.
                        if let Some(VideoLength::Known { millis }) = item.length {
                            saved["length_ms"] = json!(millis);
                        }
                        saved
                    }
                    ReferenceSource::File(file) | ReferenceSource::FileToAddAgain(file) => {
                        let mut saved = json!({
                            "source": "file",
                            "kind": kind,
                            "name": file.name,
                            "size": file.size,
                            "mime": file.mime,
                        });
                        // An uploaded file stays usable after a reload
                        // through its fal URL (and keeps its billed length).
                        if let Some(url) = &item.uploaded_url {
                            saved["uploaded_url"] = json!(url);
                            if let Some(VideoLength::Known { millis }) = item.length {
                                saved["length_ms"] = json!(millis);
                            }
                        }
                        saved
                    }
                })
            })
            .collect();
        let mut saved = json!({
            "version": FORM_FORMAT_VERSION,
            "prompt": self.prompt,
            "negative_prompt": self.negative_prompt,
            "aspect_ratio": self.aspect_ratio.as_str(),
            "resolution": self.resolution.as_str(),
            "duration": self.duration.seconds(),
            "multi_shots": self.multi_shots,
            "seed": self.seed_text,
            "seed_locked": self.seed_locked,
            "safety_checker": self.safety_checker,
            "references": references,
        });
        if let Some(draft) = &self.duration_draft {
            saved["duration_draft"] = json!(draft);
        }
        saved.to_string()
    }

    /// Restores a saved form. Local files come back as entries to add again
    /// (uploaded ones as usable entries with their fal URL); URL videos
    /// whose length was not known are read again.
    pub fn from_saved_json(json: &str) -> Result<FormState, RestoreError> {
        let value: Value =
            serde_json::from_str(json).map_err(|e| RestoreError::Malformed(e.to_string()))?;
        let object = value.as_object().ok_or_else(|| malformed("the form"))?;
        let version = number(object, "version")?;
        if version != u64::from(FORM_FORMAT_VERSION) {
            return Err(RestoreError::UnknownVersion(
                u32::try_from(version).unwrap_or(u32::MAX),
            ));
        }
        let prompt = match object.get("prompt") {
            Some(Value::String(s)) => s.clone(),
            _ => return Err(malformed("prompt")),
        };
        let mut form = FormState {
            prompt,
            negative_prompt: text(object, "negative_prompt")?,
            aspect_ratio: AspectRatio::from_wire(&text(object, "aspect_ratio")?)
                .ok_or_else(|| malformed("aspect_ratio"))?,
            resolution: Resolution::from_wire(&text(object, "resolution")?)
                .ok_or_else(|| malformed("resolution"))?,
            duration: u8::try_from(number(object, "duration")?)
                .ok()
                .and_then(DurationSeconds::new)
                .ok_or_else(|| malformed("duration"))?,
            duration_draft: object
                .get("duration_draft")
                .and_then(Value::as_str)
                .map(str::to_string),
            multi_shots: flag(object, "multi_shots")?,
            seed_text: text(object, "seed")?,
            seed_locked: object
                .get("seed_locked")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            safety_checker: flag(object, "safety_checker")?,
            ..FormState::default()
        };
        let saved_references = match object.get("references") {
            None => &[][..],
            Some(Value::Array(list)) => &list[..],
            Some(_) => return Err(malformed("references")),
        };
        for saved in saved_references {
            let saved = saved.as_object().ok_or_else(|| malformed("a reference"))?;
            let kind = match text(saved, "kind")?.as_str() {
                "image" => ReferenceKind::Image,
                "video" => ReferenceKind::Video,
                _ => return Err(malformed("a reference's kind")),
            };
            match text(saved, "source")?.as_str() {
                "url" => {
                    let length = saved
                        .get("length_ms")
                        .and_then(Value::as_u64)
                        .map(|millis| VideoLength::Known { millis });
                    form.references
                        .add_url_with_length(&text(saved, "url")?, kind, length);
                }
                "file" => {
                    let file = LocalFile {
                        name: text(saved, "name")?,
                        size: number(saved, "size")?,
                        mime: text(saved, "mime")?,
                    };
                    match saved.get("uploaded_url").and_then(Value::as_str) {
                        Some(url) => {
                            let length = saved
                                .get("length_ms")
                                .and_then(Value::as_u64)
                                .map(|millis| VideoLength::Known { millis });
                            form.references.add_uploaded_file(file, kind, url, length);
                        }
                        None => {
                            form.references.add_file_to_add_again(file, kind);
                        }
                    }
                }
                _ => return Err(malformed("a reference's source")),
            }
        }
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::form::validation::FormField;

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
        for bad in [
            "",
            "null",
            "{",
            r#"{"version":1}"#,
            r#"{"version":"1"}"#,
            r#"{"version":1,"prompt":"p","aspect_ratio":"16:9","resolution":"720p","duration":11,"multi_shots":false,"safety_checker":true}"#,
            r#"{"version":1,"prompt":"p","aspect_ratio":"16:9","resolution":"720p","duration":5,"multi_shots":false,"safety_checker":true,"references":[{"source":"ftp","kind":"image"}]}"#,
        ] {
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
