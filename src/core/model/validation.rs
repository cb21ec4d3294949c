//! Pre-flight checks on an [`R2vInput`], so nothing fal would refuse is ever
//! sent (and paid for). Each problem names the field it belongs to, so the
//! form can show it next to that field.

use crate::core::model::byte_size::format_bytes;
use crate::core::model::issues::{Issue, Issues};
use crate::core::model::schema::{
    R2vInput, IMAGE_MAX_BYTES, NEGATIVE_PROMPT_MAX_CHARS, PROMPT_MAX_CHARS, REFERENCES_SOFT_MAX,
    SEED_MAX, VIDEO_MAX_BYTES,
};
use crate::core::url;

/// The input a problem belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Prompt,
    NegativePrompt,
    /// A reference image, by 0-based position in `reference_image_urls`.
    ReferenceImage(usize),
    /// A reference video, by 0-based position in `reference_video_urls`.
    ReferenceVideo(usize),
    /// The references as a whole (their count).
    References,
    Seed,
}

/// Which kind of reference a URL or file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferenceKind {
    Image,
    Video,
}

impl ReferenceKind {
    /// The largest file fal accepts for this kind.
    pub fn max_bytes(self) -> u64 {
        match self {
            ReferenceKind::Image => IMAGE_MAX_BYTES,
            ReferenceKind::Video => VIDEO_MAX_BYTES,
        }
    }

    /// "image" or "video", for messages.
    pub fn noun(self) -> &'static str {
        match self {
            ReferenceKind::Image => "image",
            ReferenceKind::Video => "video",
        }
    }

    fn field(self, index: usize) -> Field {
        match self {
            ReferenceKind::Image => Field::ReferenceImage(index),
            ReferenceKind::Video => Field::ReferenceVideo(index),
        }
    }
}

/// Byte sizes of the references, where known (local files, or URLs whose
/// host told us), in the same order as the input's URL lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownSizes {
    pub images: Vec<Option<u64>>,
    pub videos: Vec<Option<u64>>,
}

impl R2vInput {
    /// Checks everything that can be checked from the input alone.
    pub fn validate(&self) -> Issues<Field> {
        self.validate_with_sizes(&KnownSizes::default())
    }

    /// Checks the input plus the sizes of references where they are known.
    pub fn validate_with_sizes(&self, sizes: &KnownSizes) -> Issues<Field> {
        let mut issues = Vec::new();
        issues.extend(check_prompt(&self.prompt));
        issues.extend(check_negative_prompt(
            self.negative_prompt.as_deref().unwrap_or(""),
        ));
        issues.extend(check_seed(self.seed));
        for (kind, urls, sizes) in [
            (
                ReferenceKind::Image,
                &self.reference_image_urls,
                &sizes.images,
            ),
            (
                ReferenceKind::Video,
                &self.reference_video_urls,
                &sizes.videos,
            ),
        ] {
            for (index, url) in urls.iter().enumerate() {
                issues.extend(check_reference_url(kind, index, url));
                if let Some(Some(bytes)) = sizes.get(index) {
                    issues.extend(check_reference_size(kind, index, *bytes));
                }
            }
        }
        issues.extend(check_reference_count(
            self.reference_image_urls.len() + self.reference_video_urls.len(),
        ));
        Issues { issues }
    }
}

/// Number of characters as fal's Python service counts them (code points).
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// A prompt of blanks is no prompt: fal needs words to make a video from.
pub fn is_blank_prompt(prompt: &str) -> bool {
    prompt.trim().is_empty()
}

/// The prompt is required and at most 5000 characters.
pub fn check_prompt(prompt: &str) -> Option<Issue<Field>> {
    let count = char_count(prompt);
    if is_blank_prompt(prompt) {
        Some(Issue::error(
            Field::Prompt,
            "Describe the video you want: the prompt is required.",
        ))
    } else if count > PROMPT_MAX_CHARS {
        Some(Issue::error(
            Field::Prompt,
            format!(
                "The prompt is {count} characters; fal accepts at most {PROMPT_MAX_CHARS}. Remove {}.",
                count - PROMPT_MAX_CHARS
            ),
        ))
    } else {
        None
    }
}

