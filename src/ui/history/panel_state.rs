//! What the History panel's parts share: the runs chosen for comparison,
//! whether the comparison is open, how many entries show, and the panel's
//! last message; with the methods its parts call (delete, clear, compare,
//! export, import). Provided as context by the panel.

use leptos::{prelude::*, task::spawn_local};

use super::kept_copies::KeptCopies;
use super::live_jobs::LiveJobs;
use crate::core::history::compare_choice::CompareChoice;
use crate::core::history::entry::video_url;
use crate::core::history::file::{check_import_size, export_file_name, export_json, read_export};
use crate::core::history::panel_text::{cleared, DELETED_ONE};
use crate::core::history::records::History;
use crate::core::job::record::JobRecord;
use crate::web::{text_file, timer::now_ms};

/// How many entries show at first, and how many more each "Show more"
/// adds: each entry loads its video's first frame.
pub const PAGE: usize = 20;

/// The panel's last word: a report, or a problem (said as an alert).
#[derive(Debug, Clone, PartialEq)]
pub enum PanelMessage {
    Done(String),
    Problem(String),
}

/// The panel's state and what its parts may do with it. `Copy`.
#[derive(Clone, Copy)]
pub struct HistoryPanelState {
    jobs: LiveJobs,
    /// The page's kept copies of videos.
    pub kept: KeptCopies,
    /// How many entries show.
    shown: RwSignal<usize>,
    /// The runs ticked for comparison.
    choice: RwSignal<CompareChoice>,
    /// The comparison is open.
    comparing: RwSignal<bool>,
    /// "Clear all" waits for its confirmation.
    confirming_clear: RwSignal<bool>,
    message: RwSignal<Option<PanelMessage>>,
    /// The chosen runs as the history holds them; a memo, so progress of
    /// other jobs does not restart the comparison's videos.
    compared_runs: Memo<Vec<JobRecord>>,
}

impl HistoryPanelState {
    pub fn new(jobs: LiveJobs, kept: KeptCopies) -> Self {
        let choice = RwSignal::new(CompareChoice::default());
        let history = jobs.store.history();
        Self {
            jobs,
            kept,
            shown: RwSignal::new(PAGE),
            choice,
            comparing: RwSignal::new(false),
            confirming_clear: RwSignal::new(false),
            message: RwSignal::new(None),
            compared_runs: Memo::new(move |_| choice.with(|c| history.with(|h| c.runs(h)))),
        }
    }

    /// The context provided by the panel.
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// The history (tracks it).
    pub fn history(&self) -> Signal<History> {
        self.jobs.store.history()
    }

    /// The entries on show (tracks the history and the page count).
    pub fn page(&self) -> Vec<JobRecord> {
        let shown = self.shown.get();
        self.history()
            .with(|h| h.records().iter().take(shown).cloned().collect())
    }

    /// Jobs behind "Show more" (tracks them).
    pub fn remaining(&self) -> usize {
        self.count().saturating_sub(self.shown.get())
    }

    /// "Show more": another page of entries.
    pub fn show_more(&self) {
        self.shown.update(|n| *n += PAGE);
    }

    /// Every job in the history (tracks it).
    pub fn count(&self) -> usize {
        self.jobs.store.history().with(|h| h.records().len())
    }

    /// The jobs "Clear all" would delete (tracks the history).
    pub fn finished_count(&self) -> usize {
        self.jobs
            .store
            .history()
            .with(|h| h.records().iter().filter(|r| !r.is_unfinished()).count())
    }

    /// The message's text if it is a problem (`true`) or a report (tracks it).
    pub fn message_text(&self, problem: bool) -> Option<String> {
        self.message.with(|m| match m {
            Some(PanelMessage::Problem(text)) if problem => Some(text.clone()),
            Some(PanelMessage::Done(text)) if !problem => Some(text.clone()),
            _ => None,
        })
    }

    /// "Clear all" was pressed: ask first.
    pub fn ask_to_clear(&self) {
        self.confirming_clear.set(true);
    }

