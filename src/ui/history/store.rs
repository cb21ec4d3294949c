//! The job history in this browser's `localStorage`: a reactive [`History`]
//! that the History panel reads, that the job runner writes before it
//! follows a job, and that follows other tabs' writes (the `storage` event).
//!
//! Why localStorage rather than IndexedDB: a write lands within the task
//! that made the change, before the browser handles any answer or unload,
//! so "written before following" holds without awaiting anything; the
//! records are small (see [`HISTORY_CAP`]). Videos, which are large, go to
//! Cache Storage instead (`video_cache`).
//!
//! Several tabs share the list. Every change is therefore applied to what
//! storage holds *now* (read, change, write, all in one task, so no other
//! tab's write can land in between) rather than to this tab's copy, which
//! may be a `storage` event behind; and a record only moves forward (see
//! `core::history::forward`). A stored value that cannot be read is never
//! written over: it is copied aside first, and if even that is refused the
//! history is not written at all.
//!
//! Reading the whole list for each change is skipped when storage still
//! holds exactly the text this tab last read or wrote ([`KnownText`]):
//! then this tab's copy is changed in place, and only serialized and
//! written (a status change of one job in a full history was a 20–40 ms
//! task, mostly parsing).
//!
//! All decisions (migration, eviction, merging) are the core's [`History`].

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::history::file::{ImportedFile, WouldNotFit};
use crate::core::history::known_text::KnownText;
use crate::core::history::records::{History, MergeReport, RemoveRefused, HISTORY_CAP};
use crate::core::history::set_aside::{set_aside, stuck_notice};
use crate::core::job::record::JobRecord;
use crate::web::timer::now_ms;
use crate::web::{local_storage, storage_persistence};

/// The storage key, as issue 7 first wrote it: a JSON list of versioned
/// records (the version lives in each record, not in the key).
pub const STORAGE_KEY: &str = "wan-r2v-studio.jobs.v1";

/// The history and what changes it. All fields are arena handles: `Copy`.
#[derive(Clone, Copy)]
pub struct HistoryStore {
    key: &'static str,
    history: RwSignal<History>,
    /// True when the browser refused the last write (storage full or
    /// disabled, or an unreadable history that could not be set aside):
    /// a reload would lose what changed since.
    pub refused: RwSignal<bool>,
    /// Said when the stored history could not be read.
    pub notice: RwSignal<Option<String>>,
    /// Video URLs with a copy kept in this browser; those jobs are not
    /// evicted either (the person chose to keep them).
    pub kept_videos: RwSignal<Vec<String>>,
    /// Whether the browser made this site's storage persistent: asked when
    /// the first job is saved; `None` before, or without the API (WebKit).
    pub persistent: RwSignal<Option<bool>>,
    asked_persistence: StoredValue<bool>,
    /// The stored text `history` stands for, when it stands for one.
    known: StoredValue<KnownText>,
}

/// What storage holds under the key right now.
enum Stored {
    /// A history, with the text it was read from (or nothing yet).
    Readable(Option<(History, String)>),
    /// Unreadable, and it could not be copied aside: it must not be
    /// overwritten. The notice says so.
    Stuck(String),
}

impl HistoryStore {
    /// The page's history. Must be created inside a component (its
    /// `storage` listener lives as long as its owner).
    pub fn new() -> Self {
        Self::with_key(STORAGE_KEY)
    }

    /// A history under another key, so browser tests do not share one.
    pub fn with_key(key: &'static str) -> Self {
        let notice = RwSignal::new(None);
        let refused = RwSignal::new(!local_storage::available());
        let known = StoredValue::new(KnownText::default());
        let initial = match read_stored(key, notice) {
            Stored::Readable(stored) => adopt(stored, known),
            Stored::Stuck(text) => {
                notice.set(Some(text));
                refused.set(true);
                History::default()
            }
        };
        let history = RwSignal::new(initial);
        // Another tab wrote: show its list. (Not fired for this tab's own writes.)
        let listener = window_event_listener(ev::storage, move |event: web_sys::StorageEvent| {
            if event.key().is_none_or(|k| k == key) {
                if let Stored::Readable(stored) = read_stored(key, notice) {
                    history.try_set(adopt(stored, known));
                }
            }
        });
        on_cleanup(move || listener.remove());
        let persistent = RwSignal::new(None);
        if !history.with_untracked(History::is_empty) {
            spawn_local(async move {
                persistent.try_set(storage_persistence::state().await);
            });
        }
        Self {
            key,
            history,
            refused,
            notice,
            kept_videos: RwSignal::new(Vec::new()),
            persistent,
            asked_persistence: StoredValue::new(false),
            known,
        }
    }

    /// The history, for reading in views and effects.
    pub fn history(&self) -> Signal<History> {
        self.history.into()
    }

    /// Writes `record` (new, or an update of a stored one). Older finished
    /// jobs past the cap are dropped; see [`History::upsert`].
    pub fn save(&self, record: &JobRecord) {
        let keep = self.keep_rule();
        if self.change(|h| drop(h.upsert(record.clone(), HISTORY_CAP, &keep))) {
            self.ask_persistence();
        }
    }

