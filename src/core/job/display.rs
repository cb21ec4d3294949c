//! How a job's progress is put into words: the status line, the tab title,
//! and what fal's answer to a cancel means for the person's money.

use crate::core::fal::answers::CancelOutcome;
use crate::core::fal::error::{FalError, FalErrorKind};
use crate::core::job::state::{CancelState, Job, JobEvent, JobState};

/// The product name, ending every tab title.
pub const APP_NAME: &str = "wan-r2v studio";

/// "0:42", "12:05", "1:02:03".
pub fn format_elapsed(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, (seconds / 60) % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Where fal's queue puts the job, said plainly (positions are 0-based).
pub fn queue_position_text(position: Option<u64>) -> String {
    match position {
        Some(0) => "Next in fal's queue".into(),
        Some(n) => format!("In fal's queue: {n} ahead of this job"),
        None => "Waiting in fal's queue".into(),
    }
}

/// The one-line status shown in the job panel and announced politely.
/// `running_seconds` counts from the first IN_PROGRESS status. A cancel
/// still on its way is said after the phase; once the job has ended, its
/// end says it all (a job cancelled at fal keeps its cancel request).
pub fn status_line(job: &Job, running_seconds: Option<u64>) -> String {
    let cancelling = match job.cancel {
        _ if job.is_finished() => "",
        CancelState::Requested => " · cancelling…",
        CancelState::RunnerAsked => " · cancellation requested",
        CancelState::NotRequested => "",
    };
    let base = match &job.state {
        JobState::Draft => "Ready".to_string(),
        JobState::Uploading { done, total } => {
            format!("Uploading references: {done} of {total} done")
        }
        JobState::Submitting => "Sending the job to fal…".into(),
        JobState::InQueue { position } => queue_position_text(*position),
        JobState::InProgress => match running_seconds {
            Some(s) => format!("Generating · {}", format_elapsed(s)),
            None => "Generating".into(),
        },
        JobState::FetchingResult => "Finished: fetching the result…".into(),
        JobState::Completed(_) => "Video ready".into(),
        JobState::Failed(_) => "Failed".into(),
        JobState::Cancelled => "Cancelled".into(),
    };
    format!("{base}{cancelling}")
}

/// A batch run's status, on its tile: the words of [`status_line`], so a
/// tile and the single run's status agree, plus what only a batch has. A
/// run still a draft is waiting for its submit turn (a single run is never
/// shown as a draft), and a failed run says why in the same line, as a
/// tile has no room for the single run's error panel.
pub fn batch_run_status(job: &Job) -> String {
    match &job.state {
        JobState::Draft => BATCH_RUN_WAITING.into(),
        JobState::Failed(error) => format!("{}: {}", status_line(job, None), error.message()),
        _ => status_line(job, None),
    }
}

/// A batch run not yet sent: the submit queue holds it back.
pub const BATCH_RUN_WAITING: &str = "Waiting its turn";

/// A batch run shown after a reload with no record: the page closed before
/// its turn, so it never went out.
pub const BATCH_RUN_NEVER_SENT: &str =
    "Not sent: the page closed before its turn. Nothing was billed.";

/// A batch run whose submit was out when the page closed: nobody heard
/// whether fal took it.
pub const BATCH_RUN_SUBMIT_UNKNOWN: &str =
    "The page closed while its submit was out: fal may have it. See History.";

/// The "still trying" notice while a call is retried. Only once fal took
/// the submit (the job has its request) is the job with fal; while the
/// submit itself is retried after a 429 or 503, fal does not have it yet.
pub fn trouble_text(job: &Job, message: &str) -> String {
    if job.request.is_some() {
        format!(
            "Still trying: {message} The job itself is with fal and is not lost: this page keeps \
             asking and shows the video once fal answers."
        )
    } else {
        format!(
            "Still trying: {message} fal has not taken the job yet, so nothing is billed so far: \
             this page sends it again when fal is ready."
        )
    }
}

/// The browser tab's title, so a person in another tab sees progress.
pub fn tab_title(job: &Job) -> String {
    let state = match &job.state {
        JobState::Draft => return APP_NAME.to_string(),
        JobState::Uploading { .. } => "Uploading…".to_string(),
        JobState::Submitting => "Sending…".into(),
        JobState::InQueue { position: Some(n) } => format!("Queued ({n} ahead)"),
        JobState::InQueue { position: None } => "Queued".into(),
        JobState::InProgress | JobState::FetchingResult => "Generating…".into(),
        JobState::Completed(_) => "✓ Video ready".into(),
        JobState::Failed(_) => "✗ Failed".into(),
        JobState::Cancelled => "Cancelled".into(),
    };
    format!("{state} · {APP_NAME}")
}

/// What fal's answer to Cancel means, honestly: a job that had started may
/// still be billed.
pub fn cancel_outcome_text(outcome: CancelOutcome) -> &'static str {
    match outcome {
        CancelOutcome::Cancelled => "Cancelled: fal removed the job from its queue. Nothing is billed.",
        CancelOutcome::CancellationRequested => {
            "Cancellation requested: fal asked the machine running the job to stop. A job that had \
             already started may still be billed for the time it ran."
        }
        CancelOutcome::AlreadyCompleted => {
            "Too late to cancel: the job had already finished, so it is billed. Its result is being fetched."
        }
        CancelOutcome::NotFound => {
            "fal does not know this job any more (it may have finished and expired); nothing was cancelled."
        }
    }
}

