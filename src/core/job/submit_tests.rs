//! Tests for [`super`]: one submit per Generate, retried only after an
//! answer that proves fal did not take it.

use std::time::Duration;

use super::*;
use crate::core::fal::error::FalErrorKind;
use crate::core::fal::http::Method;

const NOW: u64 = 1_795_513_909;
const MID: f64 = 0.5;
const ID: &str = "764cabcf-b745-4b3e-ae38-1200304cf45b";

fn endpoint() -> QueueEndpoint {
    QueueEndpoint::new(
        "https://queue.fal.run",
        "fal-ai/wan/v2.7/reference-to-video",
    )
    .unwrap()
}

fn submitter() -> Submitter {
    let input = R2vInput {
        prompt: "Image 1 waves at the camera".into(),
        ..R2vInput::default()
    };
    Submitter::new(&endpoint(), &input)
}

/// fal's answer to a submit, as its queue sends it.
fn accepted() -> HttpResponse {
    let base = format!("https://queue.fal.run/fal-ai/wan/requests/{ID}");
    HttpResponse::new(
        200,
        format!(
            r#"{{"status":"IN_QUEUE","request_id":"{ID}","response_url":"{base}",
            "status_url":"{base}/status","cancel_url":"{base}/cancel","logs":null,
            "metrics":{{}},"queue_position":2}}"#
        ),
    )
    .with_header("content-type", "application/json")
    .with_header("x-fal-request-id", ID)
}

fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body).with_header("content-type", "application/json")
}

/// Sends the due call and returns its wait; panics on anything else.
fn send(s: &mut Submitter) -> Duration {
    match s.next_step() {
        SubmitStep::Send { after, call } => {
            assert_eq!(call.kind, CallKind::Submit);
            after
        }
        other => panic!("expected a send, got {other:?}"),
    }
}

