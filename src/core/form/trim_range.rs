//! A reference video's trim as plain data: the range the person set (in
//! the fields' tenths of a second), what the trimmer planned for it (the
//! real start, the end, the size), the cuts already uploaded, and what a
//! job's record keeps of it. The plan itself comes from `core::media`,
//! which the page runs on the file's header; only its outcome is kept, as
//! plain numbers, so the form state stays comparable and cheap to clone.

use serde::{Deserialize, Serialize};

use crate::core::media::{trimmed_file_name, MediaIndex, TrimPlan};

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

pub use super::seconds_field::parse_seconds_field;

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
pub fn tenths_text(tenths: u64) -> String {
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
