//! Tests for [`super`]: every answer to a cancel, the retries, and the
//! give-up that leaves the job running.

use std::time::Duration;

use super::*;
use crate::core::fal::answers::{CancelOutcome, DOCUMENTED_CANCEL_ANSWERS};
use crate::core::fal::error::FalErrorKind;
use crate::core::fal::http::Method;
use crate::core::job::state::{CancelState, Job, JobState};
use crate::core::job::test_support::{queue_request_urls, REQUEST_ID as ID};

const NOW: u64 = 1_795_513_909;
const MID: f64 = 0.5;

fn urls() -> RequestUrls {
    queue_request_urls()
}

fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body).with_header("content-type", "application/json")
}

fn wait_of(c: &Canceller) -> Duration {
    match c.next_step() {
        CancelStep::Send { after, call } => {
            assert_eq!(call.kind, CallKind::Cancel);
            after
        }
        other => panic!("expected a send, got {other:?}"),
    }
}

fn settled(c: &Canceller) -> JobEvent {
    match c.next_step() {
        CancelStep::Settled(event) => event,
        other => panic!("expected it settled, got {other:?}"),
    }
}

/// A job in the queue whose person pressed Cancel.
fn cancelling() -> Job {
    Job::new()
        .apply(JobEvent::SubmitStarted)
        .unwrap()
        .apply(JobEvent::Submitted {
            request: urls(),
            queue_position: Some(1),
        })
        .unwrap()
        .apply(JobEvent::CancelRequested)
        .unwrap()
}

#[test]
fn the_cancel_is_a_bodiless_put_to_the_cancel_url() {
    let c = Canceller::new(&urls());
    let CancelStep::Send { after, call } = c.next_step() else {
        panic!("sent first")
    };
    assert_eq!(after, Duration::ZERO);
    assert_eq!(call.request.method, Method::Put);
    assert_eq!(
        call.request.url,
        format!("https://queue.fal.run/fal-ai/wan/requests/{ID}/cancel")
    );
}

#[test]
fn each_answer_fal_documents_settles_the_cancel() {
    for (code, body, outcome) in DOCUMENTED_CANCEL_ANSWERS {
        let mut c = Canceller::new(&urls());
        c.on_answer(&answer(code, body), NOW, MID);
        assert_eq!(
            settled(&c),
            JobEvent::CancelAnswered(outcome),
            "{code} {body}"
        );
    }
}

#[test]
fn a_dropped_connection_is_retried_with_backoff() {
    let mut c = Canceller::new(&urls());
    c.on_no_answer(NetworkFailure::Unreachable, MID);
    assert_eq!(wait_of(&c), Duration::from_secs(1));
    c.on_answer(
        &answer(503, r#"{"detail":"Service temporarily unavailable"}"#),
        NOW,
        MID,
    );
    assert_eq!(wait_of(&c), Duration::from_secs(2));
    c.on_answer(&answer(200, r#"{"status":"OK"}"#), NOW, MID);
    assert_eq!(
        settled(&c),
        JobEvent::CancelAnswered(CancelOutcome::Cancelled)
    );
}

#[test]
fn a_cancel_that_cannot_reach_fal_is_its_own_event_and_the_job_goes_on() {
    let mut c = Canceller::new(&urls());
    for expected in [1, 2, 4] {
        c.on_no_answer(NetworkFailure::Offline, MID);
        assert_eq!(wait_of(&c), Duration::from_secs(expected));
    }
    c.on_no_answer(NetworkFailure::Offline, MID);
    let event = settled(&c);
    let JobEvent::CancelFailed(error) = &event else {
        panic!("not an answer from fal: {event:?}")
    };
    assert_eq!(error.kind, FalErrorKind::Network(NetworkFailure::Offline));

    let job = cancelling().apply(event).unwrap();
    assert_eq!(job.state, JobState::InQueue { position: Some(1) });
    assert_eq!(job.cancel, CancelState::NotRequested);
    assert!(job.can_cancel(), "Cancel can be pressed again");
    assert!(!job.needs_cancel_call());
}

#[test]
fn a_refused_cancel_is_not_retried() {
    let mut c = Canceller::new(&urls());
    c.on_answer(&answer(401, r#"{"detail":"Unauthorized"}"#), NOW, MID);
    let JobEvent::CancelFailed(error) = settled(&c) else {
        panic!("refused")
    };
    assert_eq!(error.kind, FalErrorKind::Auth { by_proxy: false });
}

#[test]
fn pressing_cancel_again_sends_at_once_without_spending_a_retry() {
    let mut c = Canceller::new(&urls());
    c.on_no_answer(NetworkFailure::Interrupted, MID);
    assert_eq!(wait_of(&c), Duration::from_secs(1));
    c.on_pressed_again();
    assert_eq!(wait_of(&c), Duration::ZERO);
    c.on_no_answer(NetworkFailure::Interrupted, MID);
    assert_eq!(
        wait_of(&c),
        Duration::from_secs(2),
        "one retry spent so far, not two"
    );
}

#[test]
fn nothing_changes_once_settled() {
    let mut c = Canceller::new(&urls());
    c.on_answer(&answer(200, r#"{"status":"OK"}"#), NOW, MID);
    c.on_no_answer(NetworkFailure::Offline, MID);
    c.on_answer(&answer(404, r#"{"status":"NOT_FOUND"}"#), NOW, MID);
    assert_eq!(
        settled(&c),
        JobEvent::CancelAnswered(CancelOutcome::Cancelled)
    );
}

#[test]
fn a_late_cancel_failure_after_completion_changes_nothing() {
    let fetching = cancelling()
        .apply(JobEvent::StatusReceived(
            crate::core::fal::status::QueueStatus::Completed {
                logs: vec![],
                inference_time: None,
                error: None,
                error_type: None,
            },
        ))
        .unwrap();
    let after = fetching
        .clone()
        .apply(JobEvent::CancelFailed(FalError::network(
            NetworkFailure::Offline,
        )))
        .unwrap();
    assert_eq!(after.state, JobState::FetchingResult);
}
