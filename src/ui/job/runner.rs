//! Starts and restarts jobs: a new one from Generate (uploads, the submit,
//! then following it), a stored one after a reload or "Check again", and a
//! finished one opened from the history. Every decision is the core's
//! ([`Job`], [`JobRecord`], the drivers); this file wires them to the
//! loops that perform them, and writes the record before following, so
//! nothing paid for is lost.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::follow::follow;
use super::running_job::RunningJob;
use super::submit::submit;
use crate::core::fal::endpoint::RequestUrls;
use crate::core::fal::error::{FalError, FalErrorKind};
use crate::core::fal::route::Route;
use crate::core::form::state::FormRequest;
use crate::core::job::display::cancelled_note;
use crate::core::job::record::JobRecord;
use crate::core::job::state::{Job, JobEvent, JobState};
use crate::core::model::pricing::CostEstimate;
use crate::ui::history::store::HistoryStore;
use crate::ui::on_demand::on_demand;
use crate::ui::upload::board::UploadBatch;
use crate::ui::upload::phase::upload_references;
use crate::web::random::random_fraction;
use crate::web::timer::now_ms;

/// Starts a new job from a Generate press.
pub fn start(
    request: FormRequest,
    files: UploadBatch,
    cost: &CostEstimate,
    route: Route,
    store: HistoryStore,
) -> RunningJob {
    let created = now_ms();
    let id = JobRecord::local_id(created, random_fraction());
    let record = JobRecord::new(id, created, request.input.clone(), cost.into());
    let running = RunningJob::new(record, Job::new(), store);
    spawn_local(async move {
        if run_new(running, request, files, route).await.is_err() {
            code_not_loaded(running);
        }
    });
    running
}

/// Picks up a stored job after a reload, if it is still unfinished.
pub fn resume(record: JobRecord, route: Route, store: HistoryStore) -> Option<RunningJob> {
    let job = record.resumable_job()?;
    let running = RunningJob::new(record, job, store);
    follow_in_background(running, route);
    Some(running)
}

/// Follows a failed job from the history again ("Check again"): fal may
/// still have it, and then its result is fetched.
pub fn follow_again(record: JobRecord, route: Route, store: HistoryStore) -> Option<RunningJob> {
    let job = record.job_to_check_again()?;
    let running = RunningJob::new(record, job, store);
    follow_in_background(running, route);
    Some(running)
}

/// "Check again" on the job in the panel, after a failure with a known
/// request.
pub fn check_again(running: RunningJob, route: Route) {
    running.apply(JobEvent::Resumed);
    if !running.is_finished() {
        follow_in_background(running, route);
    }
}

/// A finished job from the history, to show in the Status and result panel
/// (a video, an expired result, a cancellation). `None` for other records:
/// they are followed instead ([`resume`], [`follow_again`]).
pub fn show(record: JobRecord, store: HistoryStore) -> Option<RunningJob> {
    let job = record.finished_job()?;
    let note = (job.state == JobState::Cancelled)
        .then(|| cancelled_note(job.request.is_some()).to_owned());
    let running = RunningJob::new(record, job, store);
    running.cancel_note.set(note);
    Some(running)
}

pub(crate) fn follow_in_background(running: RunningJob, route: Route) {
    let Some(urls) = running.job.with_untracked(|j| j.request.clone()) else {
        return;
    };
    spawn_local(async move {
        if follow_loaded(running, urls, route).await.is_err() {
            code_not_loaded(running);
        }
    });
}

/// The job ends here when its code could not be fetched: before its
/// uploads and submit (Generate again), or, for a job already at fal,
/// with "Check again".
pub(crate) fn code_not_loaded(running: RunningJob) {
    let submitted = running.job.with_untracked(|j| j.request.is_some());
    running.apply(JobEvent::Failed(FalError::new(
        FalErrorKind::CodeNotLoaded { submitted },
    )));
    if submitted {
        running.save();
    }
}

/// Fetches the code that runs jobs (its part), so the first Generate
/// starts its uploads at once instead of after a fetch and a compile of
/// the part. Nothing else happens; a fetch that fails is logged, and
/// Generate fetches the part again itself.
pub fn fetch_code() {
    spawn_local(async {
        let _ = jobs_part_loaded().await;
    });
}

on_demand! {
    part = jobs;
    /// The door that only opens the part ([`fetch_code`]).
    async fn jobs_part_loaded() {}
}

on_demand! {
    part = jobs;
    /// Follows a job already at fal (a reload, "Check again").
    async fn follow_loaded(running: RunningJob, urls: RequestUrls, route: Route) {
        follow(running, urls, &route).await
    }
}

on_demand! {
    part = jobs;
    /// A new job: uploads, the submit, then following it. Its code (uploads,
    /// trimming the cuts, the submit, the follow loop) loads on the first
    /// Generate.
    async fn run_new(
        running: RunningJob,
        request: FormRequest,
        files: UploadBatch,
        route: Route,
    ) {
        run_new_loaded(running, request, files, route).await
    }
}

async fn run_new_loaded(
    running: RunningJob,
    mut request: FormRequest,
    files: UploadBatch,
    route: Route,
) {
    // Cancelled or failed while uploading: nothing reached fal's queue.
    if !upload_references(running, &mut request, &files, &route).await {
        return;
    }
    if running.is_finished() {
        return;
    }
    // Written before the submit goes out: if the tab closes now, the
    // history says a submit may have reached fal.
    running.apply(JobEvent::SubmitStarted);
    running.save();

    let Some(urls) = submit(&running, &request.input, &route, &|_| {}).await else {
        return;
    };
    follow(running, urls, &route).await;
}
