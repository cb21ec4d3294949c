//! The job history kept in this browser: every job, newest first, with the
//! rules that keep it from ever losing a paid result.
//!
//! - **Versioned records.** Each stored record carries its format version
//!   and is migrated when read ([`read_record`]). A record this studio
//!   cannot read (written by a newer studio in another tab, or damaged) is
//!   kept verbatim and written back untouched, so rewriting the list never
//!   destroys it.
//! - **A cap with oldest-first eviction** ([`HISTORY_CAP`]) that never
//!   evicts an unfinished job: its record is the only way to fetch a result
//!   fal deletes an hour after the run.
//! - **Merging** (import, another tab): the record that got further wins.

use serde_json::Value;

use crate::core::history::forward::supersedes;
use crate::core::job::record::{JobRecord, RecordStatus, JOB_RECORD_VERSION};
use crate::core::url::is_web_url;

/// How many jobs the history keeps. Records are small (a prompt and a few
/// URLs: 1 to 6 KB), so 200 stay far below localStorage's 5 MB per site.
pub const HISTORY_CAP: usize = 200;

/// The most one stored or imported record may take (as JSON). A real one is
/// 1 to 6 KB; a larger one came from somewhere else and is not kept.
pub const RECORD_MAX_BYTES: usize = 64_000;

/// Why a stored or imported record was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordProblem {
    /// Written by a newer studio; kept, not read.
    Newer { version: u64 },
    /// Not a job record this studio understands.
    Unreadable { reason: String },
}

impl RecordProblem {
    /// In words, for the import report.
    pub fn describe(&self) -> String {
        match self {
            RecordProblem::Newer { version } => format!(
                "written by a newer version of the studio (record format {version}; this one \
                 reads up to {JOB_RECORD_VERSION})"
            ),
            RecordProblem::Unreadable { reason } => format!("not a readable job ({reason})"),
        }
    }
}

/// Reads one record, migrating older formats step by step to the current
/// one. Version 0 is a record from before the `version` field existed; its
/// shape is version 1's (the duration may still be fal's older string form,
/// which the model reads), so its step only stamps the version.
pub fn read_record(mut value: Value) -> Result<JobRecord, RecordProblem> {
    if !value.is_object() {
        return Err(RecordProblem::Unreadable {
            reason: "not a JSON object".into(),
        });
    }
    let size = value.to_string().len();
    if size > RECORD_MAX_BYTES {
        return Err(RecordProblem::Unreadable {
            reason: format!(
                "it takes {} KB, more than a job record's {} KB",
                size.div_ceil(1000),
                RECORD_MAX_BYTES / 1000
            ),
        });
    }
    let version = match value.get("version") {
        None => 0,
        Some(v) => v.as_u64().ok_or_else(|| RecordProblem::Unreadable {
            reason: "its version is not a number".into(),
        })?,
    };
    if version > u64::from(JOB_RECORD_VERSION) {
        return Err(RecordProblem::Newer { version });
    }
    if version == 0 {
        value["version"] = Value::from(1);
    }
    let record: JobRecord =
        serde_json::from_value(value).map_err(|e| RecordProblem::Unreadable {
            reason: e.to_string(),
        })?;
    check_record(&record)?;
    Ok(JobRecord {
        version: JOB_RECORD_VERSION,
        ..record
    })
}

/// What a record must satisfy before the studio follows its URLs or plays
/// its video: a record can come from a file someone else made.
fn check_record(record: &JobRecord) -> Result<(), RecordProblem> {
    let bad = |reason: &str| {
        Err(RecordProblem::Unreadable {
            reason: reason.into(),
        })
    };
    if record.id.trim().is_empty() {
        return bad("it has no id");
    }
    if let Some(request) = &record.request {
        if request.request_id.trim().is_empty() {
            return bad("its request id is empty");
        }
        let urls = [
            &request.status_url,
            &request.stream_url,
            &request.response_url,
            &request.cancel_url,
        ];
        if !urls.iter().all(|url| is_web_url(url)) {
            return bad("its request addresses are not web addresses");
        }
    }
    Ok(())
}