/// The negative prompt is optional and at most 500 characters.
pub fn check_negative_prompt(negative: &str) -> Option<Issue<Field>> {
    let count = char_count(negative);
    (count > NEGATIVE_PROMPT_MAX_CHARS).then(|| {
        Issue::error(
            Field::NegativePrompt,
            format!(
                "The negative prompt is {count} characters; fal accepts at most \
                 {NEGATIVE_PROMPT_MAX_CHARS}. Remove {}.",
                count - NEGATIVE_PROMPT_MAX_CHARS
            ),
        )
    })
}

/// The seed, when given, is a whole number from 0 to 2147483647.
pub fn check_seed(seed: Option<i64>) -> Option<Issue<Field>> {
    let seed = seed?;
    (!(0..=i64::from(SEED_MAX)).contains(&seed)).then(|| {
        Issue::error(
            Field::Seed,
            format!(
                "The seed must be a whole number from 0 to {SEED_MAX}, or empty for a random one."
            ),
        )
    })
}

/// Parses what a person typed in the seed box: empty means random.
pub fn parse_seed(text: &str) -> Result<Option<i64>, Issue<Field>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(seed) => match check_seed(Some(seed)) {
            Some(issue) => Err(issue),
            None => Ok(Some(seed)),
        },
        Err(_) => Err(Issue::error(
            Field::Seed,
            format!(
                "The seed must be a whole number from 0 to {SEED_MAX}, or empty for a random one."
            ),
        )),
    }
}

/// A reference URL must be an absolute http or https URL: fal's runners
/// download it, and other schemes (`javascript:`, `file:`, `data:`, `blob:`)
/// are either unsafe or meaningless off this device.
pub fn check_reference_url(
    kind: ReferenceKind,
    index: usize,
    url_text: &str,
) -> Option<Issue<Field>> {
    let noun = kind.noun();
    let field = kind.field(index);
    if let Some(scheme) = url::scheme(url_text).filter(|s| s != "http" && s != "https") {
        return Some(Issue::error(
            field,
            format!(
                "{scheme}: links are not accepted. Use an http:// or https:// link to the {noun}, \
                 or add the file itself."
            ),
        ));
    }
    match url::parse(url_text) {
        Err(url::UrlError::Empty) => Some(Issue::error(
            field,
            format!("Enter the {noun}'s URL or remove this reference."),
        )),
        Err(_) => Some(Issue::error(
            field,
            format!(
                "This is not a full web address. Use an http:// or https:// link to the {noun}."
            ),
        )),
        Ok(parsed) if parsed.host.is_empty() => Some(Issue::error(
            field,
            format!("This link has no host. Use an http:// or https:// link to the {noun}."),
        )),
        Ok(_) => None,
    }
}

/// Images are at most 20 MB and videos at most 100 MB.
pub fn check_reference_size(kind: ReferenceKind, index: usize, bytes: u64) -> Option<Issue<Field>> {
    let max = kind.max_bytes();
    (bytes > max).then(|| {
        Issue::error(
            kind.field(index),
            format!(
                "This {} is {}; fal accepts {}s up to {}.",
                kind.noun(),
                format_bytes(bytes),
                kind.noun(),
                format_bytes(max)
            ),
        )
    })
}

/// More than five references in total draws a warning: the upstream model's
/// limit, which fal's schema does not confirm.
pub fn check_reference_count(total: usize) -> Option<Issue<Field>> {
    (total > REFERENCES_SOFT_MAX).then(|| {
        Issue::warning(
            Field::References,
            format!(
                "{total} references: the Wan 2.7 model upstream takes at most {REFERENCES_SOFT_MAX} \
                 images and videos together, so fal may refuse this run."
            ),
        )
    })
}

#[cfg(test)]
#[path = "validation_tests.rs"]
mod tests;
