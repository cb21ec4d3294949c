//! Where each reference file's upload stands, shared by the job that runs
//! the uploads and the form that shows them on the reference items (with
//! "Cancel upload").

use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::core::form::references::ReferenceId;
use crate::core::form::state::FormState;
use crate::core::form::trim::TrimRange;
use crate::core::model::reference_media::LocalFile;
use crate::core::upload::file_status::{FileUpload, UploadStage};
use crate::web::upload::stop::Stopper;

/// One form's uploads. All fields are arena handles, so it is `Copy`.
#[derive(Clone, Copy)]
pub struct UploadBoard {
    /// Each file of the last Generate, with the file it was (an entry given
    /// another file since shows nothing of the old one's upload).
    entries: RwSignal<HashMap<ReferenceId, (LocalFile, FileUpload)>>,
    stoppers: StoredValue<HashMap<ReferenceId, Rc<Stopper>>, LocalStorage>,
    /// The form whose references get the uploaded URLs.
    form: RwSignal<FormState>,
}

impl UploadBoard {
    /// A board for the form held in `form`.
    pub fn new(form: RwSignal<FormState>) -> Self {
        Self {
            entries: RwSignal::new(HashMap::new()),
            stoppers: StoredValue::new_local(HashMap::new()),
            form,
        }
    }

    /// The upload of `file` as `id`'s file, if it was part of the last
    /// Generate (tracked: the item re-renders as it moves).
    pub fn get(&self, id: ReferenceId, file: &LocalFile) -> Option<FileUpload> {
        self.entries.with(|e| {
            e.get(&id)
                .filter(|(uploaded, _)| uploaded == file)
                .map(|(_, upload)| upload.clone())
        })
    }

    pub(super) fn all_untracked(&self) -> Vec<FileUpload> {
        self.entries
            .try_with_untracked(|e| e.values().map(|(_, upload)| upload.clone()).collect())
            .unwrap_or_default()
    }

    /// "Cancel upload" on an item: aborts that file's requests now. The job
    /// cannot be sent without the file, so it stops too, and with it any
    /// other file still uploading or waiting (files already uploaded keep
    /// their URL for the next Generate).
    pub fn cancel(&self, id: ReferenceId) {
        let stopper = self.stoppers.with_value(|s| s.get(&id).cloned());
        if let Some(stopper) = stopper {
            stopper.cancel();
        }
        self.cancel_all();
    }

    /// The job's Cancel: every file still uploading or waiting stops.
    pub fn cancel_all(&self) {
        let stoppers: Vec<(ReferenceId, Rc<Stopper>)> = self
            .stoppers
            .with_value(|s| s.iter().map(|(id, s)| (*id, s.clone())).collect());
        for (id, stopper) in stoppers {
            stopper.cancel();
            self.mark_cancelled(id);
        }
    }

    fn mark_cancelled(&self, id: ReferenceId) {
        self.entries.update(|e| {
            if let Some((_, entry)) = e.get_mut(&id).filter(|(_, entry)| entry.is_active()) {
                entry.stage = UploadStage::Cancelled;
                entry.note = None;
            }
        });
    }

    /// An empty batch, for the files of one Generate.
    pub fn batch(&self) -> UploadBatch {
        UploadBatch {
            board: *self,
            files: Vec::new(),
        }
    }

    /// A new job's files, each waiting: earlier entries go (their outcome
    /// belonged to the previous Generate). Returns each file's stop switch.
    /// Called by the job's upload phase (and by tests, to drive the items).
    pub fn begin(&self, files: &[(ReferenceId, LocalFile)]) -> Vec<Rc<Stopper>> {
        let stoppers: Vec<Rc<Stopper>> = files.iter().map(|_| Rc::default()).collect();
        self.stoppers.set_value(
            files
                .iter()
                .zip(&stoppers)
                .map(|((id, _), stopper)| (*id, stopper.clone()))
                .collect(),
        );
        self.entries.set(
            files
                .iter()
                .map(|(id, file)| (*id, (file.clone(), FileUpload::waiting(file.size))))
                .collect(),
        );
        stoppers
    }

    /// Shows where `id`'s upload stands now (from the upload phase, or a
    /// test).
    pub fn show(&self, id: ReferenceId, upload: FileUpload) {
        let _ = self.entries.try_update(|e| {
            // A cancel already shown stays shown.
            if let Some((_, entry)) = e.get_mut(&id).filter(|(_, entry)| entry.is_active()) {
                *entry = upload;
            }
        });
    }

    /// Forgets the entries of files that were never started (the job
    /// ended before their turn), so their items show nothing stale.
    pub(super) fn drop_waiting(&self) {
        let _ = self.entries.try_update(|e| {
            e.retain(|_, (_, upload)| upload.stage != UploadStage::Waiting);
        });
    }

    /// Keeps `url` on the reference, so the next Generate (and a reload)
    /// sends it by URL instead of uploading it again. Called by the upload
    /// phase (and by tests).
    pub fn record_uploaded(&self, id: ReferenceId, file: &LocalFile, url: &str) {
        let _ = self
            .form
            .try_update(|form| form.references.record_upload(id, file, url));
    }
}

impl UploadBoard {
    /// Keeps the URL of an uploaded trim on the reference, so the same
    /// range of the same original is not uploaded again.
    pub fn record_trim_uploaded(
        &self,
        id: ReferenceId,
        original: &LocalFile,
        range: TrimRange,
        url: &str,
    ) {
        let _ = self
            .form
            .try_update(|form| form.references.record_trim_upload(id, original, range, url));
    }
}

/// The files one Generate still has to upload, and the board their
/// progress shows on.
#[derive(Clone)]
pub struct UploadBatch {
    pub board: UploadBoard,
    /// `File` handles are `!Send`; the wrapper lets the batch travel
    /// through Leptos signals and callbacks on the page's one thread.
    files: Vec<(ReferenceId, SendWrapper<web_sys::File>)>,
}

impl UploadBatch {
    /// Adds the browser file behind `entry.0`.
    pub fn push(&mut self, entry: (ReferenceId, SendWrapper<web_sys::File>)) {
        self.files.push(entry);
    }

    /// The file behind `id`, if it was added.
    pub fn file(&self, id: ReferenceId) -> Option<&web_sys::File> {
        self.files
            .iter()
            .find(|(reference, _)| *reference == id)
            .map(|(_, file)| &**file)
    }

    /// How many files the batch holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when there is nothing to upload.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
