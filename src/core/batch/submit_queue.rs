//! When each run of a batch may submit. Sans-IO: the web layer reports what
//! happened and asks [`SubmitQueue::next_actions`] what to do now.
//!
//! Each run's own [`crate::core::job::submit::Submitter`] still decides its
//! retries (only after an answer proving fal did not take it); this queue
//! decides *when* each Submitter starts:
//!
//! - **At most [`IN_FLIGHT_MAX`] submits in flight**, so a batch neither
//!   trips fal's or the proxy's rate limits nor takes the page's few
//!   connections from uploads and status reads.
//! - **`Retry-After` holds the whole batch**: a 429 speaks for the caller,
//!   not one run, so no new run starts before the time it asked for.
//! - **A run starts at most once.** A run whose submit answer never came
//!   may already be a billed job at fal: it is never started again, and a
//!   reload that finds a run mid-submit counts it the same way.
//! - **Cancelling a run not yet sent makes no call**: it never existed at
//!   fal. A run in flight is cancelled at fal once its submit is answered.

use crate::core::fal::error::{FalError, FalErrorKind};

/// Most submits in flight at once.
pub const IN_FLIGHT_MAX: usize = 2;

/// Where one run's submit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunSubmit {
    /// Not sent yet; cancelling it costs nothing.
    Waiting,
    /// Its Submitter is running (sending, or waiting out a refusal).
    InFlight,
    /// fal took it: follow it.
    Accepted,
    /// fal answered a refusal: the run failed and nothing was billed.
    Refused,
    /// The answer never came: fal may have it. Never sent again.
    Unknown,
    /// Cancelled before it was sent; no call was made.
    Cancelled,
}

/// How a run's Submitter ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    Accepted,
    /// Failed with an answer from fal or the proxy (a 4xx, or a 429 beyond
    /// its retries).
    Refused,
    /// Failed without an answer (network error, timeout, 502/504).
    NoAnswer,
}

impl SubmitOutcome {
    /// How a Submitter's failure counts: no answer, or a gateway's 502/504
    /// that may have come after fal's queue took the job, is
    /// [`SubmitOutcome::NoAnswer`]; any other answer proves a refusal.
    pub fn of_failure(error: &FalError) -> Self {
        let ambiguous = matches!(error.kind, FalErrorKind::Network(_))
            || matches!(error.http_status, Some(502 | 504));
        if ambiguous {
            SubmitOutcome::NoAnswer
        } else {
            SubmitOutcome::Refused
        }
    }
}

/// What the web layer should do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueAction {
    /// Write run `i` to the history, then start its Submitter.
    Start(usize),
    /// Run `i` was cancelled while its submit was out and fal took it:
    /// cancel it at fal (the job's Canceller).
    CancelAtFal(usize),
    /// Nothing may start before this time (unix ms): call again then.
    WakeAt(u64),
}

/// What a cancel request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    /// The run was never sent: cancelled here, no call.
    CancelledLocally,
    /// The run is (or will be) at fal: a [`QueueAction::CancelAtFal`] comes
    /// once its request id is known.
    AtFal,
    /// Nothing to cancel: the run is over, or fal never got it.
    Nothing,
}

/// The submits of one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitQueue {
    runs: Vec<RunSubmit>,
    /// Cancel requested for a run that is in flight or accepted, and not
    /// yet handed out as a `CancelAtFal`.
    cancel_pending: Vec<bool>,
    /// No run starts before this (unix ms): a `Retry-After` being honoured.
    hold_until_ms: Option<u64>,
}

impl SubmitQueue {
    /// A batch of `count` runs, none sent.
    pub fn new(count: usize) -> Self {
        Self::resumed(vec![RunSubmit::Waiting; count])
    }

    /// A batch read back after a reload. A run that was in flight when the
    /// page went away is [`RunSubmit::Unknown`]: its submit may have
    /// reached fal, and the page that would have heard the answer is gone.
    pub fn resumed(states: Vec<RunSubmit>) -> Self {
        let runs: Vec<RunSubmit> = states
            .into_iter()
            .map(|s| match s {
                RunSubmit::InFlight => RunSubmit::Unknown,
                other => other,
            })
            .collect();
        Self {
            cancel_pending: vec![false; runs.len()],
            runs,
            hold_until_ms: None,
        }
    }

