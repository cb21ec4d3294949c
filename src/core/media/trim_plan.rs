//! A trim planned as a remux: which samples of each track are kept, how the
//! new edit lists place them, and the trimmed file as a new header followed
//! by byte ranges of the original (so the original is never read whole).

use super::media_index::{div_round, rescale, seconds_text, MediaIndex, StartSnap};
use super::moov_writer::{write_header, Cut};
use super::track::Track;
use super::trim_refusal::TrimRefusal;

/// A part of the original file, copied as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub offset: u64,
    pub len: u64,
}

/// The trimmed file: `header` (new `ftyp`, `moov` and the `mdat` header),
/// then each of `ranges` of the original in order.
#[derive(Debug, Clone, PartialEq)]
pub struct TrimPlan {
    pub start: StartSnap,
    /// Where the trimmed video ends on the original's timeline: End, moved
    /// to the end of the last frame shown (and to the video's end at most).
    pub end_seconds: f64,
    pub header: Vec<u8>,
    pub ranges: Vec<ByteRange>,
}

impl TrimPlan {
    /// The trimmed video's length: what fal bills.
    pub fn duration_seconds(&self) -> f64 {
        self.end_seconds - self.start.seconds
    }

    /// The trimmed file's size in bytes.
    pub fn output_len(&self) -> u64 {
        self.header.len() as u64 + self.ranges.iter().map(|r| r.len).sum::<u64>()
    }
}

impl MediaIndex {
    /// Plans a cut from the keyframe at or before `start` through `end`
    /// (seconds on the original's timeline).
    pub fn plan(&self, start: f64, end: f64) -> Result<TrimPlan, TrimRefusal> {
        let duration = self.duration_seconds();
        if !(start.is_finite() && end.is_finite()) || start < 0.0 {
            return Err(TrimRefusal::Range(
                "Start and End must be numbers of seconds from 0.".into(),
            ));
        }
        if end <= start {
            return Err(TrimRefusal::Range("End must be after Start.".into()));
        }
        if start >= duration {
            return Err(TrimRefusal::Range(format!(
                "Start must be before the video's end ({} s).",
                seconds_text(duration)
            )));
        }
        let snap = self.snap_start(start);
        let (first, shown_from) = self.start_keyframe(start);
        let end_target = self.video_media(end.min(duration));
        let samples = &self.video.table.samples;
        let last = (first..samples.len())
            .rev()
            .find(|&i| samples[i].cts() < end_target);
        let shown_to = last.and_then(|last| {
            samples[first..=last]
                .iter()
                .filter(|s| s.cts() >= shown_from && s.cts() < end_target)
                .map(|s| s.cts() + i64::from(s.duration))
                .max()
        });
        let (Some(last), Some(shown_to)) = (last, shown_to) else {
            return Err(TrimRefusal::Range(
                "No frame of the video is shown between Start and End.".into(),
            ));
        };
        let shown_to = shown_to.min(self.video_end_media());
        let video_len = shown_to - shown_from;
        let movie_len = rescale(
            i128::from(video_len),
            self.movie_timescale,
            self.video.timescale,
        )
        .max(1) as u64;
        let mut cuts = vec![Cut {
            track: &self.video,
            first,
            last,
            gap: 0,
            media_time: shown_from - samples[first].dts,
            shown: movie_len,
        }];
        for audio in &self.audio {
            cuts.extend(self.cut_audio(audio, shown_from, video_len, movie_len));
        }
        let (header, ranges) = write_header(self, &cuts)?;
        Ok(TrimPlan {
            start: snap,
            end_seconds: self.video_seconds(shown_to),
            header,
            ranges,
        })
    }

    /// The sound that goes with the video shown from media time
    /// `video_from` for `video_len` (video timescale units): the same span
    /// of the movie's timeline, with one frame before it kept for the
    /// decoder to start from (AAC frames overlap), hidden by the edit list.
    fn cut_audio<'a>(
        &self,
        audio: &'a Track,
        video_from: i64,
        video_len: i64,
        movie_len: u64,
    ) -> Option<Cut<'a>> {
        let (tm, tv, ta) = (self.movie_timescale, self.video.timescale, audio.timescale);
        let (v, a) = (&self.video.placement, &audio.placement);
        // The video's first shown moment, in audio media time.
        let movie_gap = i128::from(v.gap) - i128::from(a.gap);
        let offset =
            movie_gap * i128::from(tv) + i128::from(video_from - v.media_time) * i128::from(tm);
        let from = a.media_time.saturating_add(div_round(
            offset.saturating_mul(i128::from(ta)),
            i128::from(tm) * i128::from(tv),
        ));
        let to = from + rescale(i128::from(video_len), ta, tv);
        let samples = &audio.table.samples;
        let shown_from = from.max(samples[0].cts());
        let mut to = to;
        if let Some(shown) = a.shown {
            to = to.min(
                a.media_time
                    .saturating_add(rescale(i128::from(shown), ta, tm)),
            );
        }
        let first = samples
            .iter()
            .rposition(|s| s.cts() <= shown_from)
            .unwrap_or(0);
        let first = first.saturating_sub(1);
        let last = samples.iter().rposition(|s| s.cts() < to)?;
        if last < first {
            return None;
        }
        let available = samples[last].cts() + i64::from(samples[last].duration);
        let shown_to = to.min(available);
        if shown_to <= shown_from {
            return None;
        }
        let gap = rescale(i128::from(shown_from - from), tm, ta).max(0) as u64;
        let shown = (rescale(i128::from(shown_to - shown_from), tm, ta).max(0) as u64)
            .min(movie_len.saturating_sub(gap));
        Some(Cut {
            track: audio,
            first,
            last,
            gap,
            media_time: shown_from - samples[first].dts,
            shown,
        })
    }
}
