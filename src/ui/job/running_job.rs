//! The live job the page shows and follows: its state and record as
//! signals, what the panel says about it, and the two things a person can
//! do to it while it runs (Cancel, and the browser coming back online).
//! Every change goes through the core's [`Job`] and is written to the
//! history when worth keeping.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::core::job::record::JobRecord;
use crate::core::job::state::{ImpossibleEvent, Job, JobEvent, JobState};
use crate::core::upload::progress::UploadProgress;
use crate::ui::history::store::HistoryStore;
use crate::web::timer::{now_ms, Alarm};

/// The live job the UI shows. All fields are arena handles, so it is `Copy`.
#[derive(Clone, Copy)]
pub struct RunningJob {
    pub job: RwSignal<Job>,
    pub record: RwSignal<JobRecord>,
    /// A read being retried ("fal is not answering; still trying").
    pub trouble: RwSignal<Option<String>>,
    /// What became of Cancel, in words.
    pub cancel_note: RwSignal<Option<String>>,
    /// When the first IN_PROGRESS status arrived, for the elapsed time.
    pub running_since_ms: RwSignal<Option<u64>>,
    /// All files of the upload phase as one progress (bytes, speed), for
    /// the "Uploading references" status; `None` outside that phase.
    pub upload_progress: RwSignal<Option<UploadProgress>>,
    /// True if the browser refused to store the job (a reload would lose it).
    /// Shared with the history store, which learns of refused writes.
    pub not_stored: RwSignal<bool>,
    /// Where the job's record is written.
    pub(crate) store: HistoryStore,
    /// Cut short by Cancel and by the browser coming back online, so a
    /// wait or a read in progress ends at once.
    pub(crate) alarm: StoredValue<SendWrapper<Alarm>>,
    /// Set when the browser came back online; the follow loop reads it.
    pub(crate) online: StoredValue<SendWrapper<Rc<Cell<bool>>>>,
}

impl RunningJob {
    /// A job with `record` as stored and `job` as it stands.
    pub(crate) fn new(record: JobRecord, job: Job, store: HistoryStore) -> Self {
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
    pub(crate) fn apply(&self, event: JobEvent) {
        self.change(|job| job.apply(event));
    }

    /// Ends this run of a batch the way `lead` ended ([`Job::end_like`]):
    /// the batch's upload, done through its first run, failed or was
    /// cancelled. A run already under way is left alone.
    pub(crate) fn end_like(&self, lead: &Job) {
        self.change(|job| job.end_like(lead));
    }

    /// One change through the core; refused ones change nothing.
    fn change(&self, next: impl FnOnce(Job) -> Result<Job, ImpossibleEvent>) {
        self.job.update(|job| {
            if let Ok(changed) = next(job.clone()) {
                *job = changed;
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
    pub(crate) fn persist(&self) {
        let job = self.job.get_untracked();
        let mut changed = false;
        self.record.update(|r| changed = r.observe(&job, now_ms()));
        if changed {
            self.save();
        }
    }

    /// Writes the record as it is.
    pub(crate) fn save(&self) {
        self.record.with_untracked(|r| self.store.save(r));
    }

    /// True once the job has ended one way or another.
    pub fn is_finished(&self) -> bool {
        self.job.with_untracked(Job::is_finished)
    }

    /// True once the person pressed Cancel (answered or not).
    pub fn cancel_requested(&self) -> bool {
        self.job
            .with_untracked(|j| j.cancel != crate::core::job::state::CancelState::NotRequested)
    }

    /// The person pressed Cancel: the job decides what that means now, and
    /// any wait or read in progress is cut short so it happens at once.
    pub fn cancel(&self) {
        self.apply(JobEvent::CancelRequested);
        self.alarm.with_value(|a| a.ring());
    }

    /// The browser is online again: retry now rather than after the backoff.
    /// A job whose page part is gone is left alone.
    pub fn poke(&self) {
        self.online.try_with_value(|o| o.set(true));
        self.alarm.try_with_value(|a| a.ring());
    }
}
