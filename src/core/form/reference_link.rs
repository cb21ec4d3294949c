//! Links that become references, whichever way they arrive (the URL box,
//! a paste, a drop): which text is a link, what kind of media it is, and
//! why one cannot be added, worded for the URL box.

use crate::core::model::reference_media::guess_url_kind;
use crate::core::model::validation::{check_reference_url, ReferenceKind};
use crate::core::url::is_web_url;

/// A link ready to be added as a reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceLink {
    /// The link as typed, without surrounding spaces.
    pub url: String,
    pub kind: ReferenceKind,
}

/// Reads what the person typed in the URL box. `chosen` is their choice
/// under Type; without one the kind is guessed from the link's file
/// extension, and a link that does not say is refused with a request to
/// choose.
pub fn read_reference_link(
    text: &str,
    chosen: Option<ReferenceKind>,
) -> Result<ReferenceLink, String> {
    let url = text.trim();
    if url.is_empty() {
        return Err("Enter a link to an image or a video.".into());
    }
    // The URL rules are the same for both kinds; only the noun in the
    // message differs, and "image" reads fine while the kind is unknown.
    if let Some(issue) = check_reference_url(chosen.unwrap_or(ReferenceKind::Image), 0, url) {
        return Err(issue.message);
    }
    let Some(kind) = chosen.or_else(|| guess_url_kind(url)) else {
        return Err(
            "This link does not say whether it is an image or a video: choose one under Type."
                .into(),
        );
    };
    Ok(ReferenceLink {
        url: url.to_string(),
        kind,
    })
}

/// The web links in pasted or dropped text, one per line; other lines
/// (prose, `javascript:` and `file:` links) are not references.
pub fn web_links_in(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|line| is_web_url(line))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_trimmed_and_its_kind_guessed_from_its_extension() {
        assert_eq!(
            read_reference_link("  https://v3.fal.media/files/cat.PNG \n", None),
            Ok(ReferenceLink {
                url: "https://v3.fal.media/files/cat.PNG".into(),
                kind: ReferenceKind::Image,
            })
        );
        assert_eq!(
            read_reference_link("http://x.org/walk.mov", None).map(|l| l.kind),
            Ok(ReferenceKind::Video)
        );
    }

    #[test]
    fn the_persons_choice_beats_the_extension() {
        assert_eq!(
            read_reference_link("https://x.org/clip.png", Some(ReferenceKind::Video))
                .map(|l| l.kind),
            Ok(ReferenceKind::Video)
        );
        assert_eq!(
            read_reference_link("https://x.org/media?id=3", Some(ReferenceKind::Image))
                .map(|l| l.kind),
            Ok(ReferenceKind::Image)
        );
    }

    #[test]
    fn an_empty_box_asks_for_a_link() {
        for text in ["", "   \t"] {
            assert_eq!(
                read_reference_link(text, None),
                Err("Enter a link to an image or a video.".into())
            );
        }
    }

    #[test]
    fn links_that_are_not_http_are_refused_with_the_reason() {
        let refused = |text| read_reference_link(text, None).unwrap_err();
        assert!(refused("javascript:alert(1)").starts_with("javascript: links are not accepted."));
        assert!(refused("file:///home/me/cat.png").starts_with("file: links are not accepted."));
        assert!(refused("cat.png").contains("not a full web address"));
        assert!(refused("https:cat.png").contains("This link has no host"));
        assert!(
            read_reference_link("data:video/mp4;base64,AAAA", Some(ReferenceKind::Video))
                .unwrap_err()
                .contains("link to the video")
        );
    }

    #[test]
    fn a_link_that_does_not_say_its_kind_asks_for_a_choice() {
        assert_eq!(
            read_reference_link("https://x.org/media?id=3", None),
            Err(
                "This link does not say whether it is an image or a video: choose one under Type."
                    .into()
            )
        );
    }

    #[test]
    fn pasted_text_gives_one_link_per_line() {
        let pasted = "Here are two:\n https://x.org/a.png \njavascript:alert(1)\nhttp://y.org/b.mp4\r\nfile:///c.png";
        assert_eq!(
            web_links_in(pasted),
            vec!["https://x.org/a.png", "http://y.org/b.mp4"]
        );
        assert!(web_links_in("just words").is_empty());
    }
}
