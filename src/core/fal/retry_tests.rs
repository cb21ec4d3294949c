//! Tests for [`super`]: which failures retry, and the delays.

use super::*;
use crate::core::fal::classify::classify;
use crate::core::fal::error::NetworkFailure;
use crate::core::fal::http::HttpResponse;

const NOW: u64 = 1_795_513_909;
const MID: f64 = 0.5; // no jitter

fn status(code: u16) -> FalError {
    classify(&HttpResponse::new(code, "{}"), NOW, "x")
}

fn network() -> FalError {
    FalError::network(NetworkFailure::Unreachable)
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn retries(kind: CallKind, error: &FalError) -> bool {
    matches!(decide(kind, 0, error, MID), RetryDecision::RetryAfter(_))
}

#[test]
fn uses_fal_js_numbers_as_the_baseline() {
    let status_policy = policy(CallKind::Status);
    assert_eq!(status_policy.max_retries, 5);
    assert_eq!(status_policy.max_delay, secs(30));
    assert_eq!(status_policy.retry_statuses, &[429, 500, 502, 503, 504]);
    let result = policy(CallKind::Result);
    assert_eq!((result.max_retries, result.max_delay), (3, secs(60)));
    assert_eq!(result.retry_statuses, &[429, 502, 503, 504]);
    let cancel = policy(CallKind::Cancel);
    assert_eq!((cancel.max_retries, cancel.max_delay), (3, secs(30)));
    for kind in [CallKind::Status, CallKind::Result, CallKind::Cancel] {
        assert_eq!(policy(kind).base_delay, secs(1));
    }
}

#[test]
fn backoff_doubles_up_to_the_cap() {
    let p = policy(CallKind::Status);
    let delays: Vec<Duration> = (0..7).map(|n| backoff_delay(&p, n, MID)).collect();
    assert_eq!(
        delays,
        [
            secs(1),
            secs(2),
            secs(4),
            secs(8),
            secs(16),
            secs(30),
            secs(30)
        ]
    );
    assert_eq!(backoff_delay(&p, 1_000, MID), secs(30), "no overflow");
}

#[test]
fn jitter_is_plus_or_minus_a_quarter_and_deterministic() {
    let p = policy(CallKind::Status);
    assert_eq!(backoff_delay(&p, 2, 0.0), Duration::from_millis(3_000));
    assert_eq!(backoff_delay(&p, 2, 1.0), Duration::from_millis(5_000));
    assert_eq!(backoff_delay(&p, 2, 0.25), Duration::from_millis(3_500));
    assert_eq!(backoff_delay(&p, 2, 0.25), backoff_delay(&p, 2, 0.25));
    assert_eq!(
        backoff_delay(&p, 10, 1.0),
        secs(30),
        "jitter never passes the cap"
    );
    assert_eq!(backoff_delay(&p, 2, f64::NAN), secs(4));
    assert_eq!(backoff_delay(&p, 2, 7.0), Duration::from_millis(5_000));
}

#[test]
fn submit_is_never_resent_when_it_may_have_been_accepted() {
    for ambiguous in [
        network(),
        FalError::network(NetworkFailure::TimedOut),
        FalError::network(NetworkFailure::Interrupted),
        FalError::network(NetworkFailure::Offline),
        status(502),
        status(504),
        status(500),
    ] {
        assert_eq!(
            decide(CallKind::Submit, 0, &ambiguous, MID),
            RetryDecision::GiveUp,
            "{ambiguous:?}"
        );
    }
    assert_eq!(
        decide(CallKind::Submit, 0, &status(429), MID),
        RetryDecision::RetryAfter(secs(1))
    );
    assert_eq!(
        decide(CallKind::Submit, 1, &status(503), MID),
        RetryDecision::RetryAfter(secs(2))
    );
    assert_eq!(
        decide(CallKind::Submit, 3, &status(503), MID),
        RetryDecision::GiveUp
    );
}

#[test]
fn reads_retry_on_network_errors_and_server_trouble() {
    for kind in [
        CallKind::Status,
        CallKind::StatusStream,
        CallKind::Result,
        CallKind::Cancel,
    ] {
        assert!(retries(kind, &network()), "{kind:?}");
        assert!(retries(kind, &status(503)), "{kind:?}");
        assert!(!retries(kind, &status(404)), "{kind:?}");
        assert!(!retries(kind, &status(401)), "{kind:?}");
        assert!(!retries(kind, &status(422)), "{kind:?}");
    }
    assert!(retries(CallKind::Status, &status(500)));
    assert!(
        !retries(CallKind::Result, &status(500)),
        "a result 500 is the model's own error"
    );
    assert!(matches!(
        decide(CallKind::Status, 4, &network(), MID),
        RetryDecision::RetryAfter(_)
    ));
    assert_eq!(
        decide(CallKind::Status, 5, &network(), MID),
        RetryDecision::GiveUp
    );
}

#[test]
fn uploads_retry_and_the_test_call_does_not() {
    for kind in [
        CallKind::UploadFile,
        CallKind::UploadPart,
        CallKind::CompleteMultipart,
    ] {
        assert!(retries(kind, &network()), "{kind:?}");
        assert!(retries(kind, &status(500)), "{kind:?}");
        assert!(!retries(kind, &status(403)), "{kind:?}");
    }
    assert_eq!(
        decide(CallKind::UploadPart, 5, &network(), 1.0),
        RetryDecision::GiveUp
    );
    assert!(retries(CallKind::StorageInitiate, &network()));
    assert!(!retries(CallKind::TestConnection, &network()));
    assert!(!retries(CallKind::TestConnection, &status(503)));
}

#[test]
fn retry_after_is_honoured_in_both_forms_and_capped() {
    let seconds = classify(
        &HttpResponse::new(429, "{}").with_header("Retry-After", "12"),
        NOW,
        "x",
    );
    assert_eq!(
        decide(CallKind::Status, 0, &seconds, MID),
        RetryDecision::RetryAfter(secs(12))
    );
    let date = classify(
        &HttpResponse::new(503, "{}").with_header("Retry-After", "Tue, 24 Nov 2026 09:52:34 GMT"),
        NOW,
        "x",
    );
    assert_eq!(
        decide(CallKind::Submit, 0, &date, MID),
        RetryDecision::RetryAfter(secs(45))
    );
    // The backoff wins when it is longer than what the server asked.
    let short = classify(
        &HttpResponse::new(429, "{}").with_header("Retry-After", "1"),
        NOW,
        "x",
    );
    assert_eq!(
        decide(CallKind::Status, 3, &short, MID),
        RetryDecision::RetryAfter(secs(8))
    );
    // Asked to wait longer than the cap: give up and say when.
    let long = classify(
        &HttpResponse::new(429, "{}").with_header("Retry-After", "3600"),
        NOW,
        "x",
    );
    assert_eq!(
        decide(CallKind::Status, 0, &long, MID),
        RetryDecision::GiveUp
    );
    assert!(long.message().contains("60 minutes"));
    let upload = classify(
        &HttpResponse::new(503, "").with_header("Retry-After", "45"),
        NOW,
        "x",
    );
    assert_eq!(
        decide(CallKind::UploadPart, 0, &upload, MID),
        RetryDecision::GiveUp
    );
}

#[test]
fn never_retries_a_user_start_timeout_or_a_no_retry_hint() {
    let user_timeout = classify(
        &HttpResponse::new(
            504,
            r#"{"detail":"Request timed out","error_type":"request_timeout"}"#,
        )
        .with_header("X-Fal-Request-Timeout-Type", "user"),
        NOW,
        "x",
    );
    for kind in [CallKind::Status, CallKind::Result, CallKind::Submit] {
        assert_eq!(decide(kind, 0, &user_timeout, MID), RetryDecision::GiveUp);
    }
    let told_not_to = classify(
        &HttpResponse::new(503, "{}").with_header("X-Fal-Retryable", "false"),
        NOW,
        "x",
    );
    assert_eq!(
        decide(CallKind::Status, 0, &told_not_to, MID),
        RetryDecision::GiveUp
    );
    let malformed = FalError::malformed("not JSON");
    assert_eq!(
        decide(CallKind::Status, 0, &malformed, MID),
        RetryDecision::GiveUp
    );
}

#[test]
fn errors_relabelled_as_200_keep_their_retry_rules() {
    let scheduling = classify(
        &HttpResponse::new(
            200,
            r#"{"detail":"No runner available","error_type":"runner_scheduling_failure"}"#,
        ),
        NOW,
        "x",
    );
    assert!(retries(CallKind::Status, &scheduling));
    assert!(
        retries(CallKind::Submit, &scheduling),
        "a refused submit (503)"
    );
    let timeout = classify(
        &HttpResponse::new(
            200,
            r#"{"detail":"Request timed out","error_type":"request_timeout"}"#,
        ),
        NOW,
        "x",
    );
    assert!(retries(CallKind::Status, &timeout));
    assert!(
        !retries(CallKind::Submit, &timeout),
        "a 504 is ambiguous on submit"
    );
    let limited = classify(
        &HttpResponse::new(200, r#"{"detail":"Rate limit exceeded"}"#),
        NOW,
        "x",
    );
    assert!(retries(CallKind::Submit, &limited));
    let internal = classify(
        &HttpResponse::new(200, r#"{"detail":"boom","error_type":"internal_error"}"#),
        NOW,
        "x",
    );
    assert!(retries(CallKind::Status, &internal));
    assert!(!retries(CallKind::Result, &internal));
}
