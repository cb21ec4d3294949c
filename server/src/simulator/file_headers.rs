//! Headers that keep an uploaded file from acting as a page of this site.
//!
//! The simulator stores bytes with the content type the uploader named and
//! serves them from the studio's own origin, where a key may be stored. A
//! page that uploads `text/html` must not get script run there: anything
//! that is not an image or a video is a download (`attachment`), browsers
//! may not second-guess the type (`nosniff`), and a document opened anyway
//! runs in a sandbox with an opaque origin (`Content-Security-Policy:
//! sandbox`). SVG is an image that can carry script, so it downloads too.

use axum::http::{header, HeaderMap, HeaderValue};

/// Whether a browser may show this type inline: images (not SVG) and video.
pub fn shown_inline(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    token(subtype) && (kind == "video" || (kind == "image" && !subtype.starts_with("svg")))
}

/// Adds the protective headers to a stored file's answer. `name` is the
/// file's URL-safe name.
pub fn protect(headers: &mut HeaderMap, content_type: &str, name: &str) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    let disposition = if shown_inline(content_type) {
        "inline"
    } else {
        "attachment"
    };
    let value = HeaderValue::from_str(&format!("{disposition}; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    headers.insert(header::CONTENT_DISPOSITION, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_images_and_video_are_shown_inline() {
        for inline in [
            "image/png",
            "IMAGE/JPEG",
            "video/mp4",
            "video/webm; codecs=vp9",
        ] {
            assert!(shown_inline(inline), "{inline}");
        }
        for download in [
            "text/html",
            "image/svg+xml",
            "application/xhtml+xml",
            "application/octet-stream",
            "text/html, image/png",
            "image/",
            "video",
            "",
        ] {
            assert!(!shown_inline(download), "{download}");
        }
    }
}
