//! One generation job's life, as a pure function of events.
//!
//! `Draft → Uploading → Submitting → InQueue(position) → InProgress(logs) →
//! FetchingResult → Completed(output) | Failed(error) | Cancelled`.
//!
//! fal has no FAILED status: a job ends COMPLETED and the result fetch says whether it worked,
//! hence `FetchingResult` between the two. The web layer feeds in what happened (answers already
//! read by the core's parsers) and performs what the new state asks for; an event that cannot
//! happen in the current state is returned as [`ImpossibleEvent`], never a panic, so a stray late
//! answer cannot take the page down.

use crate::core::fal::answers::CancelOutcome;
use crate::core::fal::endpoint::RequestUrls;
use crate::core::fal::error::{FalError, FalErrorKind};
use crate::core::fal::status::QueueStatus;
use crate::core::job::request_log::{merge_logs, RequestLog};
use crate::core::model::schema::R2vOutput;

/// Where the job is.
#[derive(Debug, Clone, PartialEq)]
pub enum JobState {
    /// Being composed; nothing sent.
    Draft,
    /// Local reference files going to fal's storage.
    Uploading {
        done: usize,
        total: usize,
    },
    /// The submit request is out.
    Submitting,
    /// Waiting in fal's queue (`position` 0 = next).
    InQueue {
        position: Option<u64>,
    },
    /// A runner is generating; see `Job::logs`.
    InProgress,
    /// fal said COMPLETED; the result is being fetched.
    FetchingResult,
    Completed(Box<R2vOutput>),
    Failed(FalError),
    Cancelled,
}

impl JobState {
    /// Name for messages and logs.
    pub fn name(&self) -> &'static str {
        match self {
            JobState::Draft => "Draft",
            JobState::Uploading { .. } => "Uploading",
            JobState::Submitting => "Submitting",
            JobState::InQueue { .. } => "InQueue",
            JobState::InProgress => "InProgress",
            JobState::FetchingResult => "FetchingResult",
            JobState::Completed(_) => "Completed",
            JobState::Failed(_) => "Failed",
            JobState::Cancelled => "Cancelled",
        }
    }
}

/// Where a cancellation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelState {
    NotRequested,
    /// The person asked; the cancel call is due (or on its way).
    Requested,
    /// fal told the runner to stop (`CANCELLATION_REQUESTED`); the job may
    /// still finish, and its result is then kept.
    RunnerAsked,
}

/// Something that happened to the job.
#[derive(Debug, Clone, PartialEq)]
pub enum JobEvent {
    /// `total` local files start uploading.
    UploadsStarted {
        total: usize,
    },
    /// One of them is stored.
    UploadFinished,
    /// The submit request was sent.
    SubmitStarted,
    /// Cancel came while the submit waited to be sent again after a
    /// refusal: nothing reached fal's queue, so the job ends cancelled.
    SubmitWithdrawn,
    /// fal accepted it.
    Submitted {
        request: RequestUrls,
        queue_position: Option<u64>,
    },
    /// A status, polled or streamed.
    StatusReceived(QueueStatus),
    ResultReceived(R2vOutput),
    /// A step failed for good (after the retry policy gave up).
    Failed(FalError),
    /// The person pressed Cancel.
    CancelRequested,
    CancelAnswered(CancelOutcome),
    /// The cancel call got no usable answer (no connection, or refused):
    /// nothing was cancelled, the job goes on, and Cancel can be pressed
    /// again. Distinct from fal answering `NOT_FOUND`.
    CancelFailed(FalError),
    /// "Check again" after a failure, when the request is known.
    Resumed,
}

impl JobEvent {
    fn name(&self) -> &'static str {
        match self {
            JobEvent::UploadsStarted { .. } => "UploadsStarted",
            JobEvent::UploadFinished => "UploadFinished",
            JobEvent::SubmitStarted => "SubmitStarted",
            JobEvent::SubmitWithdrawn => "SubmitWithdrawn",
            JobEvent::Submitted { .. } => "Submitted",
            JobEvent::StatusReceived(_) => "StatusReceived",
            JobEvent::ResultReceived(_) => "ResultReceived",
            JobEvent::Failed(_) => "Failed",
            JobEvent::CancelRequested => "CancelRequested",
            JobEvent::CancelAnswered(_) => "CancelAnswered",
            JobEvent::CancelFailed(_) => "CancelFailed",
            JobEvent::Resumed => "Resumed",
        }
    }
}

