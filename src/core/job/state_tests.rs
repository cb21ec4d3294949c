//! Tests for [`super`]: every path through a job's life.

use super::*;
use crate::core::fal::answers::parse_result;
use crate::core::fal::classify::classify;
use crate::core::fal::error::{FalErrorKind, NetworkFailure};
use crate::core::fal::http::HttpResponse;
use crate::core::fal::status::parse_status;
use crate::core::job::test_support::{queue_request_urls, REQUEST_ID as ID};

const NOW: u64 = 1_795_513_909;

fn urls() -> RequestUrls {
    queue_request_urls()
}

fn status(code: u16, body: &str) -> JobEvent {
    JobEvent::StatusReceived(parse_status(&HttpResponse::new(code, body), NOW).unwrap())
}

fn output() -> R2vOutput {
    parse_result(
        &HttpResponse::new(
            200,
            r#"{"video":{"url":"https://v3b.fal.media/files/b/koala/output.mp4","content_type":"video/mp4"},"seed":42}"#,
        ),
        NOW,
    )
    .unwrap()
}

fn run(events: Vec<JobEvent>) -> Result<Job, ImpossibleEvent> {
    events.into_iter().try_fold(Job::new(), Job::apply)
}

fn submitted(position: Option<u64>) -> JobEvent {
    JobEvent::Submitted {
        request: urls(),
        queue_position: position,
    }
}

fn queued() -> Job {
    run(vec![JobEvent::SubmitStarted, submitted(Some(2))]).unwrap()
}

const LOG_1: &str = r#"{"message":"Loading model","level":"INFO","source":"USER","timestamp":"2026-11-24T09:52:01.000Z"}"#;
const LOG_2: &str = r#"{"message":"Step 1/30","level":"INFO","source":"USER","timestamp":"2026-11-24T09:52:05.000Z"}"#;

