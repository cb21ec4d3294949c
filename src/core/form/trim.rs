//! A local reference video cut down before it is uploaded, as the form
//! holds it: the range the person set, what the trimmer planned for it (the
//! real start, the end, the size), and the trims already uploaded, so a
//! rerun of the same original and range sends the stored URL instead of
//! uploading again.
//!
//! fal bills every second of every reference video, so a trimmed reference
//! is billed (and checked against fal's 100 MB limit) by its planned cut,
//! not by the original. The plan itself comes from `core::media`, which
//! the page runs on the file's header; this file keeps only its outcome as
//! plain numbers, so the form state stays comparable and cheap to clone.

use serde::{Deserialize, Serialize};

use crate::core::form::references::VideoLength;
use crate::core::form::references::{Reference, ReferenceId, ReferenceSource, References};
use crate::core::media::{trimmed_file_name, MediaIndex, TrimPlan};
use crate::core::model::pricing::BilledLength;
use crate::core::model::reference_media::LocalFile;
use crate::core::model::validation::{format_megabytes, ReferenceKind};

/// Start and End as set in the fields, in tenths of a second (the fields
/// step by 0.1 s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrimRange {
    pub start_tenths: u32,
    pub end_tenths: u32,
}

impl TrimRange {
    pub fn start_seconds(self) -> f64 {
        f64::from(self.start_tenths) / 10.0
    }

    pub fn end_seconds(self) -> f64 {
        f64::from(self.end_tenths) / 10.0
    }

    /// The whole video, for a trim just opened: 0 to its length rounded
    /// down to the tenth (at least 0.1 s).
    pub fn whole(duration_seconds: f64) -> Self {
        let end = (duration_seconds * 10.0 + 1e-6).floor().max(1.0);
        Self {
            start_tenths: 0,
            end_tenths: end.min(f64::from(u32::MAX)) as u32,
        }
    }
}

/// What a Start or End field holds, as tenths of a second; the message
/// says what is wrong for the field.
pub fn parse_seconds_field(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("\u{201c}{text}\u{201d} is not a number of seconds."))?;
    if !seconds.is_finite() || seconds < 0.0 {
        return Err("Use a number of seconds from 0.".into());
    }
    if seconds > 360_000.0 {
        return Err("That is past any video's end.".into());
    }
    Ok((seconds * 10.0).round() as u32)
}

/// A planned cut, as the form needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedTrim {
    /// Where the cut really starts: the keyframe at or before Start.
    pub start_millis: u64,
    pub end_millis: u64,
    /// The trimmed file's size.
    pub bytes: u64,
    /// Why the start moved, for the Start field; `None` when it did not.
    pub snap_note: Option<String>,
}

impl PlannedTrim {
    pub fn from_plan(plan: &TrimPlan) -> Self {
        let millis = |s: f64| (s * 1000.0).round().max(0.0) as u64;
        Self {
            start_millis: millis(plan.start.seconds),
            end_millis: millis(plan.end_seconds),
            bytes: plan.output_len(),
            snap_note: plan.start.message(),
        }
    }

    /// The trimmed video's length, which fal bills.
    pub fn billed_millis(&self) -> u64 {
        self.end_millis.saturating_sub(self.start_millis)
    }

    /// The reference's details line: "Trimmed to 3.0–6.0 s (3.0 s billed)".
    pub fn details(&self) -> String {
        format!(
            "Trimmed to {}\u{2013}{} s ({} s billed)",
            tenths_text(tenths(self.start_millis)),
            tenths_text(tenths(self.end_millis)),
            tenths_text(tenths(self.billed_millis())),
        )
    }
}

fn tenths(millis: u64) -> u64 {
    (millis + 50) / 100
}

/// Tenths of a second with one decimal always: "3.0", "12.5".
fn tenths_text(tenths: u64) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A reference video's trim: the range and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trim {
    pub range: TrimRange,
    /// The plan, or why the range cannot be cut (for the fields).
    pub outcome: Result<PlannedTrim, String>,
}

impl Trim {
    /// Plans `range` on `index`.
    pub fn plan(index: &MediaIndex, range: TrimRange) -> Self {
        let outcome = index
            .plan(range.start_seconds(), range.end_seconds())
            .map(|plan| PlannedTrim::from_plan(&plan))
            .map_err(|refusal| refusal.message());
        Self { range, outcome }
    }

    /// Plans `range` and shows the real start in the Start field: the
    /// range's start becomes the keyframe's (rounded up to the field's
    /// tenth, which snaps back to the same keyframe), and the note says why
    /// it moved. The cut is the same as for the range asked.
    pub fn plan_snapped(index: &MediaIndex, range: TrimRange) -> Self {
        let mut trim = Self::plan(index, range);
        if let Ok(planned) = &trim.outcome {
            let snapped = planned.start_millis.div_ceil(100) as u32;
            trim.range.start_tenths = snapped.min(trim.range.start_tenths);
        }
        trim
    }

    /// The name the trimmed file is uploaded under.
    pub fn file_name(&self, original: &str) -> String {
        trimmed_file_name(
            original,
            self.range.start_seconds(),
            self.range.end_seconds(),
        )
    }
}