/// An event that cannot happen in the job's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpossibleEvent {
    pub state: &'static str,
    pub event: &'static str,
}

impl std::fmt::Display for ImpossibleEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} cannot happen while the job is {}",
            self.event, self.state
        )
    }
}

impl std::error::Error for ImpossibleEvent {}

/// A job and what it has learned so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub state: JobState,
    /// Known once submitted; kept through failure so the job can be resumed
    /// and its result fetched before fal deletes it.
    pub request: Option<RequestUrls>,
    /// The runner's log lines, without repeats.
    pub logs: Vec<RequestLog>,
    pub cancel: CancelState,
    /// `metrics.inference_time` from the COMPLETED status.
    pub inference_time: Option<f64>,
    /// `error` / `error_type` from the COMPLETED status, shown if the
    /// result fetch fails without saying more.
    pub completion_error: Option<(Option<String>, Option<String>)>,
    /// The job reached Submitting: only then can a lost answer mean fal
    /// has the job (a file upload lost on the network bills nothing).
    pub submit_started: bool,
}

impl Default for Job {
    fn default() -> Self {
        Self::new()
    }
}

impl Job {
    /// A new draft.
    pub fn new() -> Self {
        Self {
            state: JobState::Draft,
            request: None,
            logs: Vec::new(),
            cancel: CancelState::NotRequested,
            inference_time: None,
            completion_error: None,
            submit_started: false,
        }
    }

    /// A job restored from history after a reload: it was submitted, its
    /// state is unknown until the next status.
    pub fn resume(request: RequestUrls) -> Self {
        Self {
            state: JobState::InQueue { position: None },
            request: Some(request),
            ..Self::new()
        }
    }

    /// True for Completed, Failed and Cancelled.
    pub fn is_finished(&self) -> bool {
        matches!(
            self.state,
            JobState::Completed(_) | JobState::Failed(_) | JobState::Cancelled
        )
    }

    /// Whether a Cancel button makes sense now.
    pub fn can_cancel(&self) -> bool {
        matches!(
            self.state,
            JobState::Draft
                | JobState::Uploading { .. }
                | JobState::Submitting
                | JobState::InQueue { .. }
                | JobState::InProgress
        ) && self.cancel == CancelState::NotRequested
    }

    /// True when the web layer should send the cancel call now: asked for,
    /// and the request id is known.
    pub fn needs_cancel_call(&self) -> bool {
        self.cancel == CancelState::Requested
            && self.request.is_some()
            && matches!(self.state, JobState::InQueue { .. } | JobState::InProgress)
    }

    /// True when "Check again" may follow a failed job once more: fal has
    /// its request, and the failure is one a later look may get past (no
    /// answer, a server problem, rate limiting, an unreadable answer).
    pub fn can_check_again(&self) -> bool {
        self.request.is_some()
            && matches!(&self.state, JobState::Failed(error) if error.kind.may_pass_on_a_later_look())
    }

    /// True when the submit went out and no answer came back: fal may or
    /// may not have the job (and bill it), so the person must check before
    /// generating again.
    pub fn submit_outcome_unknown(&self) -> bool {
        self.submit_started
            && self.request.is_none()
            && matches!(&self.state, JobState::Failed(error) if matches!(error.kind, FalErrorKind::Network(_)))
    }

