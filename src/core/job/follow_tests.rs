use std::time::Duration;

use super::*;
use crate::core::fal::calls::CallKind;
use crate::core::fal::endpoint::QueueEndpoint;
use crate::core::fal::error::{FalErrorKind, NetworkFailure};
use crate::core::fal::http::Method;
use crate::core::job::request_log::RequestLog;

fn urls() -> RequestUrls {
    QueueEndpoint::new(
        "https://queue.fal.run",
        "fal-ai/wan/v2.7/reference-to-video",
    )
    .unwrap()
    .built_urls("764cabcf-b745-4b3e-ae38-1200304cf45b")
    .unwrap()
}

fn in_queue(position: u64) -> QueueStatus {
    QueueStatus::InQueue {
        position: Some(position),
    }
}

fn running(lines: &[&str]) -> QueueStatus {
    QueueStatus::InProgress {
        logs: lines
            .iter()
            .map(|m| RequestLog {
                message: (*m).into(),
                level: "INFO".into(),
                source: Some("USER".into()),
                timestamp: Some("2026-11-24T10:00:00Z".into()),
            })
            .collect(),
    }
}

fn completed() -> QueueStatus {
    QueueStatus::Completed {
        logs: vec![],
        inference_time: Some(41.2),
        error: None,
        error_type: None,
    }
}

fn http_error(status: u16) -> FalError {
    let mut e = FalError::new(FalErrorKind::Server {
        error_type: None,
        detail: None,
    });
    e.http_status = Some(status);
    e
}

fn kind_of(step: &Step) -> (&'static str, Option<CallKind>, Duration) {
    match step {
        Step::OpenStream(call) => ("stream", Some(call.kind), Duration::ZERO),
        Step::Poll { after, call } => ("poll", Some(call.kind), *after),
        Step::FetchResult { after, call } => ("result", Some(call.kind), *after),
        Step::Stop => ("stop", None, Duration::ZERO),
    }
}

#[test]
fn a_streamed_job_costs_one_stream_and_one_result_fetch() {
    let mut f = Follower::new(urls());
    let Step::OpenStream(call) = f.next_step() else {
        panic!("stream first")
    };
    assert_eq!(call.kind, CallKind::StatusStream);
    assert_eq!(call.request.method, Method::Get);
    // The sub-path rule: the stream is on owner/alias only.
    assert_eq!(
        call.request.url,
        "https://queue.fal.run/fal-ai/wan/requests/764cabcf-b745-4b3e-ae38-1200304cf45b/status/stream?logs=1"
    );
    assert!(f.is_streaming());
    f.on_status(&in_queue(2));
    f.on_status(&running(&["step 1"]));
    f.on_status(&completed());
    assert_eq!(f.on_stream_end(StreamEnd::Closed), None);
    let step = f.next_step();
    assert_eq!(
        kind_of(&step),
        ("result", Some(CallKind::Result), Duration::ZERO)
    );
    let Step::FetchResult { call, .. } = step else {
        unreachable!()
    };
    assert!(call
        .request
        .url
        .ends_with("/fal-ai/wan/requests/764cabcf-b745-4b3e-ae38-1200304cf45b"));
    f.on_result();
    assert_eq!(f.next_step(), Step::Stop);
}

#[test]
fn a_stream_that_ends_early_falls_back_to_polling_at_once() {
    let mut f = Follower::new(urls());
    f.next_step();
    f.on_status(&in_queue(1));
    assert_eq!(f.on_stream_end(StreamEnd::Closed), None);
    assert!(!f.is_streaming());
    let step = f.next_step();
    assert_eq!(
        kind_of(&step),
        ("poll", Some(CallKind::Status), Duration::ZERO)
    );
    let Step::Poll { call, .. } = step else {
        unreachable!()
    };
    assert!(call.request.url.ends_with("/status?logs=1"));
}

#[test]
fn a_silent_or_failed_stream_also_falls_back_to_polling() {
    for end in [
        StreamEnd::Silent,
        StreamEnd::Failed(FalError::network(NetworkFailure::Interrupted)),
        StreamEnd::Failed(http_error(502)),
    ] {
        let mut f = Follower::new(urls());
        f.next_step();
        assert_eq!(f.on_stream_end(end.clone()), None, "{end:?}");
        assert_eq!(kind_of(&f.next_step()).0, "poll", "{end:?}");
    }
}

