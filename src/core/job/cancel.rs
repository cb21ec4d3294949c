//! Sending the cancel call after the person pressed Cancel, until fal
//! answers or it is clear the call cannot get through. Sans-IO: the caller
//! performs each [`CancelStep`] and reports what came back.
//!
//! A cancel has no side effect beyond the one asked for, so it is retried
//! like any read (network errors included), on the cancel policy of
//! [`crate::core::fal::retry`]. When that policy gives up, the outcome is
//! [`JobEvent::CancelFailed`]: nothing was cancelled and the job goes on,
//! which is not the same as fal answering `NOT_FOUND`.

use std::time::Duration;

use crate::core::fal::answers::parse_cancel;
use crate::core::fal::calls::{self, CallKind, FalCall};
use crate::core::fal::endpoint::RequestUrls;
use crate::core::fal::error::{FalError, NetworkFailure};
use crate::core::fal::http::HttpResponse;
use crate::core::fal::retry::{decide, RetryDecision};
use crate::core::job::state::JobEvent;

/// The next thing the caller should do.
#[derive(Debug, Clone, PartialEq)]
pub enum CancelStep {
    /// Wait `after` (zero the first time), then send `call`.
    Send { after: Duration, call: FalCall },
    /// The cancel is settled: apply this event to the job
    /// ([`JobEvent::CancelAnswered`] or [`JobEvent::CancelFailed`]).
    Settled(JobEvent),
}

/// The cancel of one submitted job.
#[derive(Debug, Clone)]
pub struct Canceller {
    call: FalCall,
    retries: u32,
    wait: Duration,
    settled: Option<JobEvent>,
}

impl Canceller {
    /// The cancel of the request at `urls`.
    pub fn new(urls: &RequestUrls) -> Self {
        Self {
            call: calls::cancel(urls),
            retries: 0,
            wait: Duration::ZERO,
            settled: None,
        }
    }

    /// What to do now.
    pub fn next_step(&self) -> CancelStep {
        match &self.settled {
            Some(event) => CancelStep::Settled(event.clone()),
            None => CancelStep::Send {
                after: self.wait,
                call: self.call.clone(),
            },
        }
    }

    /// fal (or the proxy) answered.
    pub fn on_answer(&mut self, answer: &HttpResponse, now_unix_secs: u64, jitter: f64) {
        if self.settled.is_some() {
            return;
        }
        match parse_cancel(answer, now_unix_secs) {
            Ok(outcome) => self.settled = Some(JobEvent::CancelAnswered(outcome)),
            Err(error) => self.on_failure(error, jitter),
        }
    }

    /// No answer came back.
    pub fn on_no_answer(&mut self, failure: NetworkFailure, jitter: f64) {
        if self.settled.is_none() {
            self.on_failure(FalError::network(failure), jitter);
        }
    }

    /// The person pressed Cancel again while the call was out or waiting:
    /// send it again at once. Not a failure, so no retry is spent.
    pub fn on_pressed_again(&mut self) {
        self.wait = Duration::ZERO;
    }

    fn on_failure(&mut self, error: FalError, jitter: f64) {
        match decide(CallKind::Cancel, self.retries, &error, jitter) {
            RetryDecision::RetryAfter(wait) => {
                self.retries += 1;
                self.wait = wait;
            }
            RetryDecision::GiveUp => self.settled = Some(JobEvent::CancelFailed(error)),
        }
    }
}

#[cfg(test)]
#[path = "cancel_tests.rs"]
mod tests;
