//! The input and output of `fal-ai/wan/v2.7/reference-to-video`, typed and
//! serialised exactly as fal expects.
//!
//! Source: fal's generated types `Wan27ReferenceToVideoInput` /
//! `Wan27ReferenceToVideoOutput` (fal-js `types/endpoints.ts`) and the
//! model's llms.txt. See docs/fal-protocol.md §9.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The model this studio is built for.
pub const ENDPOINT_ID: &str = "fal-ai/wan/v2.7/reference-to-video";

/// Longest prompt fal accepts, in Unicode code points (Python's `len`).
pub const PROMPT_MAX_CHARS: usize = 5000;
/// Longest negative prompt fal accepts, in Unicode code points.
pub const NEGATIVE_PROMPT_MAX_CHARS: usize = 500;
/// Largest seed fal accepts ("0-2147483647").
pub const SEED_MAX: u32 = 2_147_483_647;
/// Largest reference image, in bytes. fal says "Max 20 MB"; decimal
/// megabytes are the stricter reading, so nothing we let through is refused.
pub const IMAGE_MAX_BYTES: u64 = 20_000_000;
/// Largest reference video, in bytes ("Max 100 MB", read the same way).
pub const VIDEO_MAX_BYTES: u64 = 100_000_000;
/// The upstream model's limit on images + videos. fal's schema does not
/// state it, so exceeding it is a warning, not an error.
pub const REFERENCES_SOFT_MAX: usize = 5;

/// Output shape. fal's enum strings are the wire values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum AspectRatio {
    #[default]
    #[serde(rename = "16:9")]
    Landscape16x9,
    #[serde(rename = "9:16")]
    Portrait9x16,
    #[serde(rename = "1:1")]
    Square1x1,
    #[serde(rename = "4:3")]
    Landscape4x3,
    #[serde(rename = "3:4")]
    Portrait3x4,
}

impl AspectRatio {
    /// Every choice, in the order fal lists them.
    pub const ALL: [AspectRatio; 5] = [
        AspectRatio::Landscape16x9,
        AspectRatio::Portrait9x16,
        AspectRatio::Square1x1,
        AspectRatio::Landscape4x3,
        AspectRatio::Portrait3x4,
    ];

    /// The wire value, which is also how people write it ("16:9").
    pub fn as_str(self) -> &'static str {
        match self {
            AspectRatio::Landscape16x9 => "16:9",
            AspectRatio::Portrait9x16 => "9:16",
            AspectRatio::Square1x1 => "1:1",
            AspectRatio::Landscape4x3 => "4:3",
            AspectRatio::Portrait3x4 => "3:4",
        }
    }

    /// Width and height in ratio units, for drawing the shape and sizing video.
    pub fn proportions(self) -> (u32, u32) {
        match self {
            AspectRatio::Landscape16x9 => (16, 9),
            AspectRatio::Portrait9x16 => (9, 16),
            AspectRatio::Square1x1 => (1, 1),
            AspectRatio::Landscape4x3 => (4, 3),
            AspectRatio::Portrait3x4 => (3, 4),
        }
    }

    /// Parses the wire value.
    pub fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Output resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Resolution {
    #[serde(rename = "720p")]
    P720,
    #[default]
    #[serde(rename = "1080p")]
    P1080,
}

impl Resolution {
    /// Every choice, lowest first.
    pub const ALL: [Resolution; 2] = [Resolution::P720, Resolution::P1080];

    /// The wire value ("720p").
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::P720 => "720p",
            Resolution::P1080 => "1080p",
        }
    }

    /// Parses the wire value.
    pub fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Output length in whole seconds, 2 to 10.
///
/// fal's generated types moved this field from a string enum ("2".."10",
/// April 2026) to an integer enum (2..10, August 2026). We send the integer,
/// the newest published schema; this impl is the one place that decides it.
/// Reading accepts both, so older history records and share links still load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DurationSeconds(u8);

impl DurationSeconds {
    pub const MIN: u8 = 2;
    pub const MAX: u8 = 10;
    pub const DEFAULT: DurationSeconds = DurationSeconds(5);

    /// A duration within 2..=10, or `None`.
    pub fn new(seconds: u8) -> Option<Self> {
        (Self::MIN..=Self::MAX)
            .contains(&seconds)
            .then_some(Self(seconds))
    }

    pub fn seconds(self) -> u8 {
        self.0
    }
}

impl Default for DurationSeconds {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl Serialize for DurationSeconds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.0)
    }
}

impl<'de> Deserialize<'de> for DurationSeconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Int(u64),
            Text(String),
        }
        let seconds = match Wire::deserialize(d)? {
            Wire::Int(n) => n,
            Wire::Text(s) => s.trim().parse().map_err(serde::de::Error::custom)?,
        };
        u8::try_from(seconds)
            .ok()
            .and_then(DurationSeconds::new)
            .ok_or_else(|| serde::de::Error::custom(format!("duration {seconds} is not 2-10")))
    }
}

/// The model's input: all ten fields, with fal's documented defaults.
///
/// Unset optionals are omitted on the wire. `seed` is an `i64` so that an
/// out-of-range value typed by a person can be held and reported by
/// validation rather than silently clamped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct R2vInput {
    pub prompt: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_image_urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_video_urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative_prompt: Option<String>,
    #[serde(default)]
    pub aspect_ratio: AspectRatio,
    #[serde(default)]
    pub resolution: Resolution,
    #[serde(default)]
    pub duration: DurationSeconds,
    #[serde(default)]
    pub multi_shots: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    #[serde(default = "default_true")]
    pub enable_safety_checker: bool,
}

fn default_true() -> bool {
    true
}

