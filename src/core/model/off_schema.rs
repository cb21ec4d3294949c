//! A result that did not match the model's schema but held a usable video:
//! what was wrong, kept with the record next to the body as it came.

use serde::{Deserialize, Serialize};

use super::schema::VideoFile;

/// A result that did not match the schema, kept with the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffSchema {
    /// "no `seed`", "`seed` is not a whole number", …
    pub problems: Vec<String>,
    /// fal's answer body, cut to [`OffSchema::RAW_MAX_CHARS`].
    pub raw: String,
}

impl OffSchema {
    /// A result of this model is well under 2 KB; more is cut, so a record
    /// stays small.
    pub const RAW_MAX_CHARS: usize = 16_000;
}

impl VideoFile {
    /// Only the address known (a result off the schema).
    pub fn from_url(url: String) -> Self {
        Self {
            url,
            content_type: None,
            file_name: None,
            file_size: None,
            duration: None,
            fps: None,
            width: None,
            height: None,
            num_frames: None,
        }
    }
}