    /// Once per page, after a job is stored: asks the browser not to clear
    /// the history when space runs low (it is the only way to fetch a paid
    /// result later), and shows the answer.
    fn ask_persistence(&self) {
        if self.asked_persistence.get_value() {
            return;
        }
        self.asked_persistence.set_value(true);
        let persistent = self.persistent;
        spawn_local(async move {
            persistent.try_set(storage_persistence::ask().await);
        });
    }

    /// Deletes one finished job.
    pub fn remove(&self, id: &str) -> Result<JobRecord, RemoveRefused> {
        let mut outcome = Err(RemoveRefused::NotFound);
        self.change(|h| outcome = h.remove(id));
        outcome
    }

    /// "Clear all": every finished job goes; running ones stay.
    pub fn clear_finished(&self) -> Vec<JobRecord> {
        let mut removed = Vec::new();
        self.change(|h| removed = h.clear_finished());
        removed
    }

    /// Merges an imported file in, unless the result would not fit in
    /// storage: then nothing changes and the numbers say why.
    pub fn import(&self, file: &ImportedFile) -> Result<MergeReport, WouldNotFit> {
        let keep = self.keep_rule();
        let Stored::Readable(stored) = read_stored(self.key, self.notice) else {
            return Err(WouldNotFit {
                needed_chars: 0,
                stored_chars: local_storage::get(self.key).map_or(0, |t| t.len()),
                refused_by_browser: true,
            });
        };
        let (mut history, stored_chars) = match stored {
            Some((history, text)) => (history, text.len()),
            None => {
                let history = self.history.get_untracked();
                let chars = history.to_stored().len();
                (history, chars)
            }
        };
        let mut report = history.merge(file.records.clone(), HISTORY_CAP, &keep);
        report.newer_no_room = history.keep_unread(file.newer.clone(), HISTORY_CAP);
        let text = history.to_stored();
        if let Some(refusal) = WouldNotFit::check(text.len(), stored_chars) {
            return Err(refusal);
        }
        if !local_storage::set(self.key, &text) {
            return Err(WouldNotFit {
                needed_chars: text.len(),
                stored_chars,
                refused_by_browser: true,
            });
        }
        self.refused.set(false);
        self.known.update_value(|k| k.remember(text));
        self.history.set(history);
        Ok(report)
    }

    /// Applies `change` to the history as storage holds it now and writes
    /// the result back, in one task. Returns false when it was not stored.
    fn change(&self, change: impl FnOnce(&mut History)) -> bool {
        let stored = local_storage::get(self.key);
        if self.known.with_value(|k| k.matches(stored.as_deref())) {
            // Storage holds what this tab last read or wrote: change the
            // copy in place instead of parsing the same list again.
            let mut text = None;
            self.history.update(|history| {
                change(history);
                text = Some(history.to_stored());
            });
            // No text: the signal is gone (the page is closing), and an
            // empty write would erase the history.
            return text.is_some_and(|text| self.write(text));
        }
        let (mut history, may_write) = match read_text(self.key, stored, self.notice) {
            Stored::Readable(Some((stored, _))) => (stored, true),
            // Nothing stored (or no storage): this tab's copy is all there is.
            Stored::Readable(None) => (self.history.get_untracked(), true),
            Stored::Stuck(text) => {
                self.notice.set(Some(text));
                (self.history.get_untracked(), false)
            }
        };
        change(&mut history);
        let text = history.to_stored();
        self.history.set(history);
        if may_write {
            self.write(text)
        } else {
            self.known.update_value(KnownText::forget);
            self.refused.set(true);
            false
        }
    }

    /// Writes `text` (this tab's copy) under the key; on success the copy
    /// stands for it, otherwise for nothing (the next change reads again).
    fn write(&self, text: String) -> bool {
        let written = local_storage::set(self.key, &text);
        self.known.update_value(|k| {
            if written {
                k.remember(text);
            } else {
                k.forget();
            }
        });
        self.refused.set(!written);
        written
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

/// This tab's copy from what was read, standing for the text it came from.
fn adopt(stored: Option<(History, String)>, known: StoredValue<KnownText>) -> History {
    match stored {
        Some((history, text)) => {
            known.try_update_value(|k| k.remember(text));
            history
        }
        None => {
            known.try_update_value(KnownText::forget);
            History::default()
        }
    }
}

/// Reads the stored list.
fn read_stored(key: &str, notice: RwSignal<Option<String>>) -> Stored {
    read_text(key, local_storage::get(key), notice)
}

/// Reads `stored`, the text under `key`. An unreadable one would be
/// overwritten by the next write: the core says where to copy it first,
/// and the notice to show; when the copy is refused it stays where it is,
/// untouched.
fn read_text(key: &str, stored: Option<String>, notice: RwSignal<Option<String>>) -> Stored {
    let Some(text) = stored else {
        return Stored::Readable(None);
    };
    let Some(aside) = set_aside(key, &text, now_ms()) else {
        return Stored::Readable(History::from_stored(&text).ok().map(|h| (h, text)));
    };
    if local_storage::set(&aside.backup_key, &text) && local_storage::remove(key) {
        notice.try_set(Some(aside.notice));
        return Stored::Readable(None);
    }
    local_storage::remove(&aside.backup_key);
    Stored::Stuck(stuck_notice(key, text.len()))
}
