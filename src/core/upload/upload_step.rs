//! What the [`crate::core::upload::uploader::Uploader`] asks of its caller
//! (the next [`UploadStep`], how the upload ended) and the calls it keeps
//! track of: which call an answer belongs to, whether each is due, out or
//! done, and how many retries it spent.

use std::time::Duration;

use crate::core::fal::calls::FalCall;
use crate::core::upload::plan::PartRange;
use crate::core::upload::problem::UploadProblem;

/// How an upload ended without a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// The person pressed "Cancel upload" or cancelled the job.
    Cancelled,
    Failed(UploadProblem),
}

/// The next thing the caller should do.
#[derive(Debug, Clone, PartialEq)]
pub enum UploadStep {
    /// Wait `after` (a retry's wait; zero otherwise), then send `call`
    /// alongside the calls already out, and report back under `id`.
    Send {
        id: CallId,
        after: Duration,
        call: FalCall,
    },
    /// Every call allowed now is out: wait for one of them to end.
    AwaitAnswer,
    /// Abort every call still out and wait for them to end; their answers
    /// no longer count (the file starts again with a fresh address).
    AbortInFlight,
    /// The upload is over: abort anything still out. `Ok` holds the URL
    /// fal's storage serves the file from, which goes into the model input.
    Finished(Result<String, Ended>),
}

/// Which call an answer belongs to. Answers for an earlier attempt (before
/// a fresh address) are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallId {
    pub(super) attempt: u32,
    pub(super) slot: Slot,
}

/// Which call of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    Initiate,
    /// The byte transfer at this index (the single `PUT` is index 0).
    Transfer(usize),
    Complete,
}

/// Where one call stands.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum CallState {
    /// To be sent after this wait.
    Due(Duration),
    InFlight,
    Done,
}

/// One call of the upload and its retries.
#[derive(Debug, Clone)]
pub(super) struct Tracked {
    pub(super) call: FalCall,
    /// The file's bytes the call carries, for the progress.
    pub(super) range: Option<PartRange>,
    pub(super) state: CallState,
    /// Retries spent on this call.
    pub(super) retries: u32,
}

impl Tracked {
    pub(super) fn new(call: FalCall, range: Option<PartRange>) -> Self {
        Self {
            call,
            range,
            state: CallState::Due(Duration::ZERO),
            retries: 0,
        }
    }
}

/// The send step for `call` under `id` if it is due (it is then out);
/// otherwise there is nothing to send but to wait.
pub(super) fn launch(call: &mut Tracked, id: CallId) -> UploadStep {
    match call.state {
        CallState::Due(after) => {
            call.state = CallState::InFlight;
            UploadStep::Send {
                id,
                after,
                call: call.call.clone(),
            }
        }
        _ => UploadStep::AwaitAnswer,
    }
}
