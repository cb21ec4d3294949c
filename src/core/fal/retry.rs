//! When to try a failed call again, and after how long: policy as data.
//!
//! Baseline is fal-js (docs/fal-protocol.md §6.1): up to 3 retries (5 for status
//! polls), delay `min(1 s · 2^n, cap)` with ±25 % jitter, on 429/502/503/504
//! (+500 for status). Where this app deliberately differs:
//!
//! - **Submit is never re-sent after a network error, a timeout or an
//!   ambiguous gateway error** (502, 504). The POST may have reached fal's
//!   queue, and a second one would be a second, billed job. It is retried
//!   only after an answer proving it was not accepted: 429 (rate limited)
//!   and 503 (the queue refused service). A 502/504 from an ingress could
//!   have been produced after the queue took the job (the upstream received
//!   it and then the connection failed or timed out), so no argument makes
//!   it safe; fal-js's retry of those on submit is the billing risk we avoid.
//! - **Reads retry on network errors too** (status, stream, result, cancel,
//!   storage calls), which fal-js does not do in browsers: they have no side
//!   effects, and a dropped Wi-Fi must not lose a paid result.
//! - **`Retry-After` is honoured** (fal-js ignores it): the wait is at least
//!   what the server asked, up to a cap; a longer request gives up at once so
//!   the person sees when to come back instead of a spinner.
//! - A 504 with `X-Fal-Request-Timeout-Type: user` and an explicit
//!   `X-Fal-Retryable: false` are never retried.

use std::time::Duration;

use crate::core::fal::calls::CallKind;
use crate::core::fal::error::{FalError, FalErrorKind};

/// How one kind of call is retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub base_delay: Duration,
    /// Cap of the exponential delay (before `Retry-After`).
    pub max_delay: Duration,
    /// HTTP statuses worth another try.
    pub retry_statuses: &'static [u16],
    /// Whether a request that got no answer may be sent again.
    pub retry_network: bool,
    /// Longest `Retry-After` we wait for; beyond it we give up.
    pub max_retry_after: Duration,
}

const DEFAULT_CODES: &[u16] = &[429, 502, 503, 504];
const STATUS_CODES: &[u16] = &[429, 500, 502, 503, 504];
const SUBMIT_CODES: &[u16] = &[429, 503];
const UPLOAD_CODES: &[u16] = &[408, 429, 500, 502, 503, 504];

/// The policy for each call.
pub fn policy(kind: CallKind) -> RetryPolicy {
    let second = Duration::from_secs;
    let base = RetryPolicy {
        max_retries: 3,
        base_delay: second(1),
        max_delay: second(30),
        retry_statuses: DEFAULT_CODES,
        retry_network: true,
        max_retry_after: second(120),
    };
    match kind {
        CallKind::Submit => RetryPolicy {
            max_delay: second(60),
            retry_statuses: SUBMIT_CODES,
            retry_network: false,
            max_retry_after: second(60),
            ..base
        },
        CallKind::Status => RetryPolicy {
            max_retries: 5,
            retry_statuses: STATUS_CODES,
            ..base
        },
        CallKind::StatusStream => RetryPolicy {
            retry_statuses: STATUS_CODES,
            ..base
        },
        CallKind::Result => RetryPolicy {
            max_delay: second(60),
            ..base
        },
        CallKind::Cancel | CallKind::StorageInitiate | CallKind::InitiateMultipart => base,
        // A signed upload URL may expire within minutes: short waits.
        CallKind::UploadFile | CallKind::UploadPart | CallKind::CompleteMultipart => RetryPolicy {
            max_delay: second(10),
            retry_statuses: UPLOAD_CODES,
            max_retry_after: second(30),
            ..base
        },
        // The person pressed a button and can press it again.
        CallKind::TestConnection => RetryPolicy {
            max_retries: 0,
            ..base
        },
    }
}

/// What to do after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Send the same request again after this wait.
    RetryAfter(Duration),
    /// Report the error.
    GiveUp,
}

/// Decides about `error`, the failure of attempt `retries_done + 1`.
/// `jitter` comes from the caller's random source, in `0.0..1.0`; passing
/// it in keeps this function deterministic.
pub fn decide(kind: CallKind, retries_done: u32, error: &FalError, jitter: f64) -> RetryDecision {
    let policy = policy(kind);
    if retries_done >= policy.max_retries || error.retryable_hint == Some(false) {
        return RetryDecision::GiveUp;
    }
    let worth_it = match &error.kind {
        FalErrorKind::Network(_) => policy.retry_network,
        // The proxy's access refusals answer the same until a person acts
        // (a code, a sign-in, a new day); a store that is down is shown,
        // not hammered.
        FalErrorKind::StartTimeout | FalErrorKind::Malformed { .. } | FalErrorKind::Access(_) => {
            false
        }
        _ => effective_status(error).is_some_and(|s| policy.retry_statuses.contains(&s)),
    };
    if !worth_it {
        return RetryDecision::GiveUp;
    }
    let backoff = backoff_delay(&policy, retries_done, jitter);
    match error.retry_after {
        Some(asked) if asked > policy.max_retry_after => RetryDecision::GiveUp,
        Some(asked) => RetryDecision::RetryAfter(asked.max(backoff)),
        None => RetryDecision::RetryAfter(backoff),
    }
}

/// `min(base · 2^n, cap)`, then ±25 % jitter, never above the cap.
pub fn backoff_delay(policy: &RetryPolicy, retries_done: u32, jitter: f64) -> Duration {
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let exponential = policy
        .base_delay
        .saturating_mul(2u32.saturating_pow(retries_done.min(31)))
        .min(policy.max_delay);
    exponential
        .mul_f64(0.75 + 0.5 * jitter)
        .min(policy.max_delay)
}

/// The status an error stands for. Errors a proxy relabelled as 200 are
/// mapped back from their shape, so retry rules still apply to them.
fn effective_status(error: &FalError) -> Option<u16> {
    if let Some(status) = error.http_status.filter(|s| *s >= 400) {
        return Some(status);
    }
    match &error.kind {
        FalErrorKind::RateLimited => Some(429),
        FalErrorKind::Server { error_type, .. } => Some(match error_type.as_deref() {
            Some("request_timeout" | "startup_timeout") => 504,
            Some(t) if t.starts_with("runner_") => 503,
            _ => 500,
        }),
        _ => None,
    }
}

#[cfg(test)]
#[path = "retry_tests.rs"]
mod tests;
