use serde_json::json;

use super::*;
use crate::core::fal::endpoint::QueueEndpoint;
use crate::core::fal::error::{FalError, FalErrorKind};
use crate::core::fal::status::QueueStatus;
use crate::core::job::state::JobEvent;

const T0: u64 = 1_795_513_909_000;

fn record() -> JobRecord {
    JobRecord::new(
        "local-1".into(),
        T0,
        R2vInput {
            prompt: "Image 1 waves".into(),
            ..R2vInput::default()
        },
        StoredCost {
            cents: 50,
            arithmetic: "5 s output = 5 s × $0.10 = $0.50".into(),
            complete: true,
        },
    )
}

fn urls() -> RequestUrls {
    QueueEndpoint::new(
        "https://queue.fal.run",
        "fal-ai/wan/v2.7/reference-to-video",
    )
    .unwrap()
    .built_urls("req-42")
    .unwrap()
}

fn submitted_job() -> Job {
    Job::new()
        .apply(JobEvent::SubmitStarted)
        .unwrap()
        .apply(JobEvent::Submitted {
            request: urls(),
            queue_position: Some(3),
        })
        .unwrap()
}

fn output() -> R2vOutput {
    serde_json::from_value(
        json!({"video": {"url": "https://v3.fal.media/files/out.mp4"}, "seed": 7}),
    )
    .unwrap()
}

#[test]
fn a_new_record_is_submitting_and_not_resumable() {
    let r = record();
    assert_eq!(r.status, RecordStatus::Submitting);
    assert!(r.submit_outcome_unknown());
    assert!(!r.is_unfinished());
    assert!(r.resumable_job().is_none());
}

#[test]
fn submission_stores_the_request_and_makes_it_resumable() {
    let mut r = record();
    assert!(r.observe(&submitted_job(), T0 + 1000));
    assert_eq!(r.status, RecordStatus::Queued);
    let stored = r.request.clone().unwrap();
    assert_eq!(stored.request_id, "req-42");
    assert!(stored
        .status_url
        .ends_with("/fal-ai/wan/requests/req-42/status"));
    assert!(r.is_unfinished());
    let job = r.resumable_job().unwrap();
    assert_eq!(job.request.unwrap().request_id, "req-42");
    // Observing the same state again changes nothing worth writing.
    assert!(!r.observe(&submitted_job(), T0 + 2000));
}

#[test]
fn completion_stores_the_output_and_the_retention_clock() {
    let mut r = record();
    let job = submitted_job()
        .apply(JobEvent::StatusReceived(QueueStatus::Completed {
            logs: vec![],
            inference_time: Some(40.0),
            error: None,
            error_type: None,
        }))
        .unwrap();
    r.observe(&job, T0 + 60_000);
    assert_eq!(r.completed_at_ms, Some(T0 + 60_000));
    assert!(r.is_unfinished(), "the result is not in hand yet");
    assert!(!r.result_probably_expired(T0 + 60_000 + RESULT_RETENTION_MS));
    assert!(r.result_probably_expired(T0 + 60_001 + RESULT_RETENTION_MS));

    let job = job.apply(JobEvent::ResultReceived(output())).unwrap();
    r.observe(&job, T0 + 61_000);
    assert_eq!(r.status, RecordStatus::Completed);
    assert_eq!(
        r.completed_at_ms,
        Some(T0 + 60_000),
        "the first sighting counts"
    );
    assert_eq!(r.output.as_ref().unwrap().seed, 7);
    assert!(!r.is_unfinished());
    assert!(
        !r.result_probably_expired(u64::MAX),
        "a stored output never expires"
    );
}

#[test]
fn a_404_without_output_is_recorded_as_expired() {
    let mut r = record();
    let mut gone = FalError::new(FalErrorKind::NotFound);
    gone.http_status = Some(404);
    let job = submitted_job().apply(JobEvent::Failed(gone)).unwrap();
    r.observe(&job, T0);
    assert_eq!(r.status, RecordStatus::Expired);
    assert!(r
        .error
        .as_ref()
        .unwrap()
        .contains("no longer has this request"));
    assert!(!r.is_unfinished());
}

#[test]
fn failures_and_cancels_are_recorded() {
    let mut r = record();
    let job = submitted_job()
        .apply(JobEvent::Failed(FalError::malformed("x")))
        .unwrap();
    r.observe(&job, T0);
    assert_eq!(r.status, RecordStatus::Failed);

    let mut r = record();
    let job = submitted_job().apply(JobEvent::CancelRequested).unwrap();
    r.observe(&job, T0);
    assert!(r.cancel_requested);
    assert!(
        r.resumable_job().is_some(),
        "a cancel not yet confirmed is still followed"
    );
}

#[test]
fn round_trips_and_refuses_newer_versions() {
    let mut r = record();
    r.observe(&submitted_job(), T0);
    let value = serde_json::to_value(&r).unwrap();
    assert_eq!(value["status"], "queued");
    assert_eq!(JobRecord::from_json(value.clone()), Some(r.clone()));

    let mut newer = value;
    newer["version"] = json!(JOB_RECORD_VERSION + 1);
    assert_eq!(JobRecord::from_json(newer), None);
    assert_eq!(JobRecord::from_json(json!({"version": 1, "id": 3})), None);
}