    /// The next state after `event`.
    pub fn apply(mut self, event: JobEvent) -> Result<Job, ImpossibleEvent> {
        let impossible = ImpossibleEvent {
            state: self.state.name(),
            event: event.name(),
        };
        let state = std::mem::replace(&mut self.state, JobState::Draft);
        self.state = match (state, event) {
            (JobState::Draft, JobEvent::UploadsStarted { total }) => {
                JobState::Uploading { done: 0, total }
            }
            (JobState::Uploading { done, total }, JobEvent::UploadFinished) if done < total => {
                JobState::Uploading {
                    done: done + 1,
                    total,
                }
            }
            (JobState::Draft, JobEvent::SubmitStarted) => JobState::Submitting,
            (JobState::Uploading { done, total }, JobEvent::SubmitStarted) if done == total => {
                JobState::Submitting
            }
            // Nothing has reached fal's queue yet: stopping is free.
            (JobState::Draft | JobState::Uploading { .. }, JobEvent::CancelRequested) => {
                JobState::Cancelled
            }
            (JobState::Submitting, JobEvent::SubmitWithdrawn) => JobState::Cancelled,
            (JobState::Uploading { .. } | JobState::Submitting, JobEvent::Failed(error)) => {
                JobState::Failed(error)
            }
            (JobState::Draft, JobEvent::Failed(error)) if error.kind.is_code_not_loaded() => {
                JobState::Failed(error)
            }
            // The submit is out: the job may exist, so the cancel must wait
            // for the request id and then be sent.
            (JobState::Submitting, JobEvent::CancelRequested) => {
                self.cancel = CancelState::Requested;
                JobState::Submitting
            }
            (
                JobState::Submitting,
                JobEvent::Submitted {
                    request,
                    queue_position,
                },
            ) => {
                self.request = Some(request);
                JobState::InQueue {
                    position: queue_position,
                }
            }
            (
                current @ (JobState::InQueue { .. } | JobState::InProgress),
                JobEvent::StatusReceived(status),
            ) => self.after_status(current, status),
            (
                current @ (JobState::InQueue { .. } | JobState::InProgress),
                JobEvent::CancelRequested,
            ) => {
                if self.cancel == CancelState::NotRequested {
                    self.cancel = CancelState::Requested;
                }
                current
            }
            (
                current @ (JobState::InQueue { .. } | JobState::InProgress),
                JobEvent::CancelAnswered(outcome),
            ) => match outcome {
                CancelOutcome::Cancelled => JobState::Cancelled,
                CancelOutcome::CancellationRequested => {
                    self.cancel = CancelState::RunnerAsked;
                    current
                }
                CancelOutcome::AlreadyCompleted => {
                    self.cancel = CancelState::NotRequested;
                    JobState::FetchingResult
                }
                // fal does not know it: the next status will say why.
                CancelOutcome::NotFound => {
                    self.cancel = CancelState::NotRequested;
                    current
                }
            },
            // Nothing was cancelled: the job goes on, Cancel can be pressed again.
            (
                current @ (JobState::InQueue { .. } | JobState::InProgress),
                JobEvent::CancelFailed(_),
            ) => {
                self.cancel = CancelState::NotRequested;
                current
            }
            // fal removes a cancelled queued job: its request is then unknown.
            (JobState::InQueue { .. } | JobState::InProgress, JobEvent::Failed(error))
                if self.cancel != CancelState::NotRequested
                    && matches!(error.kind, FalErrorKind::NotFound) =>
            {
                JobState::Cancelled
            }
            (JobState::InQueue { .. } | JobState::InProgress, JobEvent::Failed(error)) => {
                JobState::Failed(error)
            }
            (JobState::FetchingResult, JobEvent::ResultReceived(output)) => {
                JobState::Completed(Box::new(output))
            }
            // A run the person cancelled ends COMPLETED with an error result.
            (JobState::FetchingResult, JobEvent::Failed(_))
                if self.cancel != CancelState::NotRequested =>
            {
                JobState::Cancelled
            }
            (JobState::FetchingResult, JobEvent::Failed(error)) => JobState::Failed(error),
            // Late answers racing the COMPLETED one (a poll overtaken by the
            // stream, a cancel answer) change nothing.
            (
                JobState::FetchingResult,
                JobEvent::StatusReceived(_)
                | JobEvent::CancelAnswered(_)
                | JobEvent::CancelFailed(_),
            ) => JobState::FetchingResult,
            (JobState::Failed(error), JobEvent::Resumed) => {
                if self.request.is_none() {
                    self.state = JobState::Failed(error);
                    return Err(impossible);
                }
                self.cancel = CancelState::NotRequested;
                JobState::InQueue { position: None }
            }
            (state, _) => {
                self.state = state;
                return Err(impossible);
            }
        };
        self.submit_started |= self.state == JobState::Submitting;
        Ok(self)
    }

    fn after_status(&mut self, current: JobState, status: QueueStatus) -> JobState {
        merge_logs(&mut self.logs, status.logs());
        match status {
            QueueStatus::InQueue { position } => JobState::InQueue { position },
            QueueStatus::InProgress { .. } => JobState::InProgress,
            QueueStatus::Completed {
                inference_time,
                error,
                error_type,
                ..
            } => {
                self.inference_time = inference_time;
                if error.is_some() || error_type.is_some() {
                    self.completion_error = Some((error, error_type));
                }
                JobState::FetchingResult
            }
            unknown if unknown.is_final() => JobState::FetchingResult,
            QueueStatus::Unknown { .. } => current,
        }
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