    /// Every run's state, in run order.
    pub fn states(&self) -> &[RunSubmit] {
        &self.runs
    }

    /// True when no run is waiting or in flight.
    pub fn is_settled(&self) -> bool {
        !self
            .runs
            .iter()
            .any(|s| matches!(s, RunSubmit::Waiting | RunSubmit::InFlight))
    }

    fn in_flight(&self) -> usize {
        self.runs
            .iter()
            .filter(|s| **s == RunSubmit::InFlight)
            .count()
    }

    /// What to do at `now_ms`. Each `Start` is handed out once; runs start
    /// in order, lowest index first.
    pub fn next_actions(&mut self, now_ms: u64) -> Vec<QueueAction> {
        let mut actions = Vec::new();
        for (index, pending) in self.cancel_pending.iter_mut().enumerate() {
            if *pending && self.runs[index] == RunSubmit::Accepted {
                *pending = false;
                actions.push(QueueAction::CancelAtFal(index));
            }
        }
        let waiting = self.runs.contains(&RunSubmit::Waiting);
        match self.hold_until_ms {
            Some(until) if until > now_ms => {
                if waiting {
                    actions.push(QueueAction::WakeAt(until));
                }
                return actions;
            }
            Some(_) => self.hold_until_ms = None,
            None => {}
        }
        let mut free = IN_FLIGHT_MAX.saturating_sub(self.in_flight());
        for (index, state) in self.runs.iter_mut().enumerate() {
            if free == 0 {
                break;
            }
            if *state == RunSubmit::Waiting {
                *state = RunSubmit::InFlight;
                free -= 1;
                actions.push(QueueAction::Start(index));
            }
        }
        actions
    }

    /// Run `index`'s Submitter was refused and will send again after a
    /// wait (a 429 or 503, with or without `Retry-After`): no other run
    /// starts before `until_ms` either.
    pub fn on_told_to_wait(&mut self, index: usize, until_ms: u64) {
        if self.runs.get(index) == Some(&RunSubmit::InFlight) {
            self.hold_until_ms = Some(self.hold_until_ms.unwrap_or(0).max(until_ms));
        }
    }

    /// Run `index`'s Submitter ended. Ignored unless the run was in flight,
    /// so a late or repeated report never changes a settled run.
    pub fn on_finished(&mut self, index: usize, outcome: SubmitOutcome) {
        if self.runs.get(index) != Some(&RunSubmit::InFlight) {
            return;
        }
        self.runs[index] = match outcome {
            SubmitOutcome::Accepted => RunSubmit::Accepted,
            SubmitOutcome::Refused => RunSubmit::Refused,
            SubmitOutcome::NoAnswer => RunSubmit::Unknown,
        };
        if outcome != SubmitOutcome::Accepted {
            // Nothing left to cancel at fal (or no request id to do it with).
            self.cancel_pending[index] = false;
        }
    }

    /// "Cancel" on one run.
    pub fn cancel(&mut self, index: usize) -> CancelOutcome {
        let Some(state) = self.runs.get(index).copied() else {
            return CancelOutcome::Nothing;
        };
        match state {
            RunSubmit::Waiting => {
                self.runs[index] = RunSubmit::Cancelled;
                CancelOutcome::CancelledLocally
            }
            RunSubmit::InFlight | RunSubmit::Accepted => {
                self.cancel_pending[index] = true;
                CancelOutcome::AtFal
            }
            RunSubmit::Refused | RunSubmit::Unknown | RunSubmit::Cancelled => {
                CancelOutcome::Nothing
            }
        }
    }

    /// "Cancel all": every run, in order.
    pub fn cancel_all(&mut self) -> Vec<(usize, CancelOutcome)> {
        (0..self.runs.len()).map(|i| (i, self.cancel(i))).collect()
    }
}

#[cfg(test)]
#[path = "submit_queue_tests.rs"]
mod tests;
