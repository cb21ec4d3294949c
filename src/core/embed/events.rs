//! Which host-page events a job's progress produces: the studio compares
//! what it last told the host with the job now, and sends only what changed
//! (a new status, not every log line; each end exactly once).

use crate::core::access::refusal::AccessRefusal;
use crate::core::embed::protocol::Event;
use crate::core::fal::error::FalErrorKind;
use crate::core::job::display::status_line;
use crate::core::job::result_info::playable_url;
use crate::core::job::state::{CancelState, Job, JobState};

/// The job as last reported to the host.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    job_id: String,
    submitted: bool,
    status: Option<StatusKey>,
    finished: bool,
}

/// What a `status` event says, so an unchanged status is not sent again.
#[derive(Debug, Clone, PartialEq)]
struct StatusKey {
    state: &'static str,
    position: Option<u64>,
    uploads: Option<(usize, usize)>,
    cancel_requested: bool,
}

/// The events `job` (the studio's job `job_id`) calls for, given what was
/// reported before, and what has now been reported. A different `job_id`
/// starts afresh: a new Generate, or a job resumed after a reload.
pub fn job_events(
    before: Option<&Reported>,
    job_id: &str,
    job: &Job,
) -> (Vec<Event>, Option<Reported>) {
    let mut reported = match before {
        Some(r) if r.job_id == job_id => r.clone(),
        _ => Reported {
            job_id: job_id.to_owned(),
            submitted: false,
            status: None,
            finished: false,
        },
    };
    let mut events = Vec::new();
    let request_id = job.request.as_ref().map(|r| r.request_id.clone());
    if let (Some(request_id), false) = (&request_id, reported.submitted) {
        reported.submitted = true;
        events.push(Event::Submitted {
            job_id: job_id.to_owned(),
            request_id: request_id.clone(),
        });
    }
    if reported.finished {
        return (events, Some(reported));
    }
    let job_id = job_id.to_owned();
    match &job.state {
        JobState::Draft => {}
        JobState::Completed(output) => {
            reported.finished = true;
            events.push(Event::Completed {
                job_id,
                request_id,
                video_url: playable_url(output).map(str::to_owned),
                seed: output.seed,
                content_type: output.video.content_type.clone(),
                width: output.video.width,
                height: output.video.height,
                duration: output.video.duration,
            });
        }
        JobState::Failed(error) => {
            reported.finished = true;
            events.push(Event::Failed {
                job_id,
                request_id,
                error_kind: error_kind(&error.kind),
                message: error.message(),
            });
        }
        JobState::Cancelled => {
            reported.finished = true;
            events.push(Event::Cancelled { job_id, request_id });
        }
        live => {
            let key = StatusKey {
                state: state_name(live),
                position: match live {
                    JobState::InQueue { position } => *position,
                    _ => None,
                },
                uploads: match live {
                    JobState::Uploading { done, total } => Some((*done, *total)),
                    _ => None,
                },
                cancel_requested: job.cancel != CancelState::NotRequested,
            };
            if reported.status.as_ref() != Some(&key) {
                events.push(Event::Status {
                    job_id,
                    request_id,
                    state: key.state,
                    text: status_line(job, None),
                    queue_position: key.position,
                    uploads_done: key.uploads.map(|(done, _)| done),
                    uploads_total: key.uploads.map(|(_, total)| total),
                    cancel_requested: key.cancel_requested,
                });
                reported.status = Some(key);
            }
        }
    }
    (events, Some(reported))
}

/// The `state` of a `status` event.
fn state_name(state: &JobState) -> &'static str {
    match state {
        JobState::Uploading { .. } => "uploading",
        JobState::Submitting => "submitting",
        JobState::InQueue { .. } => "in_queue",
        JobState::InProgress => "in_progress",
        JobState::FetchingResult => "fetching_result",
        JobState::Draft => "draft",
        JobState::Completed(_) => "completed",
        JobState::Failed(_) => "failed",
        JobState::Cancelled => "cancelled",
    }
}

