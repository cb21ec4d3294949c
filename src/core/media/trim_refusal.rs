//! Why a video cannot be trimmed, worded for the person who picked it.

use crate::core::model::fixed_decimals::fixed;

/// A file, or a range, the trimmer will not cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrimRefusal {
    /// Not an MP4 or MOV file at all.
    NotIsoMedia(String),
    /// An MP4 or MOV file whose boxes contradict each other or the file.
    Malformed(String),
    /// Samples live in movie fragments (`moof`/`mvex`), not in one index.
    Fragmented,
    /// A track has no sample table to cut by.
    NoSampleIndex,
    NoVideo,
    ManyVideoTracks(usize),
    VideoCodec(String),
    AudioCodec(String),
    /// An edit list other than "an optional gap, then one segment".
    EditList,
    /// The header (`moov`) is larger than the trimmer reads into memory.
    HeaderTooLarge(u64),
    /// Start and End do not describe a part of the video.
    Range(String),
}

impl TrimRefusal {
    pub fn message(&self) -> String {
        match self {
            TrimRefusal::NotIsoMedia(detail) => {
                format!("This file is not an MP4 or MOV video ({detail}), so it cannot be trimmed.")
            }
            TrimRefusal::Malformed(detail) => {
                format!("This video's header is damaged ({detail}), so it cannot be trimmed.")
            }
            TrimRefusal::Fragmented => "This video is a fragmented MP4 (its frames are indexed \
                piece by piece in movie fragments), which cannot be trimmed without re-encoding."
                .into(),
            TrimRefusal::NoSampleIndex => "This video has no sample index (the table of where \
                each frame is), so it cannot be trimmed without re-encoding."
                .into(),
            TrimRefusal::NoVideo => "This file has no video track to trim.".into(),
            TrimRefusal::ManyVideoTracks(n) => {
                format!("This file has {n} video tracks; trimming handles files with one.")
            }
            TrimRefusal::VideoCodec(codec) => format!(
                "This video is encoded as '{codec}'; trimming without re-encoding handles H.264 \
                 and H.265 video."
            ),
            TrimRefusal::AudioCodec(codec) => format!(
                "This video's sound is encoded as '{codec}'; trimming without re-encoding \
                 handles AAC sound."
            ),
            TrimRefusal::EditList => "This video has an edit list that rearranges its frames, \
                which trimming without re-encoding does not follow."
                .into(),
            TrimRefusal::HeaderTooLarge(bytes) => format!(
                "This video's header is {} MB, more than the {} MiB the trimmer reads.",
                fixed(*bytes as f64 / 1e6, 1),
                super::locate::MOOV_LIMIT >> 20
            ),
            TrimRefusal::Range(why) => why.clone(),
        }
    }
}