    /// "Keep them": the question goes away.
    pub fn keep_all(&self) {
        self.confirming_clear.set(false);
    }

    /// Whether "Clear all" waits for its answer (tracks it).
    pub fn is_asking_to_clear(&self) -> bool {
        self.confirming_clear.get()
    }

    /// Deletes one job (already confirmed), with its kept copy.
    pub fn delete(&self, id: &str) {
        let Ok(record) = self.jobs.store.remove(id) else {
            return;
        };
        self.forget(std::slice::from_ref(&record));
        self.message
            .set(Some(PanelMessage::Done(DELETED_ONE.into())));
    }

    /// "Clear all" (already confirmed): every finished job goes.
    pub fn clear_finished(&self) {
        let removed = self.jobs.store.clear_finished();
        self.forget(&removed);
        self.comparing.set(false);
        self.confirming_clear.set(false);
        let running = self
            .jobs
            .store
            .history()
            .with_untracked(|h| h.records().len());
        self.message
            .set(Some(PanelMessage::Done(cleared(removed.len(), running))));
    }

    /// What deleted jobs leave behind: the page's copy, the choice, and
    /// their kept videos.
    fn forget(&self, removed: &[JobRecord]) {
        let ids: Vec<String> = removed.iter().map(|r| r.id.clone()).collect();
        self.jobs.forget(&ids);
        self.choice.update(|c| c.forget(&ids));
        for url in removed.iter().filter_map(video_url) {
            self.kept.forget(url.to_owned());
        }
    }

    /// Ticks or unticks a run for comparison; fewer than two closes it.
    pub fn toggle_compare(&self, id: &str) {
        self.choice.update(|c| c.toggle(id));
        if !self.choice.with_untracked(CompareChoice::is_enough) {
            self.comparing.set(false);
        }
    }

    /// Whether enough runs are ticked to compare (tracks the choice).
    pub fn can_compare(&self) -> bool {
        self.choice.with(CompareChoice::is_enough)
    }

    /// "3 runs chosen" (tracks the choice).
    pub fn chosen_text(&self) -> String {
        self.choice.with(CompareChoice::chosen_text)
    }

    /// "Compare selected".
    pub fn open_comparison(&self) {
        self.comparing.set(true);
    }

    /// "Close comparison".
    pub fn close_comparison(&self) {
        self.comparing.set(false);
    }

    /// The runs the open comparison shows; `None` while it is closed.
    pub fn comparison(&self) -> Option<Vec<JobRecord>> {
        self.comparing.get().then(|| self.compared_runs.get())
    }

    /// Whether `id` is ticked (tracks the choice).
    pub fn is_compared(&self, id: &str) -> bool {
        self.choice.with(|c| c.contains(id))
    }

    /// "Export history": the whole history as a file download.
    pub fn export(&self) {
        let now = now_ms();
        let text = self
            .jobs
            .store
            .history()
            .with_untracked(|h| export_json(h, now));
        if !text_file::save(&export_file_name(now), &text) {
            self.message.set(Some(PanelMessage::Problem(
                "The browser did not allow saving the file.".into(),
            )));
        }
    }

    /// "Import history": merges a file's jobs in and says what it did.
    pub fn import(&self, file: web_sys::File) {
        let this = *self;
        spawn_local(async move {
            let outcome = match check_import_size(file.size() as u64) {
                Err(too_large) => Err(too_large.to_string()),
                Ok(()) => match text_file::read(&file).await {
                    Ok((text, size)) => read_export(&text, size).map_err(|e| e.to_string()),
                    Err(problem) => Err(problem),
                },
            };
            let message = match outcome {
                Ok(imported) => match this.jobs.store.import(&imported) {
                    Ok(report) => PanelMessage::Done(imported.summary(&report)),
                    Err(refusal) => PanelMessage::Problem(refusal.to_string()),
                },
                Err(problem) => PanelMessage::Problem(problem),
            };
            this.message.try_set(Some(message));
        });
    }
}