/// How far a job got, for deciding which of two copies of a record to keep.
fn progress(record: &JobRecord) -> u8 {
    match record.status {
        RecordStatus::Completed if record.output.is_some() => 5,
        RecordStatus::Completed => 3,
        RecordStatus::Failed | RecordStatus::Cancelled | RecordStatus::Expired => 4,
        RecordStatus::Running => 2,
        RecordStatus::Queued => 1,
        RecordStatus::Submitting => u8::from(record.request.is_some()),
    }
}

/// Why a job cannot be removed from the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveRefused {
    /// It is still queued or running: its record is what lets the studio
    /// fetch the result.
    Unfinished,
    NotFound,
}

/// The outcome of merging records in (an import).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Jobs that were not in the history.
    pub added: usize,
    /// Jobs already here that the incoming copy had got further with.
    pub updated: usize,
    /// Jobs already here, as far along or further.
    pub unchanged: usize,
    /// Finished jobs that fell off the end to keep within the cap.
    pub evicted: usize,
    /// Unfinished jobs beyond the cap, kept but not followed.
    pub unfollowed: usize,
    /// Records from a newer studio left out: the history was full.
    pub newer_no_room: usize,
}

/// The history: records newest first, plus any this studio cannot read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    records: Vec<JobRecord>,
    /// Kept verbatim (see the module docs), after the records when written.
    unread: Vec<Value>,
}

/// The stored history is not a JSON list at all (damaged or from another
/// program): the web layer keeps a copy before starting afresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredHistoryUnreadable;

