//! Tests for [`super`]: the runs waiting behind a batch's upload end the
//! way the upload ended, and a run already out is never ended by it.

use crate::core::fal::error::{FalError, FalErrorKind, NetworkFailure};
use crate::core::job::record::RecordStatus;
use crate::core::job::state::{CancelState, Job, JobEvent, JobState};
use crate::core::job::test_support::{queue_request_urls, RecordBuilder};

fn uploading() -> Job {
    Job::new()
        .apply(JobEvent::UploadsStarted { total: 2 })
        .unwrap()
}

#[test]
fn a_failed_upload_fails_every_waiting_run_with_its_reason() {
    let error = FalError::new(FalErrorKind::Auth { by_proxy: false });
    let lead = uploading().apply(JobEvent::Failed(error.clone())).unwrap();
    let run = Job::new().end_like(&lead).unwrap();
    assert_eq!(run.state, JobState::Failed(error));
    assert_eq!(run.request, None, "nothing was sent for it");
    // Not a submit that went unanswered: nothing to check at fal.
    assert!(!run.submit_outcome_unknown());
    assert!(!run.can_check_again());
}

#[test]
fn a_cancelled_upload_cancels_every_waiting_run() {
    let lead = uploading().apply(JobEvent::CancelRequested).unwrap();
    assert_eq!(lead.state, JobState::Cancelled);
    let run = Job::new().end_like(&lead).unwrap();
    assert_eq!(run.state, JobState::Cancelled);
    assert_eq!(
        run.cancel,
        CancelState::NotRequested,
        "no cancel call is due"
    );
    assert!(!run.needs_cancel_call());
    // The lead still uploading (its phase stopped short) ends the others
    // as cancelled too: they were never sent.
    let run = Job::new().end_like(&uploading()).unwrap();
    assert_eq!(run.state, JobState::Cancelled);
}

#[test]
fn the_history_records_a_run_ended_by_its_batch_as_the_lead_is_recorded() {
    let error = FalError::new(FalErrorKind::Auth { by_proxy: false });
    let lead = uploading().apply(JobEvent::Failed(error)).unwrap();
    let mut lead_record = RecordBuilder::new("lead", 1).build();
    let mut run_record = RecordBuilder::new("run", 1).build();
    lead_record.observe(&lead, 2);
    run_record.observe(&Job::new().end_like(&lead).unwrap(), 2);
    assert_eq!(run_record.status, RecordStatus::Failed);
    assert_eq!(run_record.status, lead_record.status);
    assert_eq!(run_record.error, lead_record.error);
    assert!(!run_record.is_unfinished(), "a reload does not follow it");
}

#[test]
fn a_run_already_out_or_over_is_not_ended_by_its_batch() {
    let lead = uploading().apply(JobEvent::CancelRequested).unwrap();
    let submitting = Job::new().apply(JobEvent::SubmitStarted).unwrap();
    let queued = submitting
        .clone()
        .apply(JobEvent::Submitted {
            request: queue_request_urls(),
            queue_position: Some(0),
        })
        .unwrap();
    let failed = submitting
        .clone()
        .apply(JobEvent::Failed(FalError::network(NetworkFailure::Offline)))
        .unwrap();
    for job in [submitting, queued, failed] {
        let refused = job.clone().end_like(&lead).unwrap_err();
        assert_eq!(refused.state, job.state.name());
        assert_eq!(refused.event, "EndLike");
    }
}
