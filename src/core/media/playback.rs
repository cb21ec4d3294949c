//! What to tell the person when the browser's player gives up on a video.
//!
//! fal's Wan outputs H.264 MP4. Some browsers cannot decode it: WebKitGTK
//! without GStreamer's libav plugin, Firefox on Linux without an H.264
//! decoder, locked-down browsers. Their player stays black, `play()`
//! rejects, and only the element's `MediaError` tells why. The code alone
//! does not separate "this browser cannot decode H.264" from "this file did
//! not load" (Chromium answers a 404 with the same code 4 as an unsupported
//! format), so the browser's own `canPlayType` answer for H.264 decides.

/// The type asked of `canPlayType`: H.264 main profile in MP4, as fal sends it.
pub const H264_MP4: &str = "video/mp4; codecs=\"avc1.4D401E\"";

/// Why a video is not playing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaybackFailure {
    /// This browser cannot decode the video: another browser can.
    BrowserCannotDecode,
    /// The file did not load or is not a video this browser reads.
    NotLoaded,
}

/// Whether this browser decodes H.264 at all, from its `canPlayType(H264_MP4)`
/// answer ("" means no; "maybe" and "probably" mean it will try).
pub fn browser_plays_h264(can_play_h264: &str) -> bool {
    !can_play_h264.trim().is_empty()
}

impl PlaybackFailure {
    /// From `MediaError.code` and `canPlayType(H264_MP4)` ("", "maybe" or
    /// "probably"); `None` for an abort (the page itself stopped loading).
    pub fn from_media_error(code: u16, can_play_h264: &str) -> Option<Self> {
        match code {
            // MEDIA_ERR_ABORTED
            1 => None,
            // MEDIA_ERR_DECODE
            3 => Some(Self::BrowserCannotDecode),
            // MEDIA_ERR_SRC_NOT_SUPPORTED, from a browser without H.264
            4 if !browser_plays_h264(can_play_h264) => Some(Self::BrowserCannotDecode),
            // MEDIA_ERR_NETWORK, or a source refused by a browser that plays H.264
            _ => Some(Self::NotLoaded),
        }
    }

    /// Said where the video would be; "Download" and "Copy link" stay beside it.
    pub fn message(self) -> &'static str {
        match self {
            Self::BrowserCannotDecode => {
                "This browser cannot play this video (H.264 MP4). Download it, or open it in another browser."
            }
            Self::NotLoaded => {
                "The video could not be loaded here (its link may have expired). Download it, or open the link in another browser."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PlaybackFailure::{self, BrowserCannotDecode, NotLoaded};
    use crate::core::form::references::References;
    use crate::core::model::reference_media::{LocalFile, Refusal};

    #[test]
    fn a_browser_without_h264_is_told_to_use_another_browser() {
        // WebKitGTK without gstreamer1.0-libav: code 4, canPlayType "".
        assert_eq!(
            PlaybackFailure::from_media_error(4, ""),
            Some(BrowserCannotDecode)
        );
        assert_eq!(
            PlaybackFailure::from_media_error(3, "probably"),
            Some(BrowserCannotDecode)
        );
        assert!(BrowserCannotDecode
            .message()
            .starts_with("This browser cannot play this video (H.264 MP4)."));
    }

    #[test]
    fn a_file_that_did_not_load_is_not_blamed_on_the_browser() {
        // Chromium answers a 404 or a file that is not a video with code 4 too.
        assert_eq!(
            PlaybackFailure::from_media_error(4, "probably"),
            Some(NotLoaded)
        );
        assert_eq!(
            PlaybackFailure::from_media_error(4, "maybe"),
            Some(NotLoaded)
        );
        assert_eq!(PlaybackFailure::from_media_error(2, ""), Some(NotLoaded));
        assert!(!NotLoaded.message().contains("This browser cannot"));
    }

    #[test]
    fn a_video_reference_this_browser_cannot_decode_blames_the_browser_not_the_file() {
        let message = Refusal::BrowserCannotDecodeVideo.message();
        assert!(message.starts_with("This browser cannot play H.264 video"));
        assert!(message.contains("another browser"));
        assert!(
            !message.contains("Use an MP4"),
            "the file is an MP4 already"
        );
        assert!(super::browser_plays_h264("maybe"));
        assert!(!super::browser_plays_h264(""));

        let mut references = References::default();
        let id = references.add_file(LocalFile {
            name: "walk.mp4".into(),
            size: 58_000,
            mime: "video/mp4".into(),
        });
        references.refuse_video_this_browser_cannot_decode(id);
        let item = references.get(id).expect("still listed, with the reason");
        assert_eq!(item.refusal, Some(Refusal::BrowserCannotDecodeVideo));
        assert_eq!(item.length, None);
    }

    #[test]
    fn an_abort_is_no_failure() {
        assert_eq!(PlaybackFailure::from_media_error(1, ""), None);
    }
}