#[test]
fn the_happy_path_with_uploads() {
    let job = run(vec![
        JobEvent::UploadsStarted { total: 2 },
        JobEvent::UploadFinished,
        JobEvent::UploadFinished,
        JobEvent::SubmitStarted,
        submitted(Some(3)),
        status(202, r#"{"status":"IN_QUEUE","queue_position":1}"#),
        status(202, &format!(r#"{{"status":"IN_PROGRESS","logs":[{LOG_1}]}}"#)),
        status(
            200,
            &format!(r#"{{"status":"COMPLETED","logs":[{LOG_1},{LOG_2}],"metrics":{{"inference_time":83.2}}}}"#),
        ),
        JobEvent::ResultReceived(output()),
    ])
    .unwrap();
    assert_eq!(job.state, JobState::Completed(Box::new(output())));
    assert_eq!(job.request.as_ref().unwrap().request_id, ID);
    assert_eq!(job.logs.len(), 2);
    assert_eq!(job.inference_time, Some(83.2));
    assert!(job.is_finished());
    assert!(!job.can_cancel());
}

#[test]
fn each_step_has_its_state() {
    let mut job = Job::new()
        .apply(JobEvent::UploadsStarted { total: 1 })
        .unwrap();
    assert_eq!(job.state, JobState::Uploading { done: 0, total: 1 });
    job = job.apply(JobEvent::UploadFinished).unwrap();
    assert_eq!(job.state, JobState::Uploading { done: 1, total: 1 });
    job = job.apply(JobEvent::SubmitStarted).unwrap();
    assert_eq!(job.state, JobState::Submitting);
    job = job.apply(submitted(Some(4))).unwrap();
    assert_eq!(job.state, JobState::InQueue { position: Some(4) });
    job = job
        .apply(status(202, r#"{"status":"IN_QUEUE","queue_position":0}"#))
        .unwrap();
    assert_eq!(job.state, JobState::InQueue { position: Some(0) });
    job = job
        .apply(status(202, r#"{"status":"IN_PROGRESS","logs":[]}"#))
        .unwrap();
    assert_eq!(job.state, JobState::InProgress);
    job = job.apply(status(200, r#"{"status":"COMPLETED"}"#)).unwrap();
    assert_eq!(job.state, JobState::FetchingResult);
}

#[test]
fn completed_then_a_result_error_is_failed_with_that_error() {
    let job = queued()
        .apply(status(
            200,
            r#"{"status":"COMPLETED","logs":[],"error":"Content flagged","error_type":"content_policy_violation"}"#,
        ))
        .unwrap();
    assert_eq!(
        job.completion_error,
        Some((
            Some("Content flagged".into()),
            Some("content_policy_violation".into())
        ))
    );
    let result_error = parse_result(
        &HttpResponse::new(
            422,
            r#"{"detail":[{"loc":["body","prompt"],"msg":"flagged","type":"content_policy_violation"}]}"#,
        ),
        NOW,
    )
    .unwrap_err();
    let job = job.apply(JobEvent::Failed(result_error.clone())).unwrap();
    assert_eq!(job.state, JobState::Failed(result_error));
    assert!(job.request.is_some(), "kept for support and resuming");
}

#[test]
fn logs_accumulate_without_repeats_from_polls_and_stream_deltas() {
    let job = queued()
        .apply(status(
            202,
            &format!(r#"{{"status":"IN_PROGRESS","logs":[{LOG_1}]}}"#),
        ))
        .unwrap()
        // A poll resends everything so far.
        .apply(status(
            202,
            &format!(r#"{{"status":"IN_PROGRESS","logs":[{LOG_1},{LOG_2}]}}"#),
        ))
        .unwrap()
        // A stream event sends only what is new (nothing here).
        .apply(status(202, r#"{"status":"IN_PROGRESS","logs":[]}"#))
        .unwrap();
    let messages: Vec<&str> = job.logs.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(messages, ["Loading model", "Step 1/30"]);
}

#[test]
fn cancel_while_queued_or_running() {
    for running in [false, true] {
        let mut job = queued();
        if running {
            job = job
                .apply(status(202, r#"{"status":"IN_PROGRESS"}"#))
                .unwrap();
        }
        assert!(job.can_cancel());
        job = job.apply(JobEvent::CancelRequested).unwrap();
        assert!(job.needs_cancel_call());
        assert!(!job.can_cancel());
        let again = job.clone().apply(JobEvent::CancelRequested).unwrap();
        assert_eq!(again, job, "pressing twice changes nothing");
        let done = job
            .clone()
            .apply(JobEvent::CancelAnswered(CancelOutcome::Cancelled))
            .unwrap();
        assert_eq!(done.state, JobState::Cancelled);
    }
}

#[test]
fn a_runner_told_to_stop_may_still_deliver_and_the_result_is_kept() {
    let job = queued()
        .apply(status(202, r#"{"status":"IN_PROGRESS"}"#))
        .unwrap()
        .apply(JobEvent::CancelRequested)
        .unwrap()
        .apply(JobEvent::CancelAnswered(
            CancelOutcome::CancellationRequested,
        ))
        .unwrap();
    assert_eq!(job.state, JobState::InProgress);
    assert_eq!(job.cancel, CancelState::RunnerAsked);
    assert!(!job.needs_cancel_call());
    let finishing = job.apply(status(200, r#"{"status":"COMPLETED"}"#)).unwrap();
    let delivered = finishing
        .clone()
        .apply(JobEvent::ResultReceived(output()))
        .unwrap();
    assert!(matches!(delivered.state, JobState::Completed(_)));
    // If it did stop, the result fetch fails: that is a cancellation.
    let stopped = finishing
        .apply(JobEvent::Failed(FalError::new(FalErrorKind::Server {
            error_type: None,
            detail: Some("cancelled".into()),
        })))
        .unwrap();
    assert_eq!(stopped.state, JobState::Cancelled);
}

#[test]
fn cancel_during_submit_waits_for_the_request_id() {
    let job = run(vec![JobEvent::SubmitStarted, JobEvent::CancelRequested]).unwrap();
    assert_eq!(job.state, JobState::Submitting);
    assert!(!job.needs_cancel_call(), "no request id yet");
    let job = job.apply(submitted(None)).unwrap();
    assert!(job.needs_cancel_call());
}

#[test]
fn cancel_before_anything_reached_fal_is_immediate() {
    assert_eq!(
        run(vec![JobEvent::CancelRequested]).unwrap().state,
        JobState::Cancelled
    );
    let job = run(vec![
        JobEvent::UploadsStarted { total: 3 },
        JobEvent::CancelRequested,
    ])
    .unwrap();
    assert_eq!(job.state, JobState::Cancelled);
}

#[test]
fn other_cancel_answers() {
    let late = queued()
        .apply(JobEvent::CancelRequested)
        .unwrap()
        .apply(JobEvent::CancelAnswered(CancelOutcome::AlreadyCompleted))
        .unwrap();
    assert_eq!(late.state, JobState::FetchingResult);
    let unknown = queued()
        .apply(JobEvent::CancelRequested)
        .unwrap()
        .apply(JobEvent::CancelAnswered(CancelOutcome::NotFound))
        .unwrap();
    assert_eq!(unknown.state, JobState::InQueue { position: Some(2) });
    assert_eq!(unknown.cancel, CancelState::NotRequested);
}

#[test]
fn unknown_statuses_keep_or_end_the_wait() {
    let paused = queued()
        .apply(status(202, r#"{"status":"PAUSED"}"#))
        .unwrap();
    assert_eq!(paused.state, JobState::InQueue { position: Some(2) });
    let failed = queued()
        .apply(status(200, r#"{"status":"FAILED"}"#))
        .unwrap();
    assert_eq!(
        failed.state,
        JobState::FetchingResult,
        "fetch the result to learn why"
    );
}

#[test]
fn only_a_submit_lost_on_the_network_leaves_fal_maybe_holding_the_job() {
    let lost = || JobEvent::Failed(FalError::network(NetworkFailure::Offline));
    let uploads = || vec![JobEvent::UploadsStarted { total: 1 }];
    let mut submit = [
        uploads(),
        vec![JobEvent::UploadFinished, JobEvent::SubmitStarted],
    ]
    .concat();
    submit.push(lost());
    assert!(run(submit).unwrap().submit_outcome_unknown());
    // A file upload lost on the network: nothing reached fal's queue.
    let upload_lost = run([uploads(), vec![lost()]].concat()).unwrap();
    assert!(matches!(upload_lost.state, JobState::Failed(_)));
    assert!(!upload_lost.submit_outcome_unknown());
}

#[test]
fn failures_keep_the_request_and_can_be_resumed() {
    let lost = FalError::network(NetworkFailure::Offline);
    let job = queued().apply(JobEvent::Failed(lost.clone())).unwrap();
    assert_eq!(job.state, JobState::Failed(lost.clone()));
    let resumed = job.apply(JobEvent::Resumed).unwrap();
    assert_eq!(resumed.state, JobState::InQueue { position: None });

    let never_submitted = run(vec![JobEvent::SubmitStarted, JobEvent::Failed(lost)]).unwrap();
    let error = never_submitted.apply(JobEvent::Resumed).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Resumed cannot happen while the job is Failed"
    );

    let restored = Job::resume(urls());
    assert_eq!(restored.state, JobState::InQueue { position: None });
    assert!(restored
        .apply(JobEvent::StatusReceived(QueueStatus::InQueue {
            position: Some(1)
        }))
        .is_ok());
}

#[test]
fn late_answers_after_completed_status_change_nothing() {
    let fetching = queued()
        .apply(status(200, r#"{"status":"COMPLETED"}"#))
        .unwrap();
    let same = fetching
        .clone()
        .apply(status(202, r#"{"status":"IN_PROGRESS"}"#))
        .unwrap()
        .apply(JobEvent::CancelAnswered(CancelOutcome::Cancelled))
        .unwrap();
    assert_eq!(same, fetching);
}

#[test]
fn impossible_events_are_errors_not_panics() {
    let rate_limited = classify(&HttpResponse::new(429, "{}"), NOW, "x");
    let cases: Vec<(Job, JobEvent)> = vec![
        (Job::new(), JobEvent::UploadFinished),
        (Job::new(), submitted(None)),
        (Job::new(), JobEvent::ResultReceived(output())),
        (Job::new(), status(202, r#"{"status":"IN_QUEUE"}"#)),
        (
            run(vec![JobEvent::UploadsStarted { total: 1 }]).unwrap(),
            JobEvent::SubmitStarted,
        ),
        (
            run(vec![
                JobEvent::UploadsStarted { total: 1 },
                JobEvent::UploadFinished,
            ])
            .unwrap(),
            JobEvent::UploadFinished,
        ),
        (queued(), JobEvent::SubmitStarted),
        (queued(), JobEvent::ResultReceived(output())),
        (queued(), JobEvent::Resumed),
        (
            run(vec![JobEvent::CancelRequested]).unwrap(),
            JobEvent::CancelRequested,
        ),
        (
            run(vec![JobEvent::SubmitStarted]).unwrap(),
            status(202, r#"{"status":"IN_QUEUE"}"#),
        ),
        (Job::new(), JobEvent::Failed(rate_limited)),
    ];
    for (job, event) in cases {
        let before = job.state.name();
        let error = job.apply(event).unwrap_err();
        assert_eq!(error.state, before);
    }
    let completed = queued()
        .apply(status(200, r#"{"status":"COMPLETED"}"#))
        .unwrap()
        .apply(JobEvent::ResultReceived(output()))
        .unwrap();
    for event in [
        status(200, r#"{"status":"COMPLETED"}"#),
        JobEvent::CancelRequested,
        JobEvent::Resumed,
        JobEvent::ResultReceived(output()),
    ] {
        let error = completed.clone().apply(event).unwrap_err();
        assert_eq!(error.state, "Completed");
    }
}

#[test]
fn a_cancelled_queued_job_that_fal_removed_ends_cancelled_not_failed() {
    use crate::core::fal::answers::CancelOutcome;
    use crate::core::fal::error::{FalError, FalErrorKind};
    let mut gone = FalError::new(FalErrorKind::NotFound);
    gone.http_status = Some(404);
    let job = queued()
        .apply(JobEvent::CancelRequested)
        .unwrap()
        .apply(JobEvent::CancelAnswered(
            CancelOutcome::CancellationRequested,
        ))
        .unwrap()
        .apply(JobEvent::Failed(gone.clone()))
        .unwrap();
    assert_eq!(job.state, JobState::Cancelled);
    // Without a cancel, the same 404 is a failure the person must see.
    let job = queued().apply(JobEvent::Failed(gone.clone())).unwrap();
    assert_eq!(job.state, JobState::Failed(gone));
}

#[test]
fn a_submit_withdrawn_after_cancel_ends_cancelled_with_no_request() {
    let job = run(vec![
        JobEvent::SubmitStarted,
        JobEvent::CancelRequested,
        JobEvent::SubmitWithdrawn,
    ])
    .unwrap();
    assert_eq!(job.state, JobState::Cancelled);
    assert!(job.request.is_none(), "nothing reached fal's queue");
    // Only a submit in flight can be withdrawn.
    assert!(queued().apply(JobEvent::SubmitWithdrawn).is_err());
}
