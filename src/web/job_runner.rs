//! Runs one job in the browser: uploads, the submit (sent exactly once per
//! Generate), then following it to the result. Every decision is the core's
//! ([`Job`], [`Follower`], the retry policy); this file performs them and
//! writes the job record before following, so nothing paid for is lost.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use crate::core::base_url::BaseUrl;
use crate::core::calls;
use crate::core::endpoint::QueueEndpoint;
use crate::core::fal_error::{FalError, NetworkFailure};
use crate::core::follow::Follower;
use crate::core::form_state::FormRequest;
use crate::core::job::{Job, JobEvent, JobState};
use crate::core::job_record::{JobRecord, StoredCost};
use crate::core::pricing::CostEstimate;
use crate::core::queue_answers::parse_submit;
use crate::core::references::ReferenceId;
use crate::core::retry::{decide, RetryDecision};
use crate::core::transport::Transport;

use super::fetch::{send, FetchFailure};
use super::job_follow::follow;
use super::job_store;
use super::timer::{jitter, now_ms, Alarm};
use super::upload::upload_file;

/// The live job the UI shows. All fields are arena handles, so it is `Copy`.
#[derive(Clone, Copy)]
pub struct RunningJob {
    pub job: RwSignal<Job>,
    pub record: RwSignal<JobRecord>,
    /// A read being retried ("fal is not answering; still trying").
    pub trouble: RwSignal<Option<String>>,
    /// fal's answer to Cancel, in words.
    pub cancel_note: RwSignal<Option<&'static str>>,
    /// When the first IN_PROGRESS status arrived, for the elapsed time.
    pub running_since_ms: RwSignal<Option<u64>>,
    /// True if the browser refused to store the job (a reload would lose it).
    pub not_stored: RwSignal<bool>,
    pub(super) alarm: StoredValue<SendWrapper<Alarm>>,
    pub(super) online: StoredValue<SendWrapper<Rc<Cell<bool>>>>,
}

/// Everything needed to reach fal for this job.
#[derive(Clone)]
pub struct Route {
    pub transport: Transport,
    pub endpoint: QueueEndpoint,
    pub rest: BaseUrl,
}

impl RunningJob {
    fn new(record: JobRecord, job: Job) -> Self {
        Self {
            job: RwSignal::new(job),
            record: RwSignal::new(record),
            trouble: RwSignal::new(None),
            cancel_note: RwSignal::new(None),
            running_since_ms: RwSignal::new(None),
            not_stored: RwSignal::new(false),
            alarm: StoredValue::new(SendWrapper::new(Alarm::default())),
            online: StoredValue::new(SendWrapper::new(Rc::new(Cell::new(false)))),
        }
    }

    /// Applies `event`; an impossible one (a late answer) changes nothing.
    pub(super) fn apply(&self, event: JobEvent) {
        self.job.update(|job| {
            if let Ok(next) = job.clone().apply(event) {
                *job = next;
            }
        });
        if matches!(
            self.job.with_untracked(|j| j.state.clone()),
            JobState::InProgress
        ) && self.running_since_ms.get_untracked().is_none()
        {
            self.running_since_ms.set(Some(now_ms()));
        }
        self.persist();
    }

    /// Writes the record when the job changed in a way worth keeping.
    pub(super) fn persist(&self) {
        let job = self.job.get_untracked();
        let mut changed = false;
        self.record.update(|r| changed = r.observe(&job, now_ms()));
        if changed {
            let stored = self.record.with_untracked(job_store::save);
            self.not_stored.set(!stored);
        }
    }

    /// The person pressed Cancel: the job decides what that means now, and
    /// any wait or read in progress is cut short so it happens at once.
    pub fn cancel(&self) {
        self.apply(JobEvent::CancelRequested);
        self.alarm.with_value(|a| a.ring());
    }

    /// "Check again" after a failure with a known request.
    pub fn check_again(self, route: Route) {
        self.apply(JobEvent::Resumed);
        if self.job.with_untracked(|j| !j.is_finished()) {
            self.follow_in_background(route);
        }
    }

    /// The browser is online again: retry now rather than after the backoff.
    pub fn poke(&self) {
        self.online.with_value(|o| o.set(true));
        self.alarm.with_value(|a| a.ring());
    }

    fn follow_in_background(self, route: Route) {
        let Some(urls) = self.job.with_untracked(|j| j.request.clone()) else {
            return;
        };
        spawn_local(async move { follow(self, Follower::new(urls), &route).await });
    }
}