/// Why the cancel did nothing, and that the job goes on: said instead of
/// an answer from fal, which never came (or refused the call).
pub fn cancel_failed_text(error: &FalError) -> String {
    match error.kind {
        FalErrorKind::Network(_) => "Cancel did not reach fal, so the job goes on. Check the \
                                     connection and press Cancel again."
            .into(),
        // Refused, or (through a proxy) fal out of reach: say which, in
        // the error's own words.
        _ => format!(
            "Cancel did not go through, so the job goes on: {} Press Cancel again to retry.",
            error.message()
        ),
    }
}

/// What became of a cancel, once settled (see
/// [`crate::core::job::cancel::Canceller`]): fal's answer in words, or why
/// nothing was cancelled. `None` for events that do not settle a cancel.
pub fn cancel_settled_text(event: &JobEvent) -> Option<String> {
    match event {
        JobEvent::CancelAnswered(outcome) => Some(cancel_outcome_text(*outcome).to_owned()),
        JobEvent::CancelFailed(error) => Some(cancel_failed_text(error)),
        _ => None,
    }
}

/// What the panel says about a job cancelled earlier, opened from the
/// history: whether it had reached fal's queue decides whether it cost.
pub fn cancelled_note(reached_queue: bool) -> &'static str {
    if reached_queue {
        "This job was cancelled. If it had started running, fal may bill the time it ran."
    } else {
        "This job was cancelled before it reached fal's queue. Nothing was billed."
    }
}