impl History {
    /// The history as stored (a JSON list of records). An absent item is
    /// an empty history.
    pub fn from_stored(text: &str) -> Result<Self, StoredHistoryUnreadable> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let Ok(Value::Array(items)) = serde_json::from_str(text) else {
            return Err(StoredHistoryUnreadable);
        };
        let mut history = Self::default();
        for item in items {
            match read_record(item.clone()) {
                Ok(record) if history.get(&record.id).is_none() => history.records.push(record),
                // A duplicate id: the copy that got further wins.
                Ok(record) => {
                    history.merge_one(record);
                }
                Err(_) => history.unread.push(item),
            }
        }
        history.sort();
        Ok(history)
    }

    /// The text to store: records newest first, then the unread ones.
    pub fn to_stored(&self) -> String {
        let mut items: Vec<Value> = self
            .records
            .iter()
            .map(|r| serde_json::to_value(r).expect("a job record always serialises"))
            .collect();
        items.extend(self.unread.iter().cloned());
        Value::Array(items).to_string()
    }

    /// Every readable job, newest first.
    pub fn records(&self) -> &[JobRecord] {
        &self.records
    }

    /// Records kept but not understood (from a newer studio, or damaged).
    pub fn unread(&self) -> &[Value] {
        &self.unread
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty() && self.unread.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&JobRecord> {
        self.records.iter().find(|r| r.id == id)
    }

    /// Jobs to follow again after a reload, newest first.
    pub fn unfinished(&self) -> impl Iterator<Item = &JobRecord> {
        self.records.iter().filter(|r| r.is_unfinished())
    }

    /// Writes `record` (replacing the one with its id if it moves the job
    /// forward, see [`supersedes`], or adding it), then
    /// evicts down to `cap` (see [`History::evict`]). Returns the evicted
    /// records.
    pub fn upsert(
        &mut self,
        record: JobRecord,
        cap: usize,
        keep: impl Fn(&JobRecord) -> bool,
    ) -> Vec<JobRecord> {
        match self.records.iter_mut().find(|r| r.id == record.id) {
            Some(existing) if supersedes(&record, existing) => *existing = record,
            // Another tab got further with this job (see `forward`).
            Some(_) => {}
            None => self.records.push(record),
        }
        self.sort();
        self.evict(cap, keep)
    }

    /// Removes the oldest finished jobs until at most `cap` remain (records
    /// from a newer studio count too). Unfinished jobs are never removed,
    /// nor those `keep` picks (a video the person kept a copy of), nor jobs
    /// left unfollowed (fal may still hold their result). If unfinished
    /// jobs alone are over the cap, the oldest beyond it are left
    /// unfollowed ([`JobRecord::not_followed`]): kept, but not each given a
    /// status stream.
    pub fn evict(&mut self, cap: usize, keep: impl Fn(&JobRecord) -> bool) -> Vec<JobRecord> {
        let mut evicted = Vec::new();
        while self.records.len() + self.unread.len() > cap {
            // Newest first, so the last one that may go is the oldest.
            let Some(oldest) = self
                .records
                .iter()
                .rposition(|r| !r.is_unfinished() && !r.not_followed && !keep(r))
            else {
                break;
            };
            evicted.push(self.records.remove(oldest));
        }
        let followed = self.records.iter().filter(|r| r.is_unfinished()).count();
        let mut over = followed.saturating_sub(cap.saturating_sub(self.unread.len()));
        for record in self.records.iter_mut().rev() {
            if over == 0 {
                break;
            }
            if record.is_unfinished() {
                record.not_followed = true;
                over -= 1;
            }
        }
        evicted
    }

    /// Deletes one job. An unfinished one is refused.
    pub fn remove(&mut self, id: &str) -> Result<JobRecord, RemoveRefused> {
        let index = self
            .records
            .iter()
            .position(|r| r.id == id)
            .ok_or(RemoveRefused::NotFound)?;
        if self.records[index].is_unfinished() {
            return Err(RemoveRefused::Unfinished);
        }
        Ok(self.records.remove(index))
    }

    /// "Clear all": removes every finished job and returns them. Unfinished
    /// jobs stay (they are still being followed), and so do unread records,
    /// which this studio cannot judge.
    pub fn clear_finished(&mut self) -> Vec<JobRecord> {
        let (kept, removed) = std::mem::take(&mut self.records)
            .into_iter()
            .partition(JobRecord::is_unfinished);
        self.records = kept;
        removed
    }

    /// Merges `incoming` records (an import): new jobs are added, a job
    /// already here is replaced only by a copy that got further.
    /// `cap` and `keep` as for [`History::evict`].
    pub fn merge(
        &mut self,
        incoming: Vec<JobRecord>,
        cap: usize,
        keep: impl Fn(&JobRecord) -> bool,
    ) -> MergeReport {
        let mut report = MergeReport::default();
        for record in incoming {
            match self.merge_one(record) {
                Merged::Added => report.added += 1,
                Merged::Updated => report.updated += 1,
                Merged::Unchanged => report.unchanged += 1,
            }
        }
        self.sort();
        let unfollowed = |h: &Self| h.records.iter().filter(|r| r.not_followed).count();
        let before = unfollowed(self);
        report.evicted = self.evict(cap, keep).len();
        report.unfollowed = unfollowed(self).saturating_sub(before);
        report
    }

    /// Adds records from a newer studio (from an import), unless an
    /// identical one is already kept, while the history has room: they
    /// count against `cap` like any record. Returns how many found no room.
    pub fn keep_unread(&mut self, values: Vec<Value>, cap: usize) -> usize {
        let mut no_room = 0;
        for value in values {
            if self.unread.contains(&value) {
                continue;
            }
            if self.records.len() + self.unread.len() >= cap {
                no_room += 1;
            } else {
                self.unread.push(value);
            }
        }
        no_room
    }

    fn merge_one(&mut self, record: JobRecord) -> Merged {
        match self.records.iter_mut().find(|r| r.id == record.id) {
            None => {
                self.records.push(record);
                Merged::Added
            }
            Some(existing) if progress(&record) > progress(existing) => {
                *existing = record;
                Merged::Updated
            }
            Some(_) => Merged::Unchanged,
        }
    }

    /// Newest first; equal times keep their order.
    fn sort(&mut self) {
        self.records
            .sort_by_key(|r| std::cmp::Reverse(r.created_at_ms));
    }
}

enum Merged {
    Added,
    Updated,
    Unchanged,
}

#[cfg(test)]
#[path = "records_tests.rs"]
mod tests;
