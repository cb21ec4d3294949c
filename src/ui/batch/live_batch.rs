//! A batch this page shows: its runs in grid order, and what a person can
//! do to it while it runs ("Cancel" on a run, "Cancel all"). The pacing of
//! its submits is the core's [`SubmitQueue`]; the runs themselves are
//! ordinary jobs ([`RunningJob`]), followed like any other.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::core::batch::batch_id::BatchId;
use crate::core::batch::submit_queue::SubmitQueue;
use crate::core::job::state::Job;
use crate::ui::job::running_job::RunningJob;
use crate::web::timer::Alarm;

/// One place in the grid. The job's variant is larger (arena handles, some
/// 256 bytes natively), which does not matter for at most 16 places held
/// once per batch, and boxing would lose `Copy`.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy)]
pub enum RunSlot {
    /// The run's job, live or as it ended.
    Job(RunningJob),
    /// No record of this run: the page closed before its turn, so it never
    /// went out (nothing billed).
    NeverSent,
    /// The page closed while its submit was out: fal may have it.
    Unknown,
}

impl RunSlot {
    pub fn job(self) -> Option<RunningJob> {
        match self {
            RunSlot::Job(running) => Some(running),
            _ => None,
        }
    }
}

/// The submits of a batch started on this page (a batch shown again after
/// a reload has none left to send).
#[derive(Clone)]
pub(super) struct Pacing {
    pub queue: Rc<RefCell<SubmitQueue>>,
    /// Wakes the pacing loop: a submit ended, a run was cancelled.
    pub wake: Alarm,
}

/// A batch on this page. `Copy` (arena handles).
#[derive(Clone, Copy)]
pub struct LiveBatch {
    pub id: StoredValue<BatchId>,
    /// Each run's caption ("Seed 7 · 9:16"), in grid order.
    pub captions: StoredValue<Vec<String>>,
    pub runs: StoredValue<Vec<RunSlot>>,
    pacing: StoredValue<Option<SendWrapper<Pacing>>>,
}

impl LiveBatch {
    pub(super) fn new(
        id: BatchId,
        captions: Vec<String>,
        runs: Vec<RunSlot>,
        pacing: Option<Pacing>,
    ) -> Self {
        Self {
            id: StoredValue::new(id),
            captions: StoredValue::new(captions),
            runs: StoredValue::new(runs),
            pacing: StoredValue::new(pacing.map(SendWrapper::new)),
        }
    }

    /// A batch shown from the history (after a reload): nothing left to
    /// pace, its runs are followed as any job.
    pub fn shown(id: BatchId, captions: Vec<String>, runs: Vec<RunSlot>) -> Self {
        Self::new(id, captions, runs, None)
    }

    pub(super) fn pacing(&self) -> Option<Pacing> {
        self.pacing
            .with_value(|p| p.as_ref().map(|p| (**p).clone()))
    }

    /// The runs' jobs, in grid order (those this page has).
    pub fn jobs(&self) -> Vec<RunningJob> {
        self.runs
            .with_value(|runs| runs.iter().filter_map(|r| r.job()).collect())
    }

    pub fn len(&self) -> usize {
        self.runs.with_value(Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// (finished, total), tracking every run's job.
    pub fn progress(&self) -> (usize, usize) {
        let runs = self.runs.get_value();
        let done = runs
            .iter()
            .filter(|r| match r {
                RunSlot::Job(running) => running.job.with(Job::is_finished),
                _ => true,
            })
            .count();
        (done, runs.len())
    }

    /// True while any run has not ended (tracked).
    pub fn is_running(&self) -> bool {
        let (done, total) = self.progress();
        done < total
    }

    /// "Cancel" on run `index`: a run not sent yet is dropped here with no
    /// call; one at fal is cancelled there by its own job.
    pub fn cancel(&self, index: usize) {
        if let Some(pacing) = self.pacing() {
            pacing.queue.borrow_mut().cancel(index);
            pacing.wake.ring();
        }
        if let Some(running) = self.runs.with_value(|r| r.get(index).and_then(|r| r.job())) {
            if running.job.with_untracked(Job::can_cancel) {
                running.cancel();
            }
        }
    }

    /// "Cancel all": every run that has not ended. The core's queue drops
    /// the runs not sent yet (no call) and marks the ones out for a cancel
    /// at fal; each run's own job then ends or sends its cancel.
    pub fn cancel_all(&self) {
        if let Some(pacing) = self.pacing() {
            pacing.queue.borrow_mut().cancel_all();
            pacing.wake.ring();
        }
        for running in self.jobs() {
            if running.job.with_untracked(Job::can_cancel) {
                running.cancel();
            }
        }
    }
}