/// Said in the job panel after "Cancel upload" stopped the job.
pub const UPLOAD_CANCELLED_NOTE: &str = "An upload was cancelled, so the job was not sent to \
                                         fal and nothing was billed. Files already uploaded are \
                                         kept for the next Generate.";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fal::endpoint::QueueEndpoint;
    use crate::core::fal::error::NetworkFailure;

    fn queued(position: Option<u64>) -> Job {
        let urls = QueueEndpoint::new(
            "https://queue.fal.run",
            "fal-ai/wan/v2.7/reference-to-video",
        )
        .unwrap()
        .built_urls("r1")
        .unwrap();
        Job::new()
            .apply(JobEvent::SubmitStarted)
            .unwrap()
            .apply(JobEvent::Submitted {
                request: urls,
                queue_position: position,
            })
            .unwrap()
    }

    #[test]
    fn elapsed_reads_like_a_clock() {
        assert_eq!(format_elapsed(0), "0:00");
        assert_eq!(format_elapsed(42), "0:42");
        assert_eq!(format_elapsed(725), "12:05");
        assert_eq!(format_elapsed(3723), "1:02:03");
    }

    #[test]
    fn queue_positions_are_zero_based() {
        assert_eq!(status_line(&queued(Some(0)), None), "Next in fal's queue");
        assert_eq!(
            status_line(&queued(Some(2)), None),
            "In fal's queue: 2 ahead of this job"
        );
        assert_eq!(status_line(&queued(None), None), "Waiting in fal's queue");
        assert_eq!(
            tab_title(&queued(Some(2))),
            "Queued (2 ahead) · wan-r2v studio"
        );
    }

    #[test]
    fn the_retry_notice_says_fal_has_the_job_only_after_the_submit() {
        let sending = Job::new().apply(JobEvent::SubmitStarted).unwrap();
        let text = trouble_text(&sending, "fal is busy.");
        assert!(text.contains("fal has not taken the job yet"), "{text}");
        assert!(!text.contains("with fal"), "{text}");
        let text = trouble_text(&queued(Some(0)), "fal is busy.");
        assert!(text.contains("The job itself is with fal"), "{text}");
    }

    #[test]
    fn cancelling_shows_in_the_status_line_until_the_job_ends() {
        let job = queued(Some(1)).apply(JobEvent::CancelRequested).unwrap();
        assert!(status_line(&job, None).ends_with("cancelling…"));
        let cancelled = job
            .apply(JobEvent::CancelAnswered(CancelOutcome::Cancelled))
            .unwrap();
        assert_eq!(cancelled.state, JobState::Cancelled);
        assert_eq!(status_line(&cancelled, None), "Cancelled");
        assert_eq!(batch_run_status(&cancelled), "Cancelled");
    }

    #[test]
    fn a_batch_run_says_what_the_single_run_says() {
        use crate::core::fal::status::QueueStatus;
        let waiting = Job::new();
        assert_eq!(batch_run_status(&waiting), "Waiting its turn");
        for job in [
            Job::new().apply(JobEvent::SubmitStarted).unwrap(),
            queued(Some(2)),
            queued(Some(0)).apply(JobEvent::CancelRequested).unwrap(),
            queued(None)
                .apply(JobEvent::StatusReceived(QueueStatus::InProgress {
                    logs: vec![],
                }))
                .unwrap(),
            Job::new().apply(JobEvent::CancelRequested).unwrap(),
        ] {
            assert_eq!(batch_run_status(&job), status_line(&job, None));
        }
        assert_eq!(
            batch_run_status(&queued(Some(2))),
            "In fal's queue: 2 ahead of this job"
        );
        let cancelled = Job::new().apply(JobEvent::CancelRequested).unwrap();
        assert_eq!(batch_run_status(&cancelled), "Cancelled");
    }

    #[test]
    fn a_failed_batch_run_says_why_after_the_single_runs_word() {
        let error = FalError::network(NetworkFailure::Offline);
        let failed = Job::new()
            .apply(JobEvent::SubmitStarted)
            .unwrap()
            .apply(JobEvent::Failed(error.clone()))
            .unwrap();
        assert_eq!(status_line(&failed, None), "Failed");
        assert_eq!(
            batch_run_status(&failed),
            format!("Failed: {}", error.message())
        );
    }

    #[test]
    fn titles_cover_every_state() {
        assert_eq!(tab_title(&Job::new()), "wan-r2v studio");
        let job = Job::new().apply(JobEvent::SubmitStarted).unwrap();
        assert_eq!(tab_title(&job), "Sending… · wan-r2v studio");
        assert_eq!(status_line(&job, None), "Sending the job to fal…");
    }

    #[test]
    fn cancel_outcomes_are_honest_about_billing() {
        assert!(cancel_outcome_text(CancelOutcome::CancellationRequested)
            .contains("may still be billed"));
        assert!(cancel_outcome_text(CancelOutcome::Cancelled).contains("Nothing is billed"));
        assert!(cancel_outcome_text(CancelOutcome::AlreadyCompleted).contains("billed"));
        assert!(cancel_outcome_text(CancelOutcome::NotFound).contains("nothing was cancelled"));
    }

    #[test]
    fn a_cancel_that_never_reached_fal_says_the_job_goes_on() {
        let offline = JobEvent::CancelFailed(FalError::network(NetworkFailure::Offline));
        let text = cancel_settled_text(&offline).unwrap();
        assert!(
            text.starts_with("Cancel did not reach fal, so the job goes on."),
            "{text}"
        );
        let refused = JobEvent::CancelFailed(FalError::new(FalErrorKind::Auth { by_proxy: false }));
        let text = cancel_settled_text(&refused).unwrap();
        assert!(
            text.starts_with("Cancel did not go through, so the job goes on: "),
            "{text}"
        );
        let answered = JobEvent::CancelAnswered(CancelOutcome::NotFound);
        assert!(cancel_settled_text(&answered)
            .unwrap()
            .contains("nothing was cancelled"));
        assert_eq!(cancel_settled_text(&JobEvent::Resumed), None);
        assert!(cancelled_note(false).contains("Nothing was billed"));
        assert!(cancelled_note(true).contains("may bill"));
    }
}
