//! Runs a batch: its references upload once (through the first run's
//! upload phase, the same one a single Generate uses), then the core's
//! [`SubmitQueue`] paces the submits (at most two in flight, `Retry-After`
//! holding the batch), each run's record is written before its submit goes
//! out, and each accepted run is followed like any job (the page's stream
//! slots decide which stream and which poll).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::live_batch::{LiveBatch, Pacing, RunSlot};
use crate::core::batch::batch_id::BatchId;
use crate::core::batch::plan::BatchPlan;
use crate::core::batch::submit_queue::{QueueAction, SubmitOutcome, SubmitQueue};
use crate::core::fal::route::Route;
use crate::core::form::state::FormRequest;
use crate::core::job::record::JobRecord;
use crate::core::job::state::{Job, JobEvent, JobState};
use crate::core::model::validation::ReferenceKind;
use crate::ui::form::handle::BatchSubmission;
use crate::ui::history::store::HistoryStore;
use crate::ui::job::runner::code_not_loaded;
use crate::ui::job::running_job::RunningJob;
use crate::ui::job::{follow_job, submit::submit};
use crate::ui::on_demand::on_demand;
use crate::ui::upload::board::UploadBatch;
use crate::ui::upload::phase::upload_references;
use crate::web::random::{random_fraction, random_u32};
use crate::web::timer::{now_ms, Alarm};

/// Longest the pacing loop sleeps without news: a safety net only; every
/// submit's end and every cancel wake it at once.
const IDLE_CHECK: Duration = Duration::from_secs(30);

/// Starts the batch from a Generate press: every run exists at once (in
/// the grid), none is written to the history until its turn.
pub fn start(
    batch: BatchSubmission,
    request: FormRequest,
    files: UploadBatch,
    route: Route,
    store: HistoryStore,
) -> LiveBatch {
    let id = BatchId::from_random((u64::from(random_u32()) << 32) | u64::from(random_u32()));
    let created = now_ms();
    let places = batch.plan.batch_runs(&id);
    let captions = places.iter().map(|p| p.caption.clone()).collect();
    let runs: Vec<RunningJob> = batch
        .plan
        .runs
        .iter()
        .zip(places)
        .zip(&batch.cost.runs)
        .map(|((run, place), cost)| {
            let local_id = JobRecord::local_id(created, random_fraction());
            let mut record =
                JobRecord::new(local_id, created, run.request.input.clone(), cost.into());
            record.batch = Some(place);
            RunningJob::new(record, Job::new(), store)
        })
        .collect();
    let pacing = Pacing {
        queue: Rc::new(RefCell::new(SubmitQueue::new(runs.len()))),
        wake: Alarm::default(),
    };
    let slots = runs.iter().copied().map(RunSlot::Job).collect();
    let live = LiveBatch::new(id, captions, slots, Some(pacing.clone()));
    spawn_local(async move {
        if run(runs.clone(), batch.plan, request, files, route, pacing)
            .await
            .is_err()
        {
            runs.into_iter().for_each(code_not_loaded);
        }
    });
    live
}

on_demand! {
    part = jobs;
    /// The batch's uploads, paced submits and follow loops, loaded on the
    /// first Generate with the single job's (the same part).
    async fn run(
        runs: Vec<RunningJob>,
        plan: BatchPlan,
        request: FormRequest,
        files: UploadBatch,
        route: Route,
        pacing: Pacing,
    ) {
        run_loaded(runs, plan, request, files, route, pacing).await
    }
}

async fn run_loaded(
    runs: Vec<RunningJob>,
    mut plan: BatchPlan,
    mut request: FormRequest,
    files: UploadBatch,
    route: Route,
    pacing: Pacing,
) {
    if !upload_once(&runs, &mut plan, &mut request, &files, &route).await {
        return;
    }
    loop {
        let actions = pacing.queue.borrow_mut().next_actions(now_ms());
        let mut wake_at = None;
        for action in actions {
            match action {
                QueueAction::Start(index) => {
                    let (running, input) = (runs[index], plan.runs[index].request.input.clone());
                    let (route, pacing) = (route.clone(), pacing.clone());
                    spawn_local(async move {
                        submit_run(index, running, input, route, pacing).await;
                    });
                }
                // The run's own job sends its cancel once fal's answer
                // names it (its follow loop), as a single job's does.
                QueueAction::CancelAtFal(_) => {}
                QueueAction::WakeAt(at) => wake_at = Some(at),
            }
        }
        if pacing.queue.borrow().is_settled() {
            return;
        }
        let wait = wake_at.map_or(IDLE_CHECK, |at| {
            Duration::from_millis(at.saturating_sub(now_ms()))
        });
        pacing.wake.sleep(wait).await;
    }
}

/// Uploads the batch's files once, through the first run, and gives every
/// run their URLs. False when the batch ended here: the other runs then
/// end the way the first did (cancelled, or failed with its reason).
async fn upload_once(
    runs: &[RunningJob],
    plan: &mut BatchPlan,
    request: &mut FormRequest,
    files: &UploadBatch,
    route: &Route,
) -> bool {
    let Some(&lead) = runs.first() else {
        return false;
    };
    let uploads = request.uploads.clone();
    let uploaded = upload_references(lead, request, files, route).await;
    for running in runs {
        running.record.update(|r| r.trims = request.trims.clone());
    }
    if uploaded && !lead.is_finished() {
        for upload in &uploads {
            let list = match upload.label.kind {
                ReferenceKind::Image => &request.input.reference_image_urls,
                ReferenceKind::Video => &request.input.reference_video_urls,
            };
            if let Some(url) = list.get(upload.position) {
                plan.fill_upload(upload.reference, url);
            }
        }
        return true;
    }
    let ended = lead.job.get_untracked();
    for running in &runs[1..] {
        running.end_like(&ended);
    }
    false
}

/// One run's turn: its record goes to the history, then its submit, then
/// it is followed.
async fn submit_run(
    index: usize,
    running: RunningJob,
    input: crate::core::model::schema::R2vInput,
    route: Route,
    pacing: Pacing,
) {
    running.record.update(|r| r.input = input.clone());
    running.apply(JobEvent::SubmitStarted);
    // Written before the submit goes out: a reload finds it.
    running.save();
    let queue = pacing.queue.clone();
    let told_to_wait = move |after: Duration| {
        let until = now_ms() + u64::try_from(after.as_millis()).unwrap_or(u64::MAX);
        queue.borrow_mut().on_told_to_wait(index, until);
    };
    let urls = submit(&running, &input, &route, &told_to_wait).await;
    // The core reads a failure: no answer (or a gateway's 502/504, which
    // may follow fal's queue taking it) may be a job at fal; any other
    // answer, or a submit withdrawn by Cancel, is not.
    let outcome = match (&urls, running.job.with_untracked(|j| j.state.clone())) {
        (Some(_), _) => SubmitOutcome::Accepted,
        (None, JobState::Failed(error)) => SubmitOutcome::of_failure(&error),
        (None, _) => SubmitOutcome::Refused,
    };
    pacing.queue.borrow_mut().on_finished(index, outcome);
    pacing.wake.ring();
    if let Some(urls) = urls {
        follow_job(running, urls, &route).await;
    }
}
