//! The job history in this browser's `localStorage`, through leptos-use's
//! storage hook: a reactive [`History`] that the History panel reads, that
//! the job runner writes before it follows a job, and that other tabs see
//! change (the hook listens to the `storage` event).
//!
//! Why localStorage rather than IndexedDB: a write lands within the task
//! that made the change, before the browser handles any answer or unload,
//! so "written before following" holds without awaiting anything; the
//! records are small (see [`HISTORY_CAP`]); and the hook costs a few KB of
//! wasm where an IndexedDB wrapper costs tens. Videos, which are large, go
//! to Cache Storage instead (`video_cache`).
//!
//! All decisions (migration, eviction, merging) are the core's [`History`].

use codee::{Decoder, Encoder};
use leptos::prelude::*;
use leptos_use_storage::{use_local_storage_with_options, UseStorageError, UseStorageOptions};

use crate::core::history::file::ImportedFile;
use crate::core::history::records::{History, MergeReport, RemoveRefused, HISTORY_CAP};
use crate::core::history::set_aside::set_aside;
use crate::core::job::record::JobRecord;
use crate::web::local_storage;
use crate::web::timer::now_ms;

/// The storage key, as issue 7 first wrote it: a JSON list of versioned
/// records (the version lives in each record, not in the key).
pub const STORAGE_KEY: &str = "wan-r2v-studio.jobs.v1";

/// Reads and writes the stored list with the core's migration rules.
pub struct HistoryCodec;

impl Encoder<History> for HistoryCodec {
    type Error = ();
    type Encoded = String;

    fn encode(history: &History) -> Result<String, ()> {
        Ok(history.to_stored())
    }
}

impl Decoder<History> for HistoryCodec {
    type Error = ();
    type Encoded = str;

    fn decode(text: &str) -> Result<History, ()> {
        History::from_stored(text).map_err(|_| ())
    }
}

/// The history and what changes it. All fields are arena handles: `Copy`.
#[derive(Clone, Copy)]
pub struct HistoryStore {
    history: Signal<History>,
    set_history: WriteSignal<History>,
    /// True when the browser refused the last write (storage full or
    /// disabled): a reload would lose what changed since.
    pub refused: RwSignal<bool>,
    /// Said once when the stored history could not be read at all.
    pub notice: RwSignal<Option<String>>,
    /// Video URLs with a copy kept in this browser; those jobs are not
    /// evicted either (the person chose to keep them).
    pub kept_videos: RwSignal<Vec<String>>,
    /// False when the browser offers no storage at all (then nothing is
    /// ever written, and `refused` stays true).
    available: bool,
}

impl HistoryStore {
    /// The page's history. Must be created inside a component (the hook's
    /// listeners live as long as its owner).
    pub fn new() -> Self {
        Self::with_key(STORAGE_KEY)
    }

    /// A history under another key, so browser tests do not share one.
    pub fn with_key(key: &'static str) -> Self {
        let notice = RwSignal::new(set_aside_if_unreadable(key));
        let available = local_storage::available();
        let refused = RwSignal::new(!available);
        let options = UseStorageOptions::<History, (), (), _>::default().on_error(move |error| {
            if matches!(error, UseStorageError::SetItemFailed(_)) {
                refused.try_set(true);
            }
        });
        let (history, set_history, _) =
            use_local_storage_with_options::<History, HistoryCodec>(key, options);
        Self {
            history,
            set_history,
            refused,
            notice,
            kept_videos: RwSignal::new(Vec::new()),
            available,
        }
    }

    /// The history, for reading in views and effects.
    pub fn history(&self) -> Signal<History> {
        self.history
    }

    /// Writes `record` (new, or an update of a stored one). Older finished
    /// jobs past the cap are dropped; see [`History::upsert`].
    pub fn save(&self, record: &JobRecord) {
        // Optimistic: the hook's error callback sets it back if the write fails.
        if self.available && self.refused.get_untracked() {
            self.refused.set(false);
        }
        let keep = self.keep_rule();
        self.set_history
            .update(|h| drop(h.upsert(record.clone(), HISTORY_CAP, &keep)));
    }

    /// Deletes one finished job.
    pub fn remove(&self, id: &str) -> Result<JobRecord, RemoveRefused> {
        let mut outcome = Err(RemoveRefused::NotFound);
        self.set_history.update(|h| outcome = h.remove(id));
        outcome
    }

    /// "Clear all": every finished job goes; running ones stay.
    pub fn clear_finished(&self) -> Vec<JobRecord> {
        let mut removed = Vec::new();
        self.set_history.update(|h| removed = h.clear_finished());
        removed
    }

    /// Merges an imported file in.
    pub fn import(&self, file: &ImportedFile) -> MergeReport {
        let keep = self.keep_rule();
        let mut report = MergeReport::default();
        self.set_history.update(|h| {
            report = h.merge(file.records.clone(), HISTORY_CAP, &keep);
            h.keep_unread(file.newer.clone());
        });
        report
    }

    fn keep_rule(&self) -> impl Fn(&JobRecord) -> bool {
        let kept = self.kept_videos.get_untracked();
        move |record: &JobRecord| {
            record
                .output
                .as_ref()
                .is_some_and(|o| kept.contains(&o.video.url))
        }
    }
}

impl Default for HistoryStore {
    fn default() -> Self {
        Self::new()
    }
}

/// A stored history that cannot be read would be overwritten by the first
/// write: the core says where to copy it first, and the notice to show.
fn set_aside_if_unreadable(key: &str) -> Option<String> {
    let text = local_storage::get(key)?;
    let aside = set_aside(key, &text, now_ms())?;
    if !local_storage::set(&aside.backup_key, &text) || !local_storage::remove(key) {
        return None;
    }
    Some(aside.notice)
}