#[test]
fn polling_only_never_opens_a_stream() {
    let mut f = Follower::polling_only(urls());
    assert_eq!(kind_of(&f.next_step()).0, "poll");
    // A stream end reported by mistake changes nothing.
    assert_eq!(f.on_stream_end(StreamEnd::Closed), None);
    assert_eq!(kind_of(&f.next_step()).0, "poll");
}

#[test]
fn quiet_polls_slow_down_and_progress_speeds_them_up() {
    let mut f = Follower::polling_only(urls());
    f.next_step();
    f.on_status(&in_queue(3));
    let first = kind_of(&f.next_step()).2;
    f.on_status(&in_queue(3));
    let quiet = kind_of(&f.next_step()).2;
    f.on_status(&in_queue(3));
    let quieter = kind_of(&f.next_step()).2;
    assert!(
        quiet > first && quieter > quiet,
        "{first:?} {quiet:?} {quieter:?}"
    );
    f.on_status(&in_queue(2));
    assert_eq!(kind_of(&f.next_step()).2, Duration::from_millis(500));
}

#[test]
fn network_loss_never_drops_the_job_and_online_retries_at_once() {
    let mut f = Follower::polling_only(urls());
    f.next_step();
    for n in 0..20 {
        let e = FalError::network(NetworkFailure::Offline);
        assert_eq!(
            f.on_poll_failed(e, 0.5),
            None,
            "attempt {n} must not give up"
        );
        let wait = kind_of(&f.next_step()).2;
        assert!(wait <= OFFLINE_RETRY_CAP, "{wait:?}");
        assert!(f.trouble().is_some());
    }
    f.on_online();
    assert_eq!(
        kind_of(&f.next_step()),
        ("poll", Some(CallKind::Status), Duration::ZERO)
    );
    f.on_status(&running(&[]));
    assert!(f.trouble().is_none(), "a success clears the notice");
}

#[test]
fn a_malformed_status_body_is_retried_not_fatal() {
    let mut f = Follower::polling_only(urls());
    f.next_step();
    for _ in 0..8 {
        assert_eq!(
            f.on_poll_failed(FalError::malformed("expected a job status"), 0.5),
            None
        );
    }
    assert_eq!(kind_of(&f.next_step()).0, "poll");
}

#[test]
fn rate_limits_wait_as_long_as_fal_asks() {
    let mut f = Follower::polling_only(urls());
    f.next_step();
    let mut e = FalError::new(FalErrorKind::RateLimited);
    e.http_status = Some(429);
    e.retry_after = Some(Duration::from_secs(7));
    assert_eq!(f.on_poll_failed(e, 0.5), None);
    assert_eq!(kind_of(&f.next_step()).2, Duration::from_secs(7));
    assert!(matches!(
        f.trouble().unwrap().kind,
        FalErrorKind::RateLimited
    ));
}

#[test]
fn server_errors_retry_a_few_times_then_stop_with_the_error() {
    let mut f = Follower::polling_only(urls());
    f.next_step();
    let mut outcome = None;
    for _ in 0..10 {
        outcome = f.on_poll_failed(http_error(503), 0.5);
        if outcome.is_some() {
            break;
        }
        assert_eq!(kind_of(&f.next_step()).0, "poll");
    }
    assert_eq!(outcome.unwrap().http_status, Some(503));
    assert_eq!(f.next_step(), Step::Stop);
}

#[test]
fn an_expired_request_is_reported_not_retried() {
    let mut f = Follower::polling_only(urls());
    f.next_step();
    let mut e = FalError::new(FalErrorKind::NotFound);
    e.http_status = Some(404);
    assert!(f.on_poll_failed(e, 0.5).is_some());
    assert_eq!(f.next_step(), Step::Stop);
}

#[test]
fn a_result_that_is_an_error_ends_following() {
    let mut f = Follower::new(urls());
    f.next_step();
    f.on_status(&completed());
    f.on_stream_end(StreamEnd::Closed);
    assert_eq!(kind_of(&f.next_step()).0, "result");
    let mut e = FalError::new(FalErrorKind::Validation(vec![]));
    e.http_status = Some(422);
    assert_eq!(f.on_result_failed(e, 0.5).unwrap().http_status, Some(422));
    assert_eq!(f.next_step(), Step::Stop);
}

