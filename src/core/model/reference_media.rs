//! What a reference file or URL is, and whether fal will take it: the
//! accepted formats, the size limits, and the reasons a file is refused.

use crate::core::model::validation::{check_reference_size, ReferenceKind};

/// A file on this device, as the browser describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    pub name: String,
    pub size: u64,
    /// The browser's MIME type; may be empty when it could not tell.
    pub mime: String,
}

/// Why a reference cannot be sent. Shown on the item itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not one of the image or video formats the model takes.
    WrongType { mime: String },
    /// Over fal's size limit for its kind.
    TooLarge { kind: ReferenceKind, bytes: u64 },
    /// The browser could not read the video, so neither its format nor its
    /// billed length can be checked.
    UnreadableVideo { reason: String },
    /// This browser cannot decode H.264 (core/video_playback.rs), so it
    /// reads no MP4's length: the browser's limit, not the file's.
    BrowserCannotDecodeVideo,
}

impl Refusal {
    /// The reason, worded for the person who added the file.
    pub fn message(&self) -> String {
        match self {
            Refusal::WrongType { mime } => {
                let what = if mime.is_empty() {
                    "This file's type is unknown".to_string()
                } else {
                    format!("This file is {mime}")
                };
                format!("{what}. Add a {IMAGE_FORMATS} image or an {VIDEO_FORMATS} video.")
            }
            Refusal::TooLarge { kind, bytes } => check_reference_size(*kind, 0, *bytes)
                .map(|issue| issue.message)
                .unwrap_or_default(),
            Refusal::UnreadableVideo { reason } => format!(
                "This video could not be read ({reason}), so its format and its billed length \
                 cannot be checked. Use an MP4 (H.264) or MOV file."
            ),
            Refusal::BrowserCannotDecodeVideo => {
                "This browser cannot play H.264 video, so it cannot \
                 read this video's length, which fal bills. Open the studio in another browser \
                 to add it."
                    .to_string()
            }
        }
    }
}

/// Image formats named in messages.
const IMAGE_FORMATS: &str = "JPEG, PNG, WebP or BMP";
/// Video formats named in messages.
const VIDEO_FORMATS: &str = "MP4 or MOV";

/// MIME types accepted for images: the formats the upstream model documents
/// (JPEG, PNG, BMP, WebP). GIF and HEIC are left out because the model does
/// not list them and a refused run may still be billed.
const IMAGE_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/webp", "image/bmp"];
/// MIME types accepted for videos: MP4 and MOV, the formats the upstream
/// model documents. WebM is left out for the same reason as GIF.
const VIDEO_TYPES: [&str; 2] = ["video/mp4", "video/quicktime"];

/// The MIME type implied by a file name's extension, for files the browser
/// gave no type (and for guessing what a URL points at).
fn mime_from_extension(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" | "jfif" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "bmp" => "image/bmp",
        "mp4" | "m4v" => "video/mp4",
        "mov" | "qt" => "video/quicktime",
        _ => return None,
    })
}

/// Which kind a file is, or why it is refused, from its type and name.
pub fn classify_file(name: &str, mime: &str) -> Result<ReferenceKind, Refusal> {
    let mime = mime.trim().to_ascii_lowercase();
    let effective = if mime.is_empty() || mime == "application/octet-stream" {
        mime_from_extension(name).unwrap_or(&mime).to_string()
    } else {
        mime.clone()
    };
    if IMAGE_TYPES.contains(&effective.as_str()) {
        Ok(ReferenceKind::Image)
    } else if VIDEO_TYPES.contains(&effective.as_str()) {
        Ok(ReferenceKind::Video)
    } else {
        Err(Refusal::WrongType { mime })
    }
}

/// What a URL most likely points at, from the extension of its path.
/// `None` when the path does not say; the person then chooses.
pub fn guess_url_kind(url_text: &str) -> Option<ReferenceKind> {
    let parsed = crate::core::url::parse(url_text).ok()?;
    let last_segment = parsed.path().rsplit('/').next().unwrap_or("");
    match mime_from_extension(last_segment)? {
        m if m.starts_with("image/") => Some(ReferenceKind::Image),
        _ => Some(ReferenceKind::Video),
    }
}

