use serde_json::json;

use super::*;
use crate::core::fal::endpoint::QueueEndpoint;
use crate::core::fal::error::{FalError, FalErrorKind};
use crate::core::fal::status::QueueStatus;
use crate::core::job::state::JobEvent;
use crate::core::job::test_support::RecordBuilder;

const T0: u64 = 1_795_513_909_000;

fn record() -> JobRecord {
    RecordBuilder::new("local-1", T0)
        .prompt("Image 1 waves")
        .build()
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
    assert_eq!(r.output.as_ref().unwrap().seed, Some(7));
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

const REQUESTS: &str = "https://queue.fal.run/fal-ai/wan/requests";

fn stored(status: RecordStatus) -> RecordBuilder {
    RecordBuilder::new("job-1", T0)
        .status(status)
        .request(REQUESTS, "req-42")
}

#[test]
fn what_can_be_done_with_each_stored_job() {
    // (status, with output, openable, can check again, deletable)
    let cases = [
        (RecordStatus::Queued, false, true, false, false),
        (RecordStatus::Running, false, true, false, false),
        (RecordStatus::Completed, true, true, false, true),
        (RecordStatus::Failed, false, false, true, true),
        (RecordStatus::Cancelled, false, true, false, true),
        (RecordStatus::Expired, false, true, false, true),
    ];
    for (status, with_output, openable, check_again, deletable) in cases {
        let r = stored(status);
        let r = if with_output {
            r.output("https://v3.fal.media/files/out.mp4", 7)
        } else {
            r
        }
        .build();
        assert_eq!(r.openable(), openable, "{status:?} openable");
        assert_eq!(r.can_check_again(), check_again, "{status:?} check again");
        assert_eq!(r.job_to_check_again().is_some(), check_again, "{status:?}");
        assert_eq!(r.deletable(), deletable, "{status:?} deletable");
    }
}

#[test]
fn a_submit_without_a_known_outcome_cannot_be_opened_nor_checked() {
    let r = RecordBuilder::new("job-1", T0).build();
    assert!(!r.openable());
    assert!(!r.can_check_again());
    assert!(r.deletable(), "nothing is being followed");
    let failed = RecordBuilder::new("job-1", T0)
        .status(RecordStatus::Failed)
        .build();
    assert!(!failed.can_check_again(), "no request id to ask fal about");
}

#[test]
fn a_stored_video_that_is_not_a_web_link_is_never_shown() {
    let tampered = stored(RecordStatus::Completed)
        .output("javascript:alert(1)", 7)
        .build();
    assert!(!tampered.openable());
    assert!(tampered.finished_job().is_none());
}

#[test]
fn finished_jobs_open_as_they_ended() {
    let done = stored(RecordStatus::Completed)
        .output("https://v3.fal.media/files/out.mp4", 7)
        .build()
        .finished_job()
        .unwrap();
    assert!(matches!(done.state, JobState::Completed(_)));
    assert_eq!(done.request.unwrap().request_id, "req-42");

    let expired = stored(RecordStatus::Expired)
        .build()
        .finished_job()
        .unwrap();
    let JobState::Failed(error) = expired.state else {
        panic!("an expired result shows as fal's 404")
    };
    assert_eq!(
        (error.kind, error.http_status),
        (FalErrorKind::NotFound, Some(404))
    );

    let cancelled = RecordBuilder::new("job-1", T0)
        .status(RecordStatus::Cancelled)
        .build()
        .finished_job()
        .unwrap();
    assert_eq!(cancelled.state, JobState::Cancelled);
    assert!(cancelled.request.is_none(), "it never reached the queue");
}

#[test]
fn the_live_panel_offers_check_again_only_for_passing_failures() {
    let failed = |error: FalError| submitted_job().apply(JobEvent::Failed(error)).unwrap();
    assert!(failed(FalError::network(
        crate::core::fal::error::NetworkFailure::Offline
    ))
    .can_check_again());
    assert!(failed(FalError::malformed("cut short")).can_check_again());
    let refused = FalError::new(FalErrorKind::Validation(vec![]));
    assert!(!failed(refused).can_check_again());
    assert!(!failed(FalError::new(FalErrorKind::Auth { by_proxy: false })).can_check_again());

    let unknown = Job::new()
        .apply(JobEvent::SubmitStarted)
        .unwrap()
        .apply(JobEvent::Failed(FalError::network(
            crate::core::fal::error::NetworkFailure::Interrupted,
        )))
        .unwrap();
    assert!(unknown.submit_outcome_unknown());
    assert!(!unknown.can_check_again(), "fal never gave a request id");
}

#[test]
fn local_ids_are_the_creation_time_and_six_random_digits() {
    assert_eq!(JobRecord::local_id(T0, 0.0), format!("job-{T0}-000000"));
    assert_eq!(JobRecord::local_id(T0, 0.042), format!("job-{T0}-042000"));
    assert_eq!(JobRecord::local_id(T0, 1.0), format!("job-{T0}-999999"));
}

#[test]
fn a_batch_run_is_kept_and_records_without_one_still_read() {
    use crate::core::batch::batch_id::{BatchId, BatchRun};
    let single = serde_json::to_value(record()).unwrap();
    assert!(
        single.get("batch").is_none(),
        "no batch key on a single run"
    );
    let read = JobRecord::from_json(single).unwrap();
    assert_eq!(read.batch, None);
    assert!(read.shown_alone());

    let mut run = record();
    run.batch = Some(BatchRun {
        batch_id: BatchId::from_random(9),
        index: 4,
        total: 6,
        caption: "Seed 2 · 9:16".into(),
    });
    assert!(!run.shown_alone(), "a batch's run is shown in its grid");
    let value = serde_json::to_value(&run).unwrap();
    assert_eq!(value["batch"]["batch_id"], "b-0000000000000009");
    assert_eq!(JobRecord::from_json(value.clone()), Some(run));

    // A batch place from outside is checked: a run outside its batch is refused.
    let mut bad = value;
    bad["batch"]["index"] = json!(6);
    assert_eq!(JobRecord::from_json(bad), None);
}
