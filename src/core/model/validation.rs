//! Pre-flight checks on an [`R2vInput`], so nothing fal would refuse is ever
//! sent (and paid for). Each problem names the field it belongs to, so the
//! form can show it next to that field.

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

/// Whether a problem blocks sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// fal would refuse it: Generate stays disabled.
    Error,
    /// Probably a mistake, but fal may accept it: shown, not blocking.
    Warning,
}

/// One problem, worded for the person filling in the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub field: Field,
    pub severity: Severity,
    pub message: String,
}

impl Issue {
    fn error(field: Field, message: impl Into<String>) -> Self {
        Self {
            field,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    fn warning(field: Field, message: impl Into<String>) -> Self {
        Self {
            field,
            severity: Severity::Warning,
            message: message.into(),
        }
    }
}

/// Every problem found in an input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validation {
    pub issues: Vec<Issue>,
}

impl Validation {
    /// True when nothing blocks sending (warnings allowed).
    pub fn is_sendable(&self) -> bool {
        self.errors().next().is_none()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
    }

    /// The first problem for `field`, errors before warnings.
    pub fn for_field(&self, field: Field) -> Option<&Issue> {
        self.errors()
            .find(|i| i.field == field)
            .or_else(|| self.warnings().find(|i| i.field == field))
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
    pub fn validate(&self) -> Validation {
        self.validate_with_sizes(&KnownSizes::default())
    }

    /// Checks the input plus the sizes of references where they are known.
    pub fn validate_with_sizes(&self, sizes: &KnownSizes) -> Validation {
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
        Validation { issues }
    }
}

/// Number of characters as fal's Python service counts them (code points).
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// The prompt is required and at most 5000 characters.
pub fn check_prompt(prompt: &str) -> Option<Issue> {
    let count = char_count(prompt);
    if prompt.trim().is_empty() {
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
pub fn check_negative_prompt(negative: &str) -> Option<Issue> {
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
pub fn check_seed(seed: Option<i64>) -> Option<Issue> {
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
pub fn parse_seed(text: &str) -> Result<Option<i64>, Issue> {
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
pub fn check_reference_url(kind: ReferenceKind, index: usize, url_text: &str) -> Option<Issue> {
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
pub fn check_reference_size(kind: ReferenceKind, index: usize, bytes: u64) -> Option<Issue> {
    let max = kind.max_bytes();
    (bytes > max).then(|| {
        Issue::error(
            kind.field(index),
            format!(
                "This {} is {}; fal accepts {}s up to {}.",
                kind.noun(),
                format_megabytes(bytes),
                kind.noun(),
                format_megabytes(max)
            ),
        )
    })
}

/// More than five references in total draws a warning: the upstream model's
/// limit, which fal's schema does not confirm.
pub fn check_reference_count(total: usize) -> Option<Issue> {
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

/// Decimal megabytes with one decimal where it matters ("23.4 MB", "20 MB").
pub fn format_megabytes(bytes: u64) -> String {
    let tenths = (bytes + 50_000) / 100_000;
    if tenths.is_multiple_of(10) {
        format!("{} MB", tenths / 10)
    } else {
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(prompt: &str) -> R2vInput {
        R2vInput {
            prompt: prompt.into(),
            ..R2vInput::default()
        }
    }

    #[test]
    fn a_plain_prompt_is_sendable() {
        let v = input("Image 1 dances in the rain").validate();
        assert!(v.is_sendable(), "{v:?}");
        assert!(v.issues.is_empty());
    }

    #[test]
    fn prompt_is_required() {
        for prompt in ["", "   \n\t"] {
            let v = input(prompt).validate();
            assert!(!v.is_sendable());
            assert!(v
                .for_field(Field::Prompt)
                .unwrap()
                .message
                .contains("required"));
        }
    }

    #[test]
    fn prompt_limit_counts_code_points_like_python() {
        // "é" is 2 bytes and "🎬" 4 bytes in UTF-8, but one character each in Python.
        let at_limit = "é".repeat(4999) + "🎬";
        assert_eq!(char_count(&at_limit), 5000);
        assert!(at_limit.len() > 5000);
        assert!(input(&at_limit).validate().is_sendable());

        let over = at_limit + "x";
        let issue = input(&over)
            .validate()
            .for_field(Field::Prompt)
            .cloned()
            .unwrap();
        assert_eq!(issue.severity, Severity::Error);
        assert!(
            issue.message.contains("5001 characters"),
            "{}",
            issue.message
        );
        assert!(issue.message.contains("Remove 1"));
    }

    #[test]
    fn negative_prompt_limit_is_500() {
        let mut i = input("p");
        i.negative_prompt = Some("n".repeat(500));
        assert!(i.validate().is_sendable());
        i.negative_prompt = Some("n".repeat(501));
        let v = i.validate();
        assert!(!v.is_sendable());
        assert!(v
            .for_field(Field::NegativePrompt)
            .unwrap()
            .message
            .contains("501"));
    }

    #[test]
    fn seed_range_is_0_to_2147483647() {
        for ok in [0, 42, 2_147_483_647] {
            let mut i = input("p");
            i.seed = Some(ok);
            assert!(i.validate().is_sendable(), "seed {ok}");
        }
        for bad in [-1, 2_147_483_648, i64::MAX] {
            let mut i = input("p");
            i.seed = Some(bad);
            assert!(i.validate().for_field(Field::Seed).is_some(), "seed {bad}");
        }
    }

    #[test]
    fn parses_typed_seeds() {
        assert_eq!(parse_seed("  "), Ok(None));
        assert_eq!(parse_seed(" 17 "), Ok(Some(17)));
        assert!(parse_seed("1.5").is_err());
        assert!(parse_seed("abc").is_err());
        assert!(parse_seed("-3").is_err());
        assert!(parse_seed("99999999999999999999").is_err());
    }

    #[test]
    fn reference_urls_must_be_http_or_https() {
        let mut i = input("p");
        i.reference_image_urls = vec![
            "https://v3.fal.media/files/a.png".into(),
            "javascript:alert(1)".into(),
            "file:///home/me/cat.png".into(),
            "cat.png".into(),
            "".into(),
        ];
        i.reference_video_urls = vec![
            "data:video/mp4;base64,AAAA".into(),
            "http://x.org/v.mp4".into(),
        ];
        let v = i.validate();
        assert!(v.for_field(Field::ReferenceImage(0)).is_none());
        assert!(v
            .for_field(Field::ReferenceImage(1))
            .unwrap()
            .message
            .starts_with("javascript:"));
        assert!(v
            .for_field(Field::ReferenceImage(2))
            .unwrap()
            .message
            .starts_with("file:"));
        assert!(v
            .for_field(Field::ReferenceImage(3))
            .unwrap()
            .message
            .contains("full web address"));
        assert!(v
            .for_field(Field::ReferenceImage(4))
            .unwrap()
            .message
            .contains("Enter the image's URL"));
        assert!(v
            .for_field(Field::ReferenceVideo(0))
            .unwrap()
            .message
            .contains("video"));
        assert!(v.for_field(Field::ReferenceVideo(1)).is_none());
    }

    #[test]
    fn sizes_are_checked_when_known() {
        let mut i = input("p");
        i.reference_image_urls = vec!["https://a/1.png".into(), "https://a/2.png".into()];
        i.reference_video_urls = vec!["https://a/1.mp4".into(), "https://a/2.mp4".into()];
        let sizes = KnownSizes {
            images: vec![Some(20_000_000), Some(23_400_000)],
            videos: vec![None, Some(100_000_001)],
        };
        let v = i.validate_with_sizes(&sizes);
        assert!(v.for_field(Field::ReferenceImage(0)).is_none());
        assert_eq!(
            v.for_field(Field::ReferenceImage(1)).unwrap().message,
            "This image is 23.4 MB; fal accepts images up to 20 MB."
        );
        assert!(v.for_field(Field::ReferenceVideo(0)).is_none());
        assert!(v
            .for_field(Field::ReferenceVideo(1))
            .unwrap()
            .message
            .contains("up to 100 MB"));
        assert!(i.validate().is_sendable(), "unknown sizes are not errors");
    }

    #[test]
    fn more_than_five_references_is_a_warning_not_an_error() {
        let mut i = input("p");
        i.reference_image_urls = (0..3).map(|n| format!("https://a/{n}.png")).collect();
        i.reference_video_urls = (0..2).map(|n| format!("https://a/{n}.mp4")).collect();
        assert!(i.validate().issues.is_empty());
        i.reference_video_urls.push("https://a/9.mp4".into());
        let v = i.validate();
        assert!(v.is_sendable());
        let w = v.for_field(Field::References).unwrap();
        assert_eq!(w.severity, Severity::Warning);
        assert!(w.message.starts_with("6 references"));
    }

    #[test]
    fn errors_come_before_warnings_for_a_field() {
        let v = Validation {
            issues: vec![
                Issue::warning(Field::Prompt, "w"),
                Issue::error(Field::Prompt, "e"),
            ],
        };
        assert_eq!(v.for_field(Field::Prompt).unwrap().message, "e");
        assert_eq!(v.warnings().count(), 1);
    }

    #[test]
    fn megabytes_read_naturally() {
        assert_eq!(format_megabytes(20_000_000), "20 MB");
        assert_eq!(format_megabytes(23_412_345), "23.4 MB");
        assert_eq!(format_megabytes(100_000_001), "100 MB");
        assert_eq!(format_megabytes(0), "0 MB");
    }
}
