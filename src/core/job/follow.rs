//! Following a submitted job until its result is in hand: when to stream,
//! when to poll, when to fetch the result, and how long to wait after a
//! failure. Sans-IO: the web layer performs each [`Step`] and reports back.
//!
//! The status stream (one long request, events as they happen) is tried
//! first: it shows progress at once and costs three requests for a whole
//! job. When it fails, ends without COMPLETED, or stays silent (a proxy that
//! buffers it), the follower polls instead for the rest of the job, on
//! [`PollSchedule`]. Reads never give up on network errors: a dropped Wi-Fi
//! must not lose a paid result, so they keep retrying with capped backoff
//! and go at once when the browser says it is online again.

use std::time::Duration;

use crate::core::fal::calls::{self, CallKind, FalCall};
use crate::core::fal::endpoint::RequestUrls;
use crate::core::fal::error::{FalError, FalErrorKind};
use crate::core::fal::retry::{backoff_delay, decide, policy, RetryDecision};
use crate::core::fal::status::QueueStatus;
use crate::core::job::poll_schedule::{changed_stage, progressed, PollSchedule};

/// How long the stream may stay without any event or keep-alive before we
/// assume a proxy is buffering it. fal sends a comment every 15 s.
pub const STREAM_SILENCE_LIMIT: Duration = Duration::from_secs(20);

/// How long to wait for the stream's first event. fal answers a new stream
/// with the current status at once; a proxy that buffers the response
/// delivers nothing until the job ends, so waiting the full silence limit
/// would leave the person looking at a stale status for no reason.
pub const FIRST_EVENT_LIMIT: Duration = Duration::from_secs(5);

/// Longest wait between attempts while the network is down.
pub const OFFLINE_RETRY_CAP: Duration = Duration::from_secs(15);

/// The next thing the web layer should do.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Open the status stream and report its events and its end.
    OpenStream(FalCall),
    /// Wait `after`, then poll the status once.
    Poll { after: Duration, call: FalCall },
    /// Wait `after`, then fetch the result.
    FetchResult { after: Duration, call: FalCall },
    /// The job's outcome is known (or it failed for good): stop.
    Stop,
}

/// How a status stream ended.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEnd {
    /// The server closed it (after COMPLETED, or early).
    Closed,
    /// It failed: an error answer, a dropped connection, unreadable data.
    Failed(FalError),
    /// Nothing arrived for [`STREAM_SILENCE_LIMIT`].
    Silent,
}

/// Where following stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    /// Before the first step.
    Start,
    Streaming,
    Polling,
    FetchingResult,
    Done,
}

/// The follower for one job.
#[derive(Debug, Clone)]
pub struct Follower {
    urls: RequestUrls,
    phase: Phase,
    poll: PollSchedule,
    last_status: Option<QueueStatus>,
    /// Consecutive failures of the current read, for backoff.
    failures: u32,
    /// The wait before the next attempt.
    wait: Duration,
    stream_allowed: bool,
    /// Polling only until a status stream comes free
    /// ([`Follower::waiting_for_stream`]): the patient rhythm, reset only
    /// by a new stage.
    waiting_for_stream: bool,
    /// The last read failure while still retrying, for a "still trying"
    /// notice; cleared by the next success.
    trouble: Option<FalError>,
}

impl Follower {
    /// Starts following with the stream first.
    pub fn new(urls: RequestUrls) -> Self {
        Self {
            urls,
            phase: Phase::Start,
            poll: PollSchedule::default(),
            last_status: None,
            failures: 0,
            wait: Duration::ZERO,
            stream_allowed: true,
            waiting_for_stream: false,
            trouble: None,
        }
    }

    /// Starts following by polling only (e.g. a deployment known to buffer).
    pub fn polling_only(urls: RequestUrls) -> Self {
        Self {
            stream_allowed: false,
            ..Self::new(urls)
        }
    }

    /// Starts following by polling, patiently, because the page's status
    /// streams are all taken; [`Follower::promote_to_stream`] when one
    /// comes free.
    pub fn waiting_for_stream(urls: RequestUrls) -> Self {
        Self {
            poll: PollSchedule::waiting_for_stream(),
            waiting_for_stream: true,
            ..Self::polling_only(urls)
        }
    }

    /// A status stream came free for a job that was polling because none
    /// was (a page opens only a few at once, see
    /// `core::batch::stream_slots`): read the stream from the next step.
    /// Nothing changes once the job's outcome is known.
    pub fn promote_to_stream(&mut self) {
        self.stream_allowed = true;
        if self.waiting_for_stream {
            self.waiting_for_stream = false;
            self.poll = PollSchedule::default();
        }
        if self.phase == Phase::Polling {
            self.phase = Phase::Streaming;
            self.wait = Duration::ZERO;
        }
    }

    /// True while the stream is the source of statuses.
    pub fn is_streaming(&self) -> bool {
        self.phase == Phase::Streaming
    }

    /// The failure being retried right now, if any.
    pub fn trouble(&self) -> Option<&FalError> {
        self.trouble.as_ref()
    }

