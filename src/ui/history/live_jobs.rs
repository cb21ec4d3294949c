//! Every job this page is following or showing, and which one the Status
//! and result panel shows. Several can run at once: each Generate adds one,
//! and after a reload every unfinished job in the history is followed again.

use leptos::prelude::*;

use crate::core::batch::batch_id::BatchId;
use crate::core::history::batches::{newest_unfinished_batch, runs_in_order};
use crate::core::job::record::JobRecord;
use crate::ui::batch::{LiveBatch, RunSlot};
use crate::ui::connection::ConnectionContext;
use crate::ui::history::store::HistoryStore;
use crate::ui::job::runner as job_runner;
use crate::ui::job::running_job::RunningJob;

/// The page's jobs. `Copy`; the App provides it as context.
#[derive(Clone, Copy)]
pub struct LiveJobs {
    /// Where every job's record is written.
    pub store: HistoryStore,
    /// Jobs created on this page (followed, or opened from the history),
    /// kept so opening one again reuses it rather than starting a second
    /// follower.
    jobs: RwSignal<Vec<RunningJob>>,
    /// The job in the Status and result panel.
    pub current: RwSignal<Option<RunningJob>>,
    /// The batch in the Status and result panel ("Batch results"); shown
    /// instead of a single job.
    pub batch: RwSignal<Option<LiveBatch>>,
    /// The page's owner: jobs are made under it, not under the effect or
    /// handler that happens to create them, so they live as long as the page
    /// (an effect disposes what it made when it runs again).
    owner: StoredValue<Option<Owner>>,
}

impl LiveJobs {
    pub fn new(store: HistoryStore) -> Self {
        Self {
            store,
            jobs: RwSignal::new(Vec::new()),
            current: RwSignal::new(None),
            batch: RwSignal::new(None),
            owner: StoredValue::new(Owner::current()),
        }
    }

    /// The context provided by the app.
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// Shows a job just started (Generate) and keeps it.
    pub fn add_and_show(&self, running: RunningJob) {
        self.jobs.update(|jobs| jobs.push(running));
        self.batch.set(None);
        self.current.set(Some(running));
    }

    /// Shows a batch just started (Generate with variations) and keeps its
    /// runs.
    pub fn add_batch_and_show(&self, batch: LiveBatch) {
        self.jobs.update(|jobs| jobs.extend(batch.jobs()));
        self.current.set(None);
        self.batch.set(Some(batch));
    }

    /// Shows the batch `id` as the history holds it: each run this page
    /// follows live, each finished one as it ended, and a place for runs
    /// that never went out. False when the history has no run of it.
    pub fn show_batch(&self, id: &BatchId) -> bool {
        let records: Vec<Option<JobRecord>> = self.store.history().with_untracked(|h| {
            runs_in_order(h.records(), id)
                .into_iter()
                .map(|r| r.cloned())
                .collect()
        });
        if records.is_empty() {
            return false;
        }
        let mut captions = Vec::new();
        let mut slots = Vec::new();
        for record in records {
            let Some(record) = record else {
                captions.push(String::new());
                slots.push(RunSlot::NeverSent);
                continue;
            };
            captions.push(
                record
                    .batch
                    .as_ref()
                    .map(|b| b.caption.clone())
                    .unwrap_or_default(),
            );
            let running = self.find(&record.id).or_else(|| {
                let made = self.under_page(|| job_runner::show(record.clone(), self.store));
                if let Some(made) = made {
                    self.jobs.update(|jobs| jobs.push(made));
                }
                made
            });
            slots.push(match running {
                Some(running) => RunSlot::Job(running),
                None => RunSlot::Unknown,
            });
        }
        let batch = self.under_page(|| LiveBatch::shown(id.clone(), captions, slots));
        self.current.set(None);
        self.batch.set(Some(batch));
        true
    }

    fn under_page<T>(&self, make: impl FnOnce() -> T) -> T {
        match self.owner.get_value() {
            Some(owner) => owner.with(make),
            None => make(),
        }
    }

    /// The page's job for a record id, if there is one.
    pub fn find(&self, id: &str) -> Option<RunningJob> {
        self.jobs.with_untracked(|jobs| {
            jobs.iter()
                .copied()
                .find(|j| j.record.with_untracked(|r| r.id == id))
        })
    }

    /// True for the job the Status panel shows (tracks the selection).
    pub fn is_current(&self, id: &str) -> bool {
        self.current
            .with(|c| c.is_some_and(|j| j.record.with_untracked(|r| r.id == id)))
    }

    /// "Open": shows a history entry in the Status and result panel. A job
    /// this page follows is shown live; a finished one as it ended. False
    /// when there is nothing to show (see [`job_runner::show`]).
    pub fn open(&self, record: &JobRecord) -> bool {
        let running = match self.find(&record.id) {
            Some(running) => running,
            None => match self.under_page(|| job_runner::show(record.clone(), self.store)) {
                Some(running) => {
                    self.jobs.update(|jobs| jobs.push(running));
                    running
                }
                None => return false,
            },
        };
        self.batch.set(None);
        self.current.set(Some(running));
        true
    }

    /// "Check again" on a failed entry: follows it again and shows it.
    pub fn check_again(&self, record: &JobRecord, connection: ConnectionContext) -> bool {
        let Some(Ok(route)) = connection.route() else {
            return false;
        };
        let made = self.under_page(|| job_runner::follow_again(record.clone(), route, self.store));
        let Some(running) = made else {
            return false;
        };
        self.jobs.update(|jobs| {
            jobs.retain(|j| j.record.with_untracked(|r| r.id != record.id));
            jobs.push(running);
        });
        self.current.set(Some(running));
        true
    }

    /// Follows every unfinished job in the history that this page is not
    /// following yet: at start-up, when a key is entered (nothing can be
    /// asked of fal before), and when an import or another tab brings one.
    /// The newest is shown if the panel shows nothing.
    pub fn follow_unfinished(&self, connection: ConnectionContext) {
        let this = *self;
        Effect::new(move |_| {
            let Some(Ok(route)) = connection.route() else {
                return;
            };
            let unfinished: Vec<JobRecord> = this
                .store
                .history()
                .with(|h| h.unfinished().cloned().collect());
            for record in unfinished {
                if this.find(&record.id).is_some() {
                    continue;
                }
                let made =
                    this.under_page(|| job_runner::resume(record, route.clone(), this.store));
                if let Some(running) = made {
                    this.jobs.update(|jobs| jobs.push(running));
                    let shown = this.current.get_untracked().is_some()
                        || this.batch.get_untracked().is_some();
                    if !shown && running.record.with_untracked(JobRecord::shown_alone) {
                        this.current.set(Some(running));
                    }
                }
            }
            // A reload in the middle of a batch shows its grid again.
            let nothing_shown =
                this.current.get_untracked().is_none() && this.batch.get_untracked().is_none();
            if nothing_shown {
                let newest = this
                    .store
                    .history()
                    .with_untracked(|h| newest_unfinished_batch(h.records()));
                if let Some(id) = newest {
                    this.show_batch(&id);
                }
            }
        });
    }

    /// Forgets the page's copy of deleted jobs, and empties the Status
    /// panel if it showed one of them.
    pub fn forget(&self, ids: &[String]) {
        let gone = |j: &RunningJob| j.record.with_untracked(|r| ids.contains(&r.id));
        if self.current.get_untracked().is_some_and(|j| gone(&j)) {
            self.current.set(None);
        }
        self.jobs.update(|jobs| jobs.retain(|j| !gone(j)));
    }
}
