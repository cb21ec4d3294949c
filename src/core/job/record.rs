//! A job as it is written to this browser's storage: everything needed to
//! pick it up again after a reload (request id and URLs), to show it in the
//! history (input, cost, outcome), and to rerun it.
//!
//! It is written *before* the job is followed, so a tab closed mid-run
//! loses nothing: fal keeps a finished result only minutes, and the record
//! is what lets the app fetch it in time.

use serde::{Deserialize, Serialize};

use crate::core::batch::batch_id::BatchRun;
use crate::core::fal::endpoint::RequestUrls;
use crate::core::fal::error::{FalError, FalErrorKind};
use crate::core::form::trim_range::SentTrim;
use crate::core::job::result_info::playable_url;
use crate::core::job::state::{CancelState, Job, JobState};
use crate::core::model::pricing::CostEstimate;
use crate::core::model::schema::{R2vInput, R2vOutput};

/// Bumped when the stored shape changes; readers migrate older versions.
pub const JOB_RECORD_VERSION: u32 = 1;

/// How long fal keeps a small result after completion ("1 hour"; 6 minutes
/// for results of 10 KB or more, which this model's JSON never reaches).
pub const RESULT_RETENTION_MS: u64 = 60 * 60 * 1000;

/// Where a stored job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    /// The submit was sent; no answer recorded yet.
    Submitting,
    Queued,
    Running,
    /// Done, with the output stored in the record.
    Completed,
    Failed,
    Cancelled,
    /// fal no longer has the result and none was stored in time.
    Expired,
}

/// The request's URLs, as fal returned them (after the core checked them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRequest {
    pub request_id: String,
    pub status_url: String,
    pub stream_url: String,
    pub response_url: String,
    pub cancel_url: String,
}

impl From<&RequestUrls> for StoredRequest {
    fn from(urls: &RequestUrls) -> Self {
        Self {
            request_id: urls.request_id.clone(),
            status_url: urls.status.clone(),
            stream_url: urls.stream.clone(),
            response_url: urls.response.clone(),
            cancel_url: urls.cancel.clone(),
        }
    }
}

impl From<&StoredRequest> for RequestUrls {
    fn from(stored: &StoredRequest) -> Self {
        Self {
            request_id: stored.request_id.clone(),
            status: stored.status_url.clone(),
            stream: stored.stream_url.clone(),
            response: stored.response_url.clone(),
            cancel: stored.cancel_url.clone(),
        }
    }
}

/// The estimate shown when the job was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCost {
    /// Whole cents, known part.
    pub cents: u64,
    /// "5 s output + 8.2 s of reference video = 13.2 s × $0.10 = $1.32".
    pub arithmetic: String,
    /// False when a reference video's length was unknown (a floor).
    pub complete: bool,
}

impl From<&CostEstimate> for StoredCost {
    fn from(cost: &CostEstimate) -> Self {
        Self {
            cents: cost.known_cents(),
            arithmetic: cost.arithmetic(),
            complete: cost.is_complete(),
        }
    }
}

/// One stored job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    pub version: u32,
    /// Local id, known before fal assigns a request id.
    pub id: String,
    pub created_at_ms: u64,
    pub input: R2vInput,
    pub cost: StoredCost,
    pub status: RecordStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<StoredRequest>,
    /// When COMPLETED was first seen: fal's retention clock starts there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<R2vOutput>,
    /// The message shown for a failure, with the request id for support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default)]
    pub cancel_requested: bool,
    /// Set on an unfinished job beyond the history's cap (an import of
    /// hundreds): it is kept, but not followed until the person asks
    /// ("Check again"), instead of opening a status stream for each.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_followed: bool,
    /// The reference videos sent trimmed, with their ranges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trims: Vec<SentTrim>,
    /// The batch this run belongs to, with its place and caption; absent
    /// for a single Generate (and in every record written before batches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<BatchRun>,
}

impl JobRecord {
    /// True for a job that is not a run of a batch: the Status panel shows
    /// it on its own (and its result player may start early), while a
    /// batch's runs are shown together in their grid.
    pub fn shown_alone(&self) -> bool {
        self.batch.is_none()
    }

    /// A record for a job about to be submitted.
    pub fn new(id: String, created_at_ms: u64, input: R2vInput, cost: StoredCost) -> Self {
        Self {
            version: JOB_RECORD_VERSION,
            id,
            created_at_ms,
            input,
            cost,
            status: RecordStatus::Submitting,
            request: None,
            completed_at_ms: None,
            output: None,
            error: None,
            cancel_requested: false,
            not_followed: false,
            trims: Vec::new(),
            batch: None,
        }
    }

    /// The local id of a job created at `created_at_ms`; `random` in
    /// `0.0..1.0` tells apart jobs started in the same millisecond (two
    /// tabs).
    pub fn local_id(created_at_ms: u64, random: f64) -> String {
        let suffix = (random.clamp(0.0, 0.999_999) * 1e6) as u32;
        format!("job-{created_at_ms}-{suffix:06}")
    }