fn failure(s: &mut Submitter) -> FalError {
    match s.next_step() {
        SubmitStep::Failed(error) => error,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn an_accepted_submit_gives_the_request_urls_and_queue_position() {
    let mut s = submitter();
    let SubmitStep::Send { after, call } = s.next_step() else {
        panic!("the submit goes first")
    };
    assert_eq!(after, Duration::ZERO);
    assert_eq!(call.request.method, Method::Post);
    assert_eq!(
        call.request.url,
        "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video"
    );
    s.on_answer(&accepted(), NOW, MID);
    let SubmitStep::Accepted {
        urls,
        queue_position,
    } = s.next_step()
    else {
        panic!("accepted")
    };
    assert_eq!(urls.request_id, ID);
    assert_eq!(
        urls.stream,
        format!("https://queue.fal.run/fal-ai/wan/requests/{ID}/status/stream")
    );
    assert_eq!(queue_position, Some(2));
    assert!(s.trouble().is_none());
    // Accepted stays accepted: nothing more is sent.
    assert!(matches!(s.next_step(), SubmitStep::Accepted { .. }));
}

#[test]
fn a_submit_whose_answer_never_came_is_never_sent_again() {
    for failure_kind in [
        NetworkFailure::Offline,
        NetworkFailure::Unreachable,
        NetworkFailure::TimedOut,
        NetworkFailure::Interrupted,
    ] {
        let mut s = submitter();
        send(&mut s);
        s.on_no_answer(failure_kind);
        for _ in 0..3 {
            let error = failure(&mut s);
            assert_eq!(error.kind, FalErrorKind::Network(failure_kind));
        }
        // A late answer cannot revive it either.
        s.on_answer(&accepted(), NOW, MID);
        assert!(matches!(s.next_step(), SubmitStep::Failed(_)));
    }
}

#[test]
fn asking_for_the_next_step_without_reporting_the_last_never_resends() {
    let mut s = submitter();
    send(&mut s);
    let error = failure(&mut s);
    assert_eq!(
        error.kind,
        FalErrorKind::Network(NetworkFailure::Interrupted)
    );
}

#[test]
fn a_gateway_error_may_have_queued_the_job_and_is_not_resent() {
    for code in [502, 504] {
        let mut s = submitter();
        send(&mut s);
        s.on_answer(
            &answer(code, r#"{"detail":"Upstream request timed out"}"#),
            NOW,
            MID,
        );
        let error = failure(&mut s);
        assert_eq!(error.http_status, Some(code));
    }
}

#[test]
fn a_429_with_retry_after_is_waited_out_then_sent_again() {
    let mut s = submitter();
    send(&mut s);
    s.on_answer(
        &answer(429, r#"{"detail":"Rate limit exceeded"}"#).with_header("Retry-After", "17"),
        NOW,
        MID,
    );
    assert_eq!(
        s.trouble().map(|e| &e.kind),
        Some(&FalErrorKind::RateLimited)
    );
    assert_eq!(send(&mut s), Duration::from_secs(17));
    s.on_answer(&accepted(), NOW, MID);
    assert!(matches!(s.next_step(), SubmitStep::Accepted { .. }));
    assert!(s.trouble().is_none(), "the notice goes with the wait");
}

#[test]
fn a_refusing_queue_is_retried_three_times_then_reported() {
    let mut s = submitter();
    send(&mut s);
    let busy = answer(503, r#"{"detail":"Service temporarily unavailable"}"#);
    let mut waits = Vec::new();
    for _ in 0..3 {
        s.on_answer(&busy, NOW, MID);
        waits.push(send(&mut s));
    }
    assert_eq!(
        waits,
        [1, 2, 4].map(Duration::from_secs),
        "exponential backoff from 1 s"
    );
    s.on_answer(&busy, NOW, MID);
    assert_eq!(failure(&mut s).http_status, Some(503));
    assert!(s.trouble().is_none());
}

#[test]
fn a_retry_after_beyond_a_minute_is_reported_at_once() {
    let mut s = submitter();
    send(&mut s);
    s.on_answer(
        &answer(429, r#"{"detail":"Rate limit exceeded"}"#).with_header("Retry-After", "3600"),
        NOW,
        MID,
    );
    assert_eq!(failure(&mut s).kind, FalErrorKind::RateLimited);
}

#[test]
fn a_refused_input_or_key_is_the_job_failure() {
    let body = r#"{"detail":[{"loc":["body","prompt"],"msg":"Field required","type":"missing"}]}"#;
    let mut s = submitter();
    send(&mut s);
    s.on_answer(&answer(422, body), NOW, MID);
    assert!(failure(&mut s).kind.is_about_input());

    let mut s = submitter();
    send(&mut s);
    s.on_answer(&answer(401, r#"{"detail":"Unauthorized"}"#), NOW, MID);
    assert_eq!(failure(&mut s).kind, FalErrorKind::Auth { by_proxy: false });
}

#[test]
fn a_request_id_unfit_for_a_url_fails_the_job_without_resending() {
    let mut s = submitter();
    send(&mut s);
    s.on_answer(
        &answer(200, r#"{"status":"IN_QUEUE","request_id":"../../admin"}"#),
        NOW,
        MID,
    );
    assert!(matches!(
        failure(&mut s).kind,
        FalErrorKind::Malformed { .. }
    ));
}

#[test]
fn returned_urls_outside_the_queue_are_replaced_by_built_ones() {
    let mut s = submitter();
    send(&mut s);
    s.on_answer(
        &answer(
            200,
            &format!(
                r#"{{"status":"IN_QUEUE","request_id":"{ID}",
                "status_url":"https://evil.example/{ID}/status"}}"#
            ),
        ),
        NOW,
        MID,
    );
    let SubmitStep::Accepted { urls, .. } = s.next_step() else {
        panic!("accepted")
    };
    assert_eq!(
        urls.status,
        format!("https://queue.fal.run/fal-ai/wan/requests/{ID}/status")
    );
}

#[test]
fn a_cancel_during_the_wait_after_a_429_withdraws_the_submit_unsent() {
    let mut s = submitter();
    send(&mut s);
    assert!(s.go_ahead(false), "the first attempt goes out");
    s.on_answer(
        &answer(429, r#"{"detail":"Rate limit exceeded"}"#).with_header("Retry-After", "17"),
        NOW,
        MID,
    );
    assert_eq!(send(&mut s), Duration::from_secs(17));
    // Cancel cut the 17 s wait short; the call must not go out.
    assert!(!s.go_ahead(true));
    assert_eq!(s.next_step(), SubmitStep::Withdrawn);
    assert!(s.trouble().is_none(), "no busy notice on a cancelled job");
    // A late answer changes nothing.
    s.on_answer(&accepted(), NOW, MID);
    assert_eq!(s.next_step(), SubmitStep::Withdrawn);
}

#[test]
fn a_cancel_before_the_first_attempt_sends_nothing() {
    let mut s = submitter();
    assert_eq!(send(&mut s), Duration::ZERO);
    assert!(!s.go_ahead(true));
    assert_eq!(s.next_step(), SubmitStep::Withdrawn);
}

#[test]
fn a_cancel_once_the_submit_is_out_waits_for_its_answer() {
    let mut s = submitter();
    send(&mut s);
    assert!(s.go_ahead(false));
    // The attempt is out: the job may exist, so the answer decides.
    s.on_answer(&accepted(), NOW, MID);
    assert!(!s.go_ahead(true), "nothing is due to be sent");
    assert!(matches!(s.next_step(), SubmitStep::Accepted { .. }));
}