    /// What to do now.
    pub fn next_step(&mut self) -> Step {
        match self.phase {
            Phase::Start if self.stream_allowed => {
                self.phase = Phase::Streaming;
                Step::OpenStream(calls::status_stream(&self.urls))
            }
            Phase::Start => {
                self.phase = Phase::Polling;
                self.poll_step()
            }
            Phase::Streaming => Step::OpenStream(calls::status_stream(&self.urls)),
            Phase::Polling => self.poll_step(),
            Phase::FetchingResult => Step::FetchResult {
                after: self.wait,
                call: calls::result(&self.urls),
            },
            Phase::Done => Step::Stop,
        }
    }

    fn poll_step(&self) -> Step {
        Step::Poll {
            after: self.wait,
            call: calls::status(&self.urls),
        }
    }

    /// A status arrived (streamed or polled).
    pub fn on_status(&mut self, status: &QueueStatus) {
        let moved = if self.waiting_for_stream {
            changed_stage(self.last_status.as_ref(), status)
        } else {
            progressed(self.last_status.as_ref(), status)
        };
        self.last_status = Some(status.clone());
        self.failures = 0;
        self.trouble = None;
        if status.is_final() {
            self.phase = Phase::FetchingResult;
            self.wait = Duration::ZERO;
        } else {
            self.wait = self.poll.next_delay(moved);
        }
    }

    /// The stream ended; from now on, poll (unless it already brought
    /// COMPLETED). Returns the error to show if the job cannot go on.
    pub fn on_stream_end(&mut self, end: StreamEnd) -> Option<FalError> {
        if self.phase != Phase::Streaming {
            return None;
        }
        self.phase = Phase::Polling;
        match end {
            StreamEnd::Closed | StreamEnd::Silent => {
                self.wait = Duration::ZERO;
                None
            }
            // Auth or not-found on the stream will be the same on a poll;
            // polling once more lets the poll's own rules decide. A dropped
            // connection is the ordinary reason to poll and is not worth a
            // notice; an error answer (429, 5xx) is, until a poll succeeds.
            StreamEnd::Failed(error) => {
                if is_network(&error) {
                    self.wait = Duration::from_millis(500);
                } else {
                    self.wait = error.retry_after.unwrap_or(Duration::ZERO);
                    self.trouble = Some(error);
                }
                None
            }
        }
    }

    /// A status poll failed. Returns the error if the job must stop.
    pub fn on_poll_failed(&mut self, error: FalError, jitter: f64) -> Option<FalError> {
        self.on_read_failed(CallKind::Status, error, jitter)
    }

    /// The result fetch failed. Returns the error if the job must stop.
    pub fn on_result_failed(&mut self, error: FalError, jitter: f64) -> Option<FalError> {
        self.on_read_failed(CallKind::Result, error, jitter)
    }

    /// The result arrived: following is over.
    pub fn on_result(&mut self) {
        self.phase = Phase::Done;
        self.trouble = None;
    }

    /// The browser came back online: retry now instead of after the backoff.
    pub fn on_online(&mut self) {
        self.wait = Duration::ZERO;
    }

    /// The job was stopped (cancelled, failed elsewhere).
    pub fn stop(&mut self) {
        self.phase = Phase::Done;
    }

    fn on_read_failed(&mut self, kind: CallKind, error: FalError, jitter: f64) -> Option<FalError> {
        let retries = self.failures;
        self.failures += 1;
        if is_network(&error) || is_unreadable(&error) {
            // Never give up on a read for want of a network, nor because one
            // answer was garbled (an HTML error page from a proxy, a cut
            // body): the job is paid for and fal still has it.
            let delay = backoff_delay(&policy(kind), retries, jitter);
            self.wait = delay.min(OFFLINE_RETRY_CAP);
            self.trouble = Some(error);
            return None;
        }
        match decide(kind, retries, &error, jitter) {
            RetryDecision::RetryAfter(delay) => {
                self.wait = delay;
                self.trouble = Some(error);
                None
            }
            RetryDecision::GiveUp => {
                // A result that is an error (422, content policy, 500 after
                // COMPLETED) is the job's outcome, not a failed read.
                self.phase = Phase::Done;
                Some(error)
            }
        }
    }
}

/// True when the answer to the stream request is a live event stream. A
/// proxy that forces `accept: application/json` or buffers may answer 200
/// with JSON instead; that is treated as a failed stream (then polling).
pub fn is_event_stream(status: u16, content_type: Option<&str>) -> bool {
    (200..300).contains(&status)
        && content_type.is_some_and(|t| {
            t.trim()
                .to_ascii_lowercase()
                .starts_with("text/event-stream")
        })
}

fn is_network(error: &FalError) -> bool {
    matches!(error.kind, FalErrorKind::Network(_))
}

/// An answer that could not be read (not JSON, or not the expected shape).
fn is_unreadable(error: &FalError) -> bool {
    matches!(error.kind, FalErrorKind::Malformed { .. })
}

#[cfg(test)]
#[path = "follow_tests.rs"]
mod tests;