#[test]
fn a_result_fetch_survives_network_loss() {
    let mut f = Follower::new(urls());
    f.next_step();
    f.on_status(&completed());
    for _ in 0..6 {
        assert_eq!(
            f.on_result_failed(FalError::network(NetworkFailure::Unreachable), 0.1),
            None
        );
        assert_eq!(kind_of(&f.next_step()).0, "result");
    }
}

#[test]
fn stop_ends_everything() {
    let mut f = Follower::new(urls());
    f.next_step();
    f.stop();
    assert_eq!(f.next_step(), Step::Stop);
    assert_eq!(f.on_stream_end(StreamEnd::Closed), None);
}

#[test]
fn only_a_2xx_event_stream_is_a_live_stream() {
    assert!(is_event_stream(
        200,
        Some("text/event-stream; charset=utf-8")
    ));
    assert!(is_event_stream(200, Some("Text/Event-Stream")));
    assert!(!is_event_stream(200, Some("application/json")));
    assert!(!is_event_stream(200, None));
    assert!(!is_event_stream(404, Some("text/event-stream")));
}

#[test]
fn a_refused_stream_is_shown_until_a_poll_succeeds() {
    let mut f = Follower::new(urls());
    f.next_step();
    let mut e = FalError::new(FalErrorKind::RateLimited);
    e.http_status = Some(429);
    e.retry_after = Some(Duration::from_secs(2));
    f.on_stream_end(StreamEnd::Failed(e));
    assert!(matches!(
        f.trouble().unwrap().kind,
        FalErrorKind::RateLimited
    ));
    assert_eq!(
        kind_of(&f.next_step()),
        ("poll", Some(CallKind::Status), Duration::from_secs(2))
    );
    f.on_status(&in_queue(0));
    assert!(f.trouble().is_none());

    let mut f = Follower::new(urls());
    f.next_step();
    f.on_stream_end(StreamEnd::Failed(FalError::network(
        NetworkFailure::Interrupted,
    )));
    assert!(f.trouble().is_none(), "a dropped stream is routine");
}

#[test]
fn a_polling_job_given_a_stream_reads_it_next_but_not_after_its_outcome() {
    let mut f = Follower::polling_only(urls());
    assert_eq!(kind_of(&f.next_step()).0, "poll");
    f.on_status(&in_queue(2));
    f.promote_to_stream();
    assert_eq!(kind_of(&f.next_step()).0, "stream");

    let mut done = Follower::polling_only(urls());
    done.next_step();
    done.on_status(&completed());
    done.promote_to_stream();
    assert_eq!(kind_of(&done.next_step()).0, "result");
}

#[test]
fn a_job_waiting_for_a_stream_polls_patiently_whatever_its_logs_say() {
    let mut f = Follower::waiting_for_stream(urls());
    let first = f.next_step();
    assert_eq!(kind_of(&first).0, "poll");
    assert_eq!(kind_of(&first).2, Duration::ZERO, "the first poll at once");
    f.on_status(&in_queue(2));
    assert_eq!(kind_of(&f.next_step()).2, Duration::from_secs(15));
    f.on_status(&running(&["step 1"]));
    assert_eq!(
        kind_of(&f.next_step()).2,
        Duration::from_secs(15),
        "a new stage"
    );
    // A log line a second must not bring it back to 500 ms.
    f.on_status(&running(&["step 1", "step 2"]));
    assert_eq!(kind_of(&f.next_step()).2, Duration::from_millis(22_500));
    f.on_status(&completed());
    assert_eq!(kind_of(&f.next_step()).0, "result");
}

#[test]
fn a_patient_job_given_a_stream_streams_and_polls_briskly_after() {
    let mut f = Follower::waiting_for_stream(urls());
    f.next_step();
    f.on_status(&running(&["step 1"]));
    f.promote_to_stream();
    assert_eq!(kind_of(&f.next_step()).0, "stream");
    // Its stream drops: it polls on the ordinary rhythm now.
    f.on_stream_end(StreamEnd::Closed);
    f.next_step();
    f.on_status(&running(&["step 1", "step 2"]));
    assert_eq!(kind_of(&f.next_step()).2, Duration::from_millis(500));
}