impl Default for R2vInput {
    fn default() -> Self {
        Self {
            prompt: String::new(),
            reference_image_urls: Vec::new(),
            reference_video_urls: Vec::new(),
            negative_prompt: None,
            aspect_ratio: AspectRatio::default(),
            resolution: Resolution::default(),
            duration: DurationSeconds::default(),
            multi_shots: false,
            seed: None,
            enable_safety_checker: true,
        }
    }
}

impl R2vInput {
    /// The JSON body fal's queue expects for this input.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("R2vInput always serialises")
    }
}

/// A video file as fal describes it (`VideoFile`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoFile {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fps: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_frames: Option<u32>,
}

/// The model's output. Unknown fields are ignored, so a field fal adds later
/// does not break reading a result someone paid for; a missing `seed` does
/// not either (the video is still paid for): see `fal::answers::parse_result`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct R2vOutput {
    pub video: VideoFile,
    /// `None` only in a result that did not match the schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_prompt: Option<String>,
    /// Set when fal's answer did not match the model's schema but held a
    /// usable video: what was wrong, and the answer as it came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub off_schema: Option<OffSchema>,
}

pub use super::off_schema::OffSchema;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn defaults_are_the_models() {
        let input = R2vInput::default();
        assert_eq!(input.aspect_ratio.as_str(), "16:9");
        assert_eq!(input.resolution.as_str(), "1080p");
        assert_eq!(input.duration.seconds(), 5);
        assert!(!input.multi_shots);
        assert!(input.enable_safety_checker);
        assert_eq!(input.seed, None);
    }

    #[test]
    fn serialises_as_fal_expects_with_unset_optionals_omitted() {
        let input = R2vInput {
            prompt: "Image 1 walks".into(),
            ..R2vInput::default()
        };
        let wire: Value = serde_json::from_str(&input.to_json()).unwrap();
        assert_eq!(
            wire,
            json!({
                "prompt": "Image 1 walks",
                "aspect_ratio": "16:9",
                "resolution": "1080p",
                "duration": 5,
                "multi_shots": false,
                "enable_safety_checker": true
            })
        );
    }

    #[test]
    fn serialises_every_field_when_set() {
        let input = R2vInput {
            prompt: "p".into(),
            reference_image_urls: vec!["https://v3.fal.media/files/a.png".into()],
            reference_video_urls: vec!["https://v3.fal.media/files/b.mp4".into()],
            negative_prompt: Some("blur".into()),
            aspect_ratio: AspectRatio::Portrait3x4,
            resolution: Resolution::P720,
            duration: DurationSeconds::new(10).unwrap(),
            multi_shots: true,
            seed: Some(2_147_483_647),
            enable_safety_checker: false,
        };
        let wire: Value = serde_json::from_str(&input.to_json()).unwrap();
        assert_eq!(wire["aspect_ratio"], "3:4");
        assert_eq!(wire["resolution"], "720p");
        assert_eq!(wire["duration"], 10);
        assert_eq!(wire["seed"], 2_147_483_647i64);
        assert_eq!(wire["negative_prompt"], "blur");
        assert_eq!(
            wire["reference_video_urls"][0],
            "https://v3.fal.media/files/b.mp4"
        );
        let back: R2vInput = serde_json::from_value(wire).unwrap();
        assert_eq!(back, input);
    }

    #[test]
    fn duration_reads_both_schema_generations() {
        let old: R2vInput = serde_json::from_str(r#"{"prompt":"p","duration":"7"}"#).unwrap();
        let new: R2vInput = serde_json::from_str(r#"{"prompt":"p","duration":7}"#).unwrap();
        assert_eq!(old.duration.seconds(), 7);
        assert_eq!(new, old);
        assert!(serde_json::from_str::<R2vInput>(r#"{"prompt":"p","duration":11}"#).is_err());
        assert!(serde_json::from_str::<R2vInput>(r#"{"prompt":"p","duration":"1"}"#).is_err());
        assert_eq!(DurationSeconds::new(1), None);
        assert_eq!(
            DurationSeconds::new(2).map(DurationSeconds::seconds),
            Some(2)
        );
    }

    #[test]
    fn reads_fal_output_and_tolerates_unknown_fields() {
        let body = json!({
            "video": {
                "url": "https://v3b.fal.media/files/b/koala/output.mp4",
                "content_type": "video/mp4",
                "file_name": "output.mp4",
                "file_size": 4_404_019,
                "duration": 5.04,
                "fps": 24.0,
                "width": 1920,
                "height": 1080,
                "num_frames": 121,
                "some_new_field": {"x": 1}
            },
            "seed": 1_234_567,
            "actual_prompt": "A koala, Image 1, walks on a beach at dusk.",
            "timings": {"inference": 83.2}
        });
        let out: R2vOutput = serde_json::from_value(body).unwrap();
        assert_eq!(out.video.content_type.as_deref(), Some("video/mp4"));
        assert_eq!(out.video.num_frames, Some(121));
        assert_eq!(out.seed, Some(1_234_567));
        assert!(out.actual_prompt.unwrap().contains("koala"));

        let minimal: R2vOutput =
            serde_json::from_value(json!({"video": {"url": "https://x/y.mp4"}, "seed": 1}))
                .unwrap();
        assert_eq!(minimal.video.file_size, None);
        assert_eq!(minimal.actual_prompt, None);
    }

    #[test]
    fn enum_wire_values_round_trip() {
        for a in AspectRatio::ALL {
            assert_eq!(AspectRatio::from_wire(a.as_str()), Some(a));
        }
        for r in Resolution::ALL {
            assert_eq!(Resolution::from_wire(r.as_str()), Some(r));
        }
        assert_eq!(AspectRatio::from_wire("21:9"), None);
    }
}