/// The `error_kind` of a `failed` event.
fn error_kind(kind: &FalErrorKind) -> &'static str {
    match kind {
        FalErrorKind::Validation(_) => "validation",
        FalErrorKind::ContentPolicy(_) => "content_policy",
        FalErrorKind::Auth { .. } => "auth",
        FalErrorKind::NotFound => "not_found",
        FalErrorKind::RateLimited => "rate_limited",
        FalErrorKind::StartTimeout => "start_timeout",
        FalErrorKind::Server { .. } => "server",
        FalErrorKind::ProxyRefused => "proxy_refused",
        FalErrorKind::Rejected { .. } => "rejected",
        FalErrorKind::Network(_) => "network",
        FalErrorKind::Malformed { .. } => "malformed",
        FalErrorKind::Upload { .. } => "upload",
        FalErrorKind::CodeNotLoaded { .. } => "code_not_loaded",
        FalErrorKind::Access(AccessRefusal::AccessRequired { .. }) => "access_required",
        FalErrorKind::Access(AccessRefusal::BudgetReached(_)) => "budget_reached",
        FalErrorKind::Access(AccessRefusal::StateUnavailable { .. }) => "state_unavailable",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fal::answers::{parse_result, CancelOutcome};
    use crate::core::fal::classify::classify;
    use crate::core::fal::endpoint::{QueueEndpoint, ReturnedUrls};
    use crate::core::fal::http::HttpResponse;
    use crate::core::fal::status::parse_status;
    use crate::core::job::state::JobEvent;
    use crate::core::model::schema::R2vOutput;
    use serde_json::Value;

    const NOW: u64 = 1_795_513_909;
    const REQUEST: &str = "764cabcf-b745-4b3e-ae38-1200304cf45b";

    fn submitted(job: Job, position: Option<u64>) -> Job {
        let urls = QueueEndpoint::new(
            "https://queue.fal.run",
            "fal-ai/wan/v2.7/reference-to-video",
        )
        .unwrap()
        .urls_for(REQUEST, &ReturnedUrls::default())
        .unwrap();
        job.apply(JobEvent::SubmitStarted)
            .unwrap()
            .apply(JobEvent::Submitted {
                request: urls,
                queue_position: position,
            })
            .unwrap()
    }

    fn status(job: Job, body: &str) -> Job {
        let status = parse_status(&HttpResponse::new(200, body), NOW).unwrap();
        job.apply(JobEvent::StatusReceived(status)).unwrap()
    }

    /// Runs `job` through `job_events` and returns the JSON of each event.
    fn step(reported: &mut Option<Reported>, id: &str, job: &Job) -> Vec<Value> {
        let (events, now) = job_events(reported.as_ref(), id, job);
        *reported = now;
        events
            .iter()
            .map(|e| serde_json::from_str(&e.to_json()).unwrap())
            .collect()
    }

    #[test]
    fn a_run_reports_each_change_once_and_the_video_at_the_end() {
        let mut reported = None;
        let job = Job::new()
            .apply(JobEvent::UploadsStarted { total: 2 })
            .unwrap();
        let events = step(&mut reported, "job-1", &job);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["type"], "status");
        assert_eq!(events[0]["state"], "uploading");
        assert_eq!(events[0]["uploads_done"], 0);
        assert_eq!(events[0]["uploads_total"], 2);
        assert_eq!(events[0]["request_id"], Value::Null);
        // Nothing changed: nothing sent.
        assert!(step(&mut reported, "job-1", &job).is_empty());

        let job = job.apply(JobEvent::UploadFinished).unwrap();
        assert_eq!(step(&mut reported, "job-1", &job)[0]["uploads_done"], 1);
        let job = job.apply(JobEvent::UploadFinished).unwrap();
        step(&mut reported, "job-1", &job);

        let job = submitted(job, Some(2));
        let events = step(&mut reported, "job-1", &job);
        assert_eq!(events[0]["type"], "submitted");
        assert_eq!(events[0]["request_id"], REQUEST);
        assert_eq!(events[1]["type"], "status");
        assert_eq!(events[1]["state"], "in_queue");
        assert_eq!(events[1]["queue_position"], 2);
        assert_eq!(events[1]["text"], "In fal's queue: 2 ahead of this job");

        let job = status(
            job,
            r#"{"status":"IN_PROGRESS","logs":[{"message":"step 1"}]}"#,
        );
        let events = step(&mut reported, "job-1", &job);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["state"], "in_progress");
        // A new log line is not a new status.
        let job = status(
            job,
            r#"{"status":"IN_PROGRESS","logs":[{"message":"step 1"},{"message":"step 2"}]}"#,
        );
        assert!(step(&mut reported, "job-1", &job).is_empty());

        let job = status(job, r#"{"status":"COMPLETED"}"#);
        assert_eq!(
            step(&mut reported, "job-1", &job)[0]["state"],
            "fetching_result"
        );
        let output = parse_result(
            &HttpResponse::new(
                200,
                r#"{"video":{"url":"https://v3.fal.media/files/out.mp4","content_type":"video/mp4","width":1280,"height":720,"duration":5.0},"seed":42}"#,
            ),
            NOW,
        )
        .unwrap();
        let job = job.apply(JobEvent::ResultReceived(output)).unwrap();
        let events = step(&mut reported, "job-1", &job);
        assert_eq!(events.len(), 1);
        let done = &events[0];
        assert_eq!(done["type"], "completed");
        assert_eq!(done["video_url"], "https://v3.fal.media/files/out.mp4");
        assert_eq!(done["seed"], 42);
        assert_eq!(done["request_id"], REQUEST);
        assert_eq!(done["width"], 1280);
        assert_eq!(done["protocol"], "wan-r2v-studio");
        assert_eq!(done["version"], 1);
        // The end is reported once.
        assert!(step(&mut reported, "job-1", &job).is_empty());
    }

    #[test]
    fn a_tampered_video_url_is_never_handed_to_the_host() {
        let job = status(submitted(Job::new(), None), r#"{"status":"COMPLETED"}"#);
        // The result parser already refuses such an answer; this is the
        // second line of defence, for an output that got past it.
        let output: R2vOutput =
            serde_json::from_str(r#"{"video":{"url":"javascript:alert(1)"},"seed":1}"#).unwrap();
        let job = job.apply(JobEvent::ResultReceived(output)).unwrap();
        let (events, _) = job_events(None, "j", &job);
        let done = events.iter().find(|e| e.name() == "completed").unwrap();
        let json: Value = serde_json::from_str(&done.to_json()).unwrap();
        assert_eq!(json["video_url"], Value::Null);
    }

    #[test]
    fn failures_say_what_kind_with_fal_words() {
        let mut reported = None;
        let job = submitted(Job::new(), Some(0));
        step(&mut reported, "j", &job);
        let error = classify(
            &HttpResponse::new(
                422,
                r#"{"detail":[{"loc":["body","prompt"],"msg":"too long","type":"string_too_long"}]}"#,
            ),
            NOW,
            "expected a result",
        );
        let job = job.apply(JobEvent::Failed(error)).unwrap();
        let events = step(&mut reported, "j", &job);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["type"], "failed");
        assert_eq!(events[0]["error_kind"], "validation");
        assert!(events[0]["message"].as_str().unwrap().contains("too long"));
        assert_eq!(events[0]["request_id"], REQUEST);
    }

    #[test]
    fn cancelling_shows_in_the_status_then_ends_cancelled() {
        let mut reported = None;
        let job = submitted(Job::new(), Some(3));
        step(&mut reported, "j", &job);
        let job = job.apply(JobEvent::CancelRequested).unwrap();
        let events = step(&mut reported, "j", &job);
        assert_eq!(events[0]["cancel_requested"], true);
        let job = job
            .apply(JobEvent::CancelAnswered(CancelOutcome::Cancelled))
            .unwrap();
        let events = step(&mut reported, "j", &job);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["type"], "cancelled");
        assert_eq!(events[0]["request_id"], REQUEST);
    }

    #[test]
    fn a_new_job_starts_afresh_and_a_resumed_one_is_reported_submitted() {
        let mut reported = None;
        let first = status(submitted(Job::new(), None), r#"{"status":"IN_PROGRESS"}"#);
        step(&mut reported, "job-1", &first);
        // After a reload the studio follows a stored job it has not reported.
        let events = step(&mut reported, "job-2", &first);
        let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["submitted", "status"]);
        assert_eq!(events[1]["job_id"], "job-2");
        // A draft reports nothing.
        assert!(step(&mut reported, "job-3", &Job::new()).is_empty());
    }
}