/// Kind and refusal of a new file: wrong type first, then size. A file of
/// a type that is neither image nor video has no kind. A video over fal's
/// limit is not refused: a part of it can be trimmed out and sent (the
/// form asks for the trim before Generate).
pub fn assess_file(file: &LocalFile) -> (Option<ReferenceKind>, Option<Refusal>) {
    match classify_file(&file.name, &file.mime) {
        Err(refusal) => (None, Some(refusal)),
        Ok(kind) if kind == ReferenceKind::Image && file.size > kind.max_bytes() => (
            Some(kind),
            Some(Refusal::TooLarge {
                kind,
                bytes: file.size,
            }),
        ),
        Ok(kind) => (Some(kind), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_refused_for_type_then_size() {
        let f = |name: &str, size, mime: &str| LocalFile {
            name: name.into(),
            size,
            mime: mime.into(),
        };
        assert_eq!(
            assess_file(&f("a.png", 20_000_000, "image/png")),
            (Some(ReferenceKind::Image), None)
        );
        assert_eq!(
            assess_file(&f("a.png", 20_000_001, "image/png")),
            (
                Some(ReferenceKind::Image),
                Some(Refusal::TooLarge {
                    kind: ReferenceKind::Image,
                    bytes: 20_000_001
                })
            )
        );
        assert_eq!(assess_file(&f("a.mp4", 100_000_000, "video/mp4")).1, None);
        // Over fal's limit, a video is kept for trimming (the form then asks
        // for a trim before Generate).
        assert_eq!(
            assess_file(&f("a.mp4", 300_000_000, "video/mp4")),
            (Some(ReferenceKind::Video), None)
        );
        let (kind, refusal) = assess_file(&f("a.pdf", 1, "application/pdf"));
        assert_eq!(kind, None);
        assert_eq!(
            refusal,
            Some(Refusal::WrongType {
                mime: "application/pdf".into()
            })
        );
    }

    #[test]
    fn types_come_from_mime_or_else_the_extension() {
        use ReferenceKind::*;
        assert_eq!(classify_file("a.png", "image/png"), Ok(Image));
        assert_eq!(classify_file("a.JPG", ""), Ok(Image));
        assert_eq!(classify_file("a.webp", "IMAGE/WEBP"), Ok(Image));
        assert_eq!(classify_file("a.bmp", "image/bmp"), Ok(Image));
        assert_eq!(classify_file("a.mov", "video/quicktime"), Ok(Video));
        assert_eq!(
            classify_file("a.MP4", "application/octet-stream"),
            Ok(Video)
        );
        for (name, mime) in [
            ("a.gif", "image/gif"),
            ("a.webm", "video/webm"),
            ("a.txt", "text/plain"),
            ("a.heic", "image/heic"),
            ("noext", ""),
            // A declared type wins over a misleading name.
            ("a.png", "text/plain"),
        ] {
            assert!(classify_file(name, mime).is_err(), "{name} {mime}");
        }
        assert_eq!(
            Refusal::WrongType { mime: "".into() }.message(),
            "This file's type is unknown. Add a JPEG, PNG, WebP or BMP image or an MP4 or MOV video."
        );
    }

    #[test]
    fn url_kind_is_guessed_from_the_path_only() {
        use ReferenceKind::*;
        assert_eq!(
            guess_url_kind("https://v3.fal.media/files/cat.PNG"),
            Some(Image)
        );
        assert_eq!(
            guess_url_kind("https://x.org/a/clip.mp4?sig=1.png"),
            Some(Video)
        );
        assert_eq!(guess_url_kind("https://x.org/a.mov#t=2"), Some(Video));
        assert_eq!(guess_url_kind("https://x.org/image?id=3"), None);
        assert_eq!(guess_url_kind("https://x.org/"), None);
        assert_eq!(guess_url_kind("not a url.png"), None);
    }
}
