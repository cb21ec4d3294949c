//! Runs one job in the browser: uploads, the submit (sent exactly once per
//! Generate), then following it to the result. Every decision is the core's
//! ([`Job`], [`Follower`], the retry policy); this file performs them and
//! writes the job record before following, so nothing paid for is lost.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use crate::core::fal::answers::parse_submit;
use crate::core::fal::base_url::BaseUrl;
use crate::core::fal::calls;
use crate::core::fal::endpoint::QueueEndpoint;
use crate::core::fal::endpoint::RequestUrls;
use crate::core::fal::error::{FalError, FalErrorKind, NetworkFailure};
use crate::core::fal::retry::{decide, RetryDecision};
use crate::core::fal::transport::Transport;
use crate::core::form::state::FormRequest;
use crate::core::job::follow::Follower;
use crate::core::job::record::{JobRecord, RecordStatus, StoredCost};
use crate::core::job::state::{Job, JobEvent, JobState};
use crate::core::model::pricing::CostEstimate;
use crate::core::upload::progress::UploadProgress;

use super::fetch::{send, FetchFailure};
use super::job_follow::follow;
use super::job_store::HistoryStore;
use super::timer::{jitter, now_ms, Alarm};
use super::upload::{upload_references, UploadBatch};

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
    /// All files of the upload phase as one progress (bytes, speed), for
    /// the "Uploading references" status; `None` outside that phase.
    pub upload_progress: RwSignal<Option<UploadProgress>>,
    /// True if the browser refused to store the job (a reload would lose it).
    /// Shared with the history store, which learns of refused writes.
    pub not_stored: RwSignal<bool>,
    /// Where the job's record is written.
    pub(super) store: HistoryStore,
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
    fn new(record: JobRecord, job: Job, store: HistoryStore) -> Self {
        Self {
            job: RwSignal::new(job),
            record: RwSignal::new(record),
            trouble: RwSignal::new(None),
            cancel_note: RwSignal::new(None),
            running_since_ms: RwSignal::new(None),
            upload_progress: RwSignal::new(None),
            not_stored: store.refused,
            store,
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
            self.record.with_untracked(|r| self.store.save(r));
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
    files: UploadBatch,
    cost: &CostEstimate,
    route: Route,
    store: HistoryStore,
) -> RunningJob {
    let created = now_ms();
    let id = format!("job-{created}-{:06}", (jitter() * 1e6) as u32);
    let stored_cost = StoredCost {
        cents: cost.known_cents(),
        arithmetic: cost.arithmetic(),
        complete: cost.is_complete(),
    };
    let record = JobRecord::new(id, created, request.input.clone(), stored_cost);
    let running = RunningJob::new(record, Job::new(), store);
    spawn_local(async move { run_new(running, request, files, route).await });
    running
}

/// Picks up a stored job after a reload, if it is still unfinished.
pub fn resume(record: JobRecord, route: Route, store: HistoryStore) -> Option<RunningJob> {
    let job = record.resumable_job()?;
    let running = RunningJob::new(record, job, store);
    running.follow_in_background(route);
    Some(running)
}

/// Follows a failed job from the history again ("Check again"): fal may
/// still have it, and then its result is fetched.
pub fn follow_again(record: JobRecord, route: Route, store: HistoryStore) -> Option<RunningJob> {
    let request = record.request.as_ref()?;
    if record.output.is_some() {
        return None;
    }
    let job = Job::resume(RequestUrls::from(request));
    let running = RunningJob::new(record, job, store);
    running.follow_in_background(route);
    Some(running)
}

/// A finished job from the history, to show in the Status and result panel
/// (a video, an expired result, a cancellation). `None` for other records:
/// they are followed instead ([`resume`], [`follow_again`]).
pub fn show(record: JobRecord, store: HistoryStore) -> Option<RunningJob> {
    let mut job = Job::new();
    job.request = record.request.as_ref().map(RequestUrls::from);
    let mut cancel_note = None;
    job.state = match (&record.status, &record.output) {
        (RecordStatus::Completed, Some(output)) => JobState::Completed(Box::new(output.clone())),
        (RecordStatus::Expired, _) => JobState::Failed(FalError {
            http_status: Some(404),
            ..FalError::new(FalErrorKind::NotFound)
        }),
        (RecordStatus::Cancelled, _) => {
            cancel_note = Some(if job.request.is_some() {
                "This job was cancelled. If it had started running, fal may bill the time it ran."
            } else {
                "This job was cancelled before it reached fal's queue. Nothing was billed."
            });
            JobState::Cancelled
        }
        _ => return None,
    };
    let running = RunningJob::new(record, job, store);
    running.cancel_note.set(cancel_note);
    Some(running)
}

async fn run_new(running: RunningJob, mut request: FormRequest, files: UploadBatch, route: Route) {
    // Cancelled or failed while uploading: nothing reached fal's queue.
    if !upload_references(running, &mut request, &files, &route).await {
        return;
    }
    if running.job.with_untracked(Job::is_finished) {
        return;
    }
    // Written before the submit goes out: if the tab closes now, the
    // history says a submit may have reached fal.
    running.apply(JobEvent::SubmitStarted);
    running.record.with_untracked(|r| running.store.save(r));

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
) -> Option<crate::core::fal::answers::Submitted> {
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