/// A reference video sent trimmed, as the job's record keeps it (the
/// history says which part of which file a run used).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentTrim {
    /// Index in the run's `reference_video_urls`.
    pub position: usize,
    /// The original file's name.
    pub original: String,
    /// The real (keyframe) start and the end, in seconds.
    pub start_seconds: f64,
    pub end_seconds: f64,
}

impl SentTrim {
    pub fn new(position: usize, original: &str, planned: &PlannedTrim) -> Self {
        Self {
            position,
            original: original.to_owned(),
            start_seconds: planned.start_millis as f64 / 1000.0,
            end_seconds: planned.end_millis as f64 / 1000.0,
        }
    }
}

/// A trim of one original that is on fal's storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedTrim {
    pub range: TrimRange,
    pub url: String,
}

/// Where a reference's URL in the request comes from.
pub enum Slot<'a> {
    /// A link, or a file (or this cut of it) already on fal's storage.
    Url(&'a str),
    /// A local file to upload first: the original, and the range of it to
    /// cut and upload instead when it is trimmed.
    Upload(&'a LocalFile, Option<TrimRange>),
}

impl Reference {
    /// The planned cut of a local video, when it is trimmed.
    pub fn planned_trim(&self) -> Option<&PlannedTrim> {
        match (&self.source, &self.trim) {
            (ReferenceSource::File(_), Some(trim)) => trim.outcome.as_ref().ok(),
            _ => None,
        }
    }

    /// What the request sends for this reference.
    pub fn slot(&self) -> Slot<'_> {
        let trimmed = self.planned_trim().and(self.trim.as_ref()).map(|t| t.range);
        match (&self.source, trimmed, &self.uploaded_url) {
            (ReferenceSource::Url(url), _, _) => Slot::Url(url),
            (ReferenceSource::File(file), Some(range), _) => match self.uploaded_trim(range) {
                Some(url) => Slot::Url(url),
                None => Slot::Upload(file, Some(range)),
            },
            (_, _, Some(url)) => Slot::Url(url),
            (ReferenceSource::File(file) | ReferenceSource::FileToAddAgain(file), _, None) => {
                Slot::Upload(file, None)
            }
        }
    }

    /// The length fal bills for this reference: a trimmed video's planned
    /// cut, else the video's own length.
    pub fn billed_length(&self) -> BilledLength {
        if let Some(planned) = self.planned_trim() {
            return BilledLength::Known {
                millis: planned.billed_millis(),
            };
        }
        match self.length {
            Some(VideoLength::Known { millis }) => BilledLength::Known { millis },
            Some(VideoLength::Reading) => BilledLength::Reading,
            Some(VideoLength::Unknown) | None => BilledLength::Unknown,
        }
    }

    /// The URL a trim of this range was uploaded to, if it was.
    pub fn uploaded_trim(&self, range: TrimRange) -> Option<&str> {
        self.trim_uploads
            .iter()
            .find(|u| u.range == range)
            .map(|u| u.url.as_str())
    }

    /// The problem with sending this local file as it stands: a video over
    /// fal's limit untrimmed or trimmed too little, or a range that cannot
    /// be cut.
    pub fn trim_problem(&self) -> Option<String> {
        let ReferenceSource::File(file) = &self.source else {
            return None;
        };
        let max = ReferenceKind::Video.max_bytes();
        match &self.trim {
            Some(Trim {
                outcome: Err(why), ..
            }) => Some(why.clone()),
            Some(Trim {
                outcome: Ok(planned),
                ..
            }) if planned.bytes > max => Some(format!(
                "The trimmed video is {}; fal accepts videos up to {}. Shorten the range.",
                format_megabytes(planned.bytes),
                format_megabytes(max)
            )),
            None if self.kind == Some(ReferenceKind::Video) && file.size > max => Some(format!(
                "This video is {}; fal accepts videos up to {}. Trim it to send a part of it.",
                format_megabytes(file.size),
                format_megabytes(max)
            )),
            _ => None,
        }
    }
}

impl References {
    /// Sets (or with `None` removes) the trim of a local video. Ignored for
    /// entries that are gone or are not local, unrefused videos.
    pub fn set_trim(&mut self, id: ReferenceId, trim: Option<Trim>) {
        if let Some(item) = self.get_mut(id) {
            let trimmable = matches!(item.source, ReferenceSource::File(_))
                && item.kind == Some(ReferenceKind::Video)
                && item.refusal.is_none();
            if trimmable {
                item.trim = trim;
            }
        }
    }

    /// Keeps the URL of an uploaded trim of `original`, so the same range
    /// is not uploaded again. Ignored (false) when the entry no longer
    /// holds that original.
    pub fn record_trim_upload(
        &mut self,
        id: ReferenceId,
        original: &LocalFile,
        range: TrimRange,
        url: &str,
    ) -> bool {
        match self.get_mut(id) {
            Some(item) if item.source == ReferenceSource::File(original.clone()) => {
                item.trim_uploads.retain(|u| u.range != range);
                item.trim_uploads.push(UploadedTrim {
                    range,
                    url: url.to_owned(),
                });
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
#[path = "trim_tests.rs"]
mod tests;
