//! A movie's tracks and timeline, read once from its header so that every
//! change of the trim range can be planned (and its start snapped) without
//! reading the file again.

use super::boxes::{children, read_header, HeaderRead};
use super::header_boxes::read_mvhd;
use super::sample_tables::Sample;
use super::track::{read_track, trak_boxes, Track, TrackKind};
use super::trim_refusal::TrimRefusal;
use crate::core::model::fixed_decimals::fixed;

/// What the header boxes of an MP4/MOV file say, ready for planning cuts.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaIndex {
    pub(super) ftyp: Option<Vec<u8>>,
    pub(super) moov: Vec<u8>,
    pub(super) movie_timescale: u32,
    pub(super) video: Track,
    pub(super) audio: Vec<Track>,
}

/// Where a cut starts, and why it is not exactly where it was asked to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StartSnap {
    pub requested: f64,
    pub seconds: f64,
    pub reason: SnapReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapReason {
    /// Start is on a keyframe.
    OnKeyframe,
    /// Moved back to the keyframe at or before Start.
    EarlierKeyframe,
    /// Start is before the video's first keyframe.
    FirstKeyframe,
}

impl StartSnap {
    /// What the Start field says about the snapped start; `None` when the
    /// cut starts where it was asked to.
    pub fn message(&self) -> Option<String> {
        let at = seconds_text(self.seconds);
        match self.reason {
            SnapReason::OnKeyframe => None,
            SnapReason::EarlierKeyframe => Some(format!(
                "Starts at {at} s, the keyframe at or before {} s: a cut without re-encoding \
                 must start on a keyframe.",
                seconds_text(self.requested)
            )),
            SnapReason::FirstKeyframe => {
                Some(format!("Starts at {at} s, the video's first keyframe."))
            }
        }
    }
}

/// Seconds for people: two decimals at most, at least one ("3.0", "2.04").
pub fn seconds_text(seconds: f64) -> String {
    let text = fixed(seconds, 2);
    match text.strip_suffix('0') {
        Some(short) if !short.ends_with('.') => short.to_string(),
        _ => text,
    }
}

impl MediaIndex {
    /// Reads the whole `ftyp` (when the file has one) and `moov` boxes, as
    /// [`super::locate::BoxLocator`] finds them. `file_len` bounds every
    /// sample's position.
    pub fn parse(ftyp: Option<&[u8]>, moov: &[u8], file_len: u64) -> Result<Self, TrimRefusal> {
        let payload = match read_header(moov) {
            HeaderRead::Header(h)
                if &h.kind == b"moov" && h.size.is_none_or(|s| s == moov.len() as u64) =>
            {
                &moov[h.header_len as usize..]
            }
            _ => return Err(TrimRefusal::Malformed("the moov box is not whole".into())),
        };
        let mut movie_timescale = 0;
        for child in children(payload) {
            let child = child.map_err(TrimRefusal::Malformed)?;
            match &child.kind {
                b"mvex" => return Err(TrimRefusal::Fragmented),
                b"mvhd" => movie_timescale = read_mvhd(child.payload).map_or(0, |h| h.timescale),
                _ => {}
            }
        }
        if movie_timescale == 0 {
            return Err(TrimRefusal::Malformed(
                "the movie header (mvhd) is missing or has no timescale".into(),
            ));
        }
        let mut video = Vec::new();
        let mut audio = Vec::new();
        for (position, trak) in trak_boxes(payload)? {
            match read_track(position, trak, file_len)? {
                Some(track) if track.kind == TrackKind::Video => video.push(track),
                Some(track) => audio.push(track),
                None => {}
            }
        }
        if video.len() > 1 {
            return Err(TrimRefusal::ManyVideoTracks(video.len()));
        }
        let video = video.pop().ok_or(TrimRefusal::NoVideo)?;
        Ok(MediaIndex {
            ftyp: ftyp.map(<[u8]>::to_vec),
            moov: moov.to_vec(),
            movie_timescale,
            video,
            audio,
        })
    }