/// Starts a new job from a Generate press.
pub fn start(
    request: FormRequest,
    files: Vec<(ReferenceId, SendWrapper<web_sys::File>)>,
    cost: &CostEstimate,
    route: Route,
) -> RunningJob {
    let created = now_ms();
    let id = format!("job-{created}-{:06}", (jitter() * 1e6) as u32);
    let stored_cost = StoredCost {
        cents: cost.known_cents(),
        arithmetic: cost.arithmetic(),
        complete: cost.is_complete(),
    };
    let record = JobRecord::new(id, created, request.input.clone(), stored_cost);
    let running = RunningJob::new(record, Job::new());
    spawn_local(async move { run_new(running, request, files, route).await });
    running
}

/// Picks up a stored job after a reload, if it is still unfinished.
pub fn resume(record: JobRecord, route: Route) -> Option<RunningJob> {
    let job = record.resumable_job()?;
    let running = RunningJob::new(record, job);
    running.follow_in_background(route);
    Some(running)
}

async fn run_new(
    running: RunningJob,
    mut request: FormRequest,
    files: Vec<(ReferenceId, SendWrapper<web_sys::File>)>,
    route: Route,
) {
    if !request.uploads.is_empty() {
        running.apply(JobEvent::UploadsStarted {
            total: request.uploads.len(),
        });
        for upload in request.uploads.clone() {
            if running.job.with_untracked(Job::is_finished) {
                return; // cancelled while uploading: nothing reached fal's queue.
            }
            let Some((_, file)) = files.iter().find(|(id, _)| *id == upload.reference) else {
                running.apply(JobEvent::Failed(FalError::malformed(format!(
                    "the file for {} is no longer available; add it again",
                    upload.label
                ))));
                return;
            };
            match upload_file(file, &route.transport, &route.rest).await {
                Ok(url) => {
                    request.fill_upload(upload.reference, &url);
                    running.apply(JobEvent::UploadFinished);
                }
                Err(error) => {
                    running.apply(JobEvent::Failed(error));
                    return;
                }
            }
        }
    }
    if running.job.with_untracked(Job::is_finished) {
        return;
    }
    // Written before the submit goes out: if the tab closes now, the
    // history says a submit may have reached fal.
    running.apply(JobEvent::SubmitStarted);
    let stored = running.record.with_untracked(job_store::save);
    running.not_stored.set(!stored);

    let Some(submitted) = submit_once(&running, &request, &route).await else {
        return;
    };
    let urls = match route
        .endpoint
        .urls_for(&submitted.request_id, &submitted.returned)
    {
        Ok(urls) => urls,
        Err(_) => {
            running.apply(JobEvent::Failed(FalError::malformed(
                "fal returned a request id that cannot be used",
            )));
            return;
        }
    };
    // `apply` writes the record with the request id before following starts.
    running.apply(JobEvent::Submitted {
        request: urls.clone(),
        queue_position: submitted.queue_position,
    });
    follow(running, Follower::new(urls), &route).await;
}

/// Sends the submit, retrying only when fal's answer proves the job was not
/// accepted (the core's policy); never after a network failure.
async fn submit_once(
    running: &RunningJob,
    request: &FormRequest,
    route: &Route,
) -> Option<crate::core::queue_answers::Submitted> {
    let http = route
        .transport
        .prepare(&calls::submit(&route.endpoint, &request.input));
    let mut retries = 0;
    loop {
        let error = match send(&http, None, None).await {
            Ok(answer) => match parse_submit(&answer, now_ms() / 1000) {
                Ok(submitted) => return Some(submitted),
                Err(error) => error,
            },
            // No answer: fal may or may not have the job, so it is never
            // sent again (a second submit would be a second bill).
            Err(FetchFailure::Network(failure)) => FalError::network(failure),
            Err(FetchFailure::Aborted) => FalError::network(NetworkFailure::Interrupted),
        };
        match decide(calls::CallKind::Submit, retries, &error, jitter()) {
            RetryDecision::RetryAfter(wait) => {
                retries += 1;
                running.trouble.set(Some(error.message()));
                running.alarm.with_value(|a| a.clone()).sleep(wait).await;
                running.trouble.set(None);
            }
            RetryDecision::GiveUp => {
                running.apply(JobEvent::Failed(error));
                return None;
            }
        }
    }
}
