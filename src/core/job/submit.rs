//! Sending a job to fal's queue, exactly once per Generate. Sans-IO: the
//! caller performs each [`SubmitStep`] and reports what came back.
//!
//! The one rule that matters here: **a submit whose answer never came is
//! never sent again blind.** The POST may have reached fal's queue before
//! the connection failed, and a second one would be a second, billed job.
//! So the submit is sent again only after an answer that proves fal did not
//! take it (429, 503; see [`crate::core::fal::retry`]); no answer at all, or
//! an ambiguous one (502, 504), ends the submit as failed, and the job panel
//! asks the person to check fal's dashboard before generating again.

use std::time::Duration;

use crate::core::fal::answers::parse_submit;
use crate::core::fal::calls::{self, CallKind, FalCall};
use crate::core::fal::endpoint::{QueueEndpoint, RequestUrls};
use crate::core::fal::error::{FalError, NetworkFailure};
use crate::core::fal::http::HttpResponse;
use crate::core::fal::retry::{decide, RetryDecision};
use crate::core::model::schema::R2vInput;

/// The next thing the caller should do.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitStep {
    /// Wait `after` (zero the first time), then send `call` once.
    Send { after: Duration, call: FalCall },
    /// fal took the job: follow it at these URLs.
    Accepted {
        urls: RequestUrls,
        queue_position: Option<u64>,
    },
    /// The submit failed for good; this is the job's failure.
    Failed(FalError),
    /// The person cancelled while no attempt was out and none had been
    /// taken: nothing of this job is at fal, so it ends cancelled, free.
    Withdrawn,
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    /// The call is due after this wait.
    Due(Duration),
    /// Sent; its answer (or the lack of one) is awaited.
    Sent,
    Accepted {
        urls: RequestUrls,
        queue_position: Option<u64>,
    },
    Failed(FalError),
    Withdrawn,
}

/// The submit of one job.
#[derive(Debug, Clone)]
pub struct Submitter {
    endpoint: QueueEndpoint,
    call: FalCall,
    phase: Phase,
    retries: u32,
    /// The refusal being waited out ("fal is busy; trying again"), for a
    /// notice while the wait lasts.
    trouble: Option<FalError>,
}

impl Submitter {
    /// The submit of `input` to `endpoint`.
    pub fn new(endpoint: &QueueEndpoint, input: &R2vInput) -> Self {
        Self {
            endpoint: endpoint.clone(),
            call: calls::submit(endpoint, input),
            phase: Phase::Due(Duration::ZERO),
            retries: 0,
            trouble: None,
        }
    }

    /// What to do now. `Send` comes once per attempt: asking again before
    /// reporting the attempt's outcome gives [`SubmitStep::Failed`], since a
    /// submit without a known outcome must not go out again.
    pub fn next_step(&mut self) -> SubmitStep {
        match &self.phase {
            Phase::Due(after) => {
                let after = *after;
                self.phase = Phase::Sent;
                SubmitStep::Send {
                    after,
                    call: self.call.clone(),
                }
            }
            Phase::Sent => {
                // The caller lost track of the attempt: treat it as no answer.
                self.on_no_answer(NetworkFailure::Interrupted);
                self.next_step()
            }
            Phase::Accepted {
                urls,
                queue_position,
            } => SubmitStep::Accepted {
                urls: urls.clone(),
                queue_position: *queue_position,
            },
            Phase::Failed(error) => SubmitStep::Failed(error.clone()),
            Phase::Withdrawn => SubmitStep::Withdrawn,
        }
    }

    /// Asked after the wait of a [`SubmitStep::Send`] and before sending
    /// it: `true` to send. A Cancel pressed during the wait (or before the
    /// first attempt) withdraws the submit instead: every earlier attempt
    /// was refused with an answer proving fal did not take it, so stopping
    /// now is free, whereas sending would start a billed job the person
    /// has just said they do not want. Cancel cuts the wait short, so
    /// without this the submit would go out at once.
    pub fn go_ahead(&mut self, cancel_requested: bool) -> bool {
        if self.phase != Phase::Sent {
            return false;
        }
        if cancel_requested {
            self.trouble = None;
            self.phase = Phase::Withdrawn;
            return false;
        }
        true
    }

    /// The refusal being waited out, if any.
    pub fn trouble(&self) -> Option<&FalError> {
        self.trouble.as_ref()
    }

    /// fal (or the proxy) answered. `jitter` in `0.0..1.0` spreads retries.
    pub fn on_answer(&mut self, answer: &HttpResponse, now_unix_secs: u64, jitter: f64) {
        if self.phase != Phase::Sent {
            return;
        }
        let error = match parse_submit(answer, now_unix_secs) {
            Ok(submitted) => {
                self.trouble = None;
                self.phase = match self
                    .endpoint
                    .urls_for(&submitted.request_id, &submitted.returned)
                {
                    Ok(urls) => Phase::Accepted {
                        urls,
                        queue_position: submitted.queue_position,
                    },
                    Err(_) => Phase::Failed(FalError::malformed(
                        "fal returned a request id that cannot be used",
                    )),
                };
                return;
            }
            Err(error) => error,
        };
        match decide(CallKind::Submit, self.retries, &error, jitter) {
            RetryDecision::RetryAfter(wait) => {
                self.retries += 1;
                self.phase = Phase::Due(wait);
                self.trouble = Some(error);
            }
            RetryDecision::GiveUp => self.fail(error),
        }
    }

    /// No answer came back. fal may or may not have the job, so it is
    /// never sent again.
    pub fn on_no_answer(&mut self, failure: NetworkFailure) {
        if self.phase == Phase::Sent {
            self.fail(FalError::network(failure));
        }
    }

    fn fail(&mut self, error: FalError) {
        self.trouble = None;
        self.phase = Phase::Failed(error);
    }
}

#[cfg(test)]
#[path = "submit_tests.rs"]
mod tests;
