//! A job's upload phase: its local files, one after another in list order,
//! each shown on its reference item and summed up in the job panel.
//!
//! Uploads start at Generate, not when a file is added: nothing is stored
//! on fal for a file the person removes, refuses or replaces, and the
//! connection (proxy or own key, which decides whose storage it lands in)
//! is settled by then. A file uploaded once keeps its URL on its reference,
//! so the next Generate and a reload send it by URL without uploading again.

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{AbortSignal, File};

use super::board::{UploadBatch, UploadBoard};
use super::file::upload_file;
use crate::core::fal::error::FalError;
use crate::core::fal::route::Route;
use crate::core::form::state::FormRequest;
use crate::core::form::trim::TrimRange;
use crate::core::job::display::UPLOAD_CANCELLED_NOTE;
use crate::core::job::state::{Job, JobEvent};
use crate::core::media::trimmed_file_name;
use crate::core::upload::file_status::combined_progress;
use crate::core::upload::plan::part_concurrency;
use crate::core::upload::problem::job_error;
use crate::core::upload::upload_step::Ended;
use crate::ui::job::running_job::RunningJob;
use crate::web::media_trim::{read_index, trimmed_file};
use crate::web::upload::part_concurrency_setting;

/// Uploads the files `request` still needs, filling in their URLs. Returns
/// false when the job ended here (cancelled, or an upload failed) and must
/// not be submitted.
pub async fn upload_references(
    running: RunningJob,
    request: &mut FormRequest,
    batch: &UploadBatch,
    route: &Route,
) -> bool {
    // The history says which part of which file each trimmed video was.
    running.record.update(|r| r.trims = request.trims.clone());
    if request.uploads.is_empty() {
        return true;
    }
    let board = batch.board;
    let uploads = request.uploads.clone();
    running.apply(JobEvent::UploadsStarted {
        total: uploads.len(),
    });
    let files: Vec<_> = uploads
        .iter()
        .map(|u| (u.reference, u.file.clone()))
        .collect();
    let stoppers = board.begin(&files);
    let _cancel_link = JobCancelLink::new(running, board);
    let concurrency = part_concurrency(part_concurrency_setting().as_deref());

    for (upload, stopper) in uploads.iter().zip(stoppers) {
        if running.job.with_untracked(Job::is_finished) || stopper.cancelled() {
            return cancelled(running, board);
        }
        let Some(file) = batch.file(upload.reference) else {
            board.drop_waiting();
            running.apply(JobEvent::Failed(FalError::malformed(format!(
                "the file for {} is no longer available; add it again",
                upload.label
            ))));
            return false;
        };
        let trimmed;
        let file = match upload.trim {
            None => file,
            Some(range) => match cut(file, &upload.file.name, range).await {
                Ok(cut) => {
                    trimmed = cut;
                    &trimmed
                }
                Err(why) => {
                    board.drop_waiting();
                    running.apply(JobEvent::Failed(FalError::malformed(format!(
                        "{} could not be trimmed: {why}",
                        upload.label
                    ))));
                    return false;
                }
            },
        };
        let id = upload.reference;
        let show = move |state| {
            board.show(id, state);
            let summary = combined_progress(&board.all_untracked());
            let _ = running.upload_progress.try_set(summary);
        };
        match upload_file(file, route, concurrency, &stopper, show).await {
            Ok(url) => {
                request.fill_upload(id, &url);
                match upload.trim {
                    Some(range) => board.record_trim_uploaded(id, &upload.file, range, &url),
                    None => board.record_uploaded(id, &upload.file, &url),
                }
                running.apply(JobEvent::UploadFinished);
            }
            Err(Ended::Cancelled) => return cancelled(running, board),
            Err(Ended::Failed(problem)) => {
                board.drop_waiting();
                running.apply(JobEvent::Failed(job_error(
                    &upload.label.to_string(),
                    &problem,
                )));
                return false;
            }
        }
    }
    running.upload_progress.set(None);
    // The record keeps the URLs that go to fal, so "Edit and rerun" and the
    // history send them again instead of empty slots.
    running.record.update(|r| r.input = request.input.clone());
    true
}

/// The trimmed file for `range` of `original`: its header is read again
/// (a few small reads) and planned as the form planned it, and the file is
/// the new header plus slices of the original, so the original is never
/// read whole.
async fn cut(original: &File, name: &str, range: TrimRange) -> Result<File, String> {
    let index = read_index(original).await.map_err(|e| e.message())?;
    let plan = index
        .plan(range.start_seconds(), range.end_seconds())
        .map_err(|refusal| refusal.message())?;
    let name = trimmed_file_name(name, range.start_seconds(), range.end_seconds());
    trimmed_file(original, &plan, &name)
        .map_err(|_| "the browser could not assemble the trimmed file".to_string())
}

/// Ends the job after a cancel: nothing reached fal's queue.
fn cancelled(running: RunningJob, board: UploadBoard) -> bool {
    board.cancel_all();
    if !running.job.with_untracked(Job::is_finished) {
        running.cancel_note.set(Some(UPLOAD_CANCELLED_NOTE.into()));
        running.apply(JobEvent::CancelRequested);
    }
    false
}

/// The job's own Cancel stops every upload at once: the job's alarm aborts
/// its request controller when Cancel is pressed, and this listens for it.
struct JobCancelLink {
    signal: AbortSignal,
    _hook: Closure<dyn FnMut()>,
}

impl JobCancelLink {
    fn new(running: RunningJob, board: UploadBoard) -> Self {
        let controller = running.alarm.with_value(|alarm| alarm.request_controller());
        let signal = controller.signal();
        let hook = Closure::<dyn FnMut()>::new(move || board.cancel_all());
        signal.set_onabort(Some(hook.as_ref().unchecked_ref()));
        Self {
            signal,
            _hook: hook,
        }
    }
}

impl Drop for JobCancelLink {
    fn drop(&mut self) {
        self.signal.set_onabort(None);
    }
}