    /// How long the video is shown, in seconds.
    pub fn duration_seconds(&self) -> f64 {
        self.video_seconds(self.video_end_media())
    }

    /// When each keyframe is shown, in seconds, in decode order.
    pub fn keyframe_seconds(&self) -> Vec<f64> {
        let samples = &self.video.table.samples;
        samples
            .iter()
            .filter(|s| s.sync)
            .map(|s| self.video_seconds(s.cts()))
            .collect()
    }

    /// Where a cut asked to start at `start` seconds really starts.
    pub fn snap_start(&self, start: f64) -> StartSnap {
        let (_, media) = self.start_keyframe(start);
        let seconds = self.video_seconds(media);
        let target = self.video_media(start);
        let reason = if media == target || (seconds - start).abs() < 1e-6 {
            SnapReason::OnKeyframe
        } else if media < target {
            SnapReason::EarlierKeyframe
        } else {
            SnapReason::FirstKeyframe
        };
        StartSnap {
            requested: start,
            seconds,
            reason,
        }
    }

    /// The keyframe a cut at `start` begins decoding from (its decode
    /// index), and the media time the cut shows first.
    pub(super) fn start_keyframe(&self, start: f64) -> (usize, i64) {
        let samples = &self.video.table.samples;
        let target = self.video_media(start);
        let keyframes = samples.iter().enumerate().filter(|(_, s)| s.sync);
        let at_or_before = keyframes
            .clone()
            .filter(|(_, s)| s.cts() <= target)
            .max_by_key(|(_, s)| s.cts());
        let chosen = at_or_before.or_else(|| keyframes.min_by_key(|(_, s)| s.cts()));
        // Every track has samples, and a video track without a sync table
        // has every sample a keyframe; an `stss` naming none still leaves
        // the first sample to start from.
        let (index, sample) = chosen.unwrap_or((0, &samples[0]));
        (index, sample.cts().max(self.video.placement.media_time))
    }

    /// The media time just past the last frame shown.
    pub(super) fn video_end_media(&self) -> i64 {
        let samples = &self.video.table.samples;
        let end = samples
            .iter()
            .map(|s: &Sample| s.cts() + i64::from(s.duration))
            .max()
            .unwrap_or(0);
        match self.video.placement.shown {
            Some(shown) => end.min(
                self.video
                    .placement
                    .media_time
                    .saturating_add(self.movie_to_video(shown)),
            ),
            None => end,
        }
    }

    /// Movie timescale units to video media units.
    fn movie_to_video(&self, movie: u64) -> i64 {
        rescale(
            i128::from(movie),
            self.video.timescale,
            self.movie_timescale,
        )
    }

    /// Seconds on the movie's timeline to video media time.
    pub(super) fn video_media(&self, seconds: f64) -> i64 {
        let p = &self.video.placement;
        let gap = p.gap as f64 / f64::from(self.movie_timescale);
        let media = ((seconds - gap) * f64::from(self.video.timescale)).round();
        p.media_time.saturating_add(media.clamp(-9e15, 9e15) as i64)
    }

    /// Video media time to seconds on the movie's timeline.
    pub(super) fn video_seconds(&self, media: i64) -> f64 {
        let p = &self.video.placement;
        p.gap as f64 / f64::from(self.movie_timescale)
            + (media - p.media_time) as f64 / f64::from(self.video.timescale)
    }
}

/// `value × to / from`, rounded to nearest, saturating.
pub(super) fn rescale(value: i128, to: u32, from: u32) -> i64 {
    div_round(value.saturating_mul(i128::from(to)), i128::from(from))
}

/// `num / den` rounded to nearest (half away from zero), saturating to i64.
pub(super) fn div_round(num: i128, den: i128) -> i64 {
    let den = den.max(1);
    let rounded = if num >= 0 {
        (num + den / 2) / den
    } else {
        (num - den / 2) / den
    };
    rounded.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}