    /// Brings the record in line with the live job. Returns true when
    /// something worth writing changed.
    pub fn observe(&mut self, job: &Job, now_ms: u64) -> bool {
        let before = self.clone();
        self.not_followed = false;
        if let Some(urls) = &job.request {
            self.request = Some(StoredRequest::from(urls));
        }
        self.cancel_requested = job.cancel != CancelState::NotRequested;
        self.status = match &job.state {
            JobState::Draft | JobState::Uploading { .. } | JobState::Submitting => {
                RecordStatus::Submitting
            }
            JobState::InQueue { .. } => RecordStatus::Queued,
            JobState::InProgress => RecordStatus::Running,
            JobState::FetchingResult => {
                self.completed_at_ms.get_or_insert(now_ms);
                RecordStatus::Running
            }
            JobState::Completed(output) => {
                self.completed_at_ms.get_or_insert(now_ms);
                self.output = Some((**output).clone());
                self.error = None;
                RecordStatus::Completed
            }
            JobState::Failed(error) => {
                self.error = Some(error.message());
                if matches!(error.kind, FalErrorKind::NotFound) && self.output.is_none() {
                    RecordStatus::Expired
                } else {
                    RecordStatus::Failed
                }
            }
            JobState::Cancelled => RecordStatus::Cancelled,
        };
        *self != before
    }

    /// True when the app should follow this job again after a reload.
    pub fn is_unfinished(&self) -> bool {
        !self.not_followed
            && self.request.is_some()
            && matches!(
                self.status,
                RecordStatus::Submitting | RecordStatus::Queued | RecordStatus::Running
            )
    }

    /// True when the page closed while the submit was out, so nobody knows
    /// whether fal took the job.
    pub fn submit_outcome_unknown(&self) -> bool {
        self.status == RecordStatus::Submitting && self.request.is_none()
    }

    /// True when fal has most likely deleted the result already.
    pub fn result_probably_expired(&self, now_ms: u64) -> bool {
        self.output.is_none()
            && self
                .completed_at_ms
                .is_some_and(|done| now_ms.saturating_sub(done) > RESULT_RETENTION_MS)
    }

    /// The job to resume following, if there is one.
    pub fn resumable_job(&self) -> Option<Job> {
        let request = self.request.as_ref()?;
        self.is_unfinished().then(|| {
            let mut job = Job::resume(RequestUrls::from(request));
            if self.cancel_requested {
                job.cancel = CancelState::RunnerAsked;
            }
            job
        })
    }

    /// True when "Open" has something to show in the Status and result
    /// panel: a job still being followed, or one that ended in a way the
    /// panel can show ([`JobRecord::finished_job`]).
    pub fn openable(&self) -> bool {
        self.is_unfinished() || self.finished_job().is_some()
    }

    /// True when "Check again" may follow a failed job once more: fal has
    /// its request id, and no result is stored yet (fal may still have it).
    /// The stored record keeps only the failure's message, not its kind, so
    /// any failure with a request qualifies; the live panel is stricter
    /// ([`Job::can_check_again`]).
    pub fn can_check_again(&self) -> bool {
        (self.status == RecordStatus::Failed || self.not_followed)
            && self.request.is_some()
            && self.output.is_none()
    }

    /// True when the entry may be deleted: a job still being followed is
    /// not (its result would be lost, and it is paid for).
    pub fn deletable(&self) -> bool {
        !self.is_unfinished()
    }

    /// The job as it ended, for the Status and result panel: a playable
    /// video, an expired result, or a cancellation. `None` for anything else
    /// (a job still running is followed instead; a failure is checked again).
    pub fn finished_job(&self) -> Option<Job> {
        let mut job = Job::new();
        job.request = self.request.as_ref().map(RequestUrls::from);
        job.state = match (&self.status, &self.output) {
            (RecordStatus::Completed, Some(output)) if playable_url(output).is_some() => {
                JobState::Completed(Box::new(output.clone()))
            }
            (RecordStatus::Expired, _) => JobState::Failed(FalError {
                http_status: Some(404),
                ..FalError::new(FalErrorKind::NotFound)
            }),
            (RecordStatus::Cancelled, _) => JobState::Cancelled,
            _ => return None,
        };
        Some(job)
    }

    /// The job to follow again after "Check again" (a failure, or a job
    /// left unfollowed), if the record allows it.
    pub fn job_to_check_again(&self) -> Option<Job> {
        let request = self.request.as_ref().filter(|_| self.can_check_again())?;
        Some(Job::resume(RequestUrls::from(request)))
    }

    /// Reads a stored record, migrating older versions.
    pub fn from_json(value: serde_json::Value) -> Option<Self> {
        let version = value
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        if version > u64::from(JOB_RECORD_VERSION) {
            return None;
        }
        let mut record: JobRecord = serde_json::from_value(value).ok()?;
        record.version = JOB_RECORD_VERSION;
        Some(record)
    }
}

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;
