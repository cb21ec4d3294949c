//! A reference file's upload, on its item: a progress bar with bytes and
//! speed while it goes, "Cancel upload", and what became of it.

use leptos::prelude::*;

use super::context::use_form;
use crate::core::form::references::ReferenceId;
use crate::core::form::references::ReferenceSource;
use crate::core::upload::file_status::{FileUpload, UploadStage};

/// Shows nothing until the reference's file is part of a Generate (or was
/// uploaded before).
#[component]
pub fn UploadStatus(
    /// The reference whose file this is.
    id: ReferenceId,
    /// What the item is called ("Video 1", or the file's name), for the
    /// progress bar's and the button's accessible descriptions.
    #[prop(into)]
    subject: Signal<String>,
) -> impl IntoView {
    let ctx = use_form();
    let upload = Memo::new(move |_| {
        let file = ctx
            .state
            .with(|s| match s.references.get(id).map(|r| &r.source) {
                Some(ReferenceSource::File(file)) => Some(file.clone()),
                _ => None,
            })?;
        ctx.uploads.get(id, &file)
    });
    let uploaded_before = move || {
        ctx.state.with(|s| {
            s.references
                .get(id)
                .is_some_and(|r| r.uploaded_url.is_some())
        })
    };
    let with = move |read: fn(&FileUpload) -> bool| upload.with(|u| u.as_ref().is_some_and(read));
    let text = move || match upload.get() {
        Some(upload) => upload.status_text(),
        None if uploaded_before() => "Uploaded to fal".into(),
        None => String::new(),
    };
    let problem =
        move || with(|u| matches!(u.stage, UploadStage::Failed(_) | UploadStage::Cancelled));
    let percent = move || upload.with(|u| u.as_ref().map_or(0, |u| u.progress.percent()));
    let note = move || upload.with(|u| u.as_ref().and_then(|u| u.note.clone()));
    let status_id = ctx.id(&format!("ref-{}-upload", id.0));

    view! {
        <div class="ref-upload" hidden=move || upload.with(Option::is_none) && !uploaded_before()>
            <progress
                class="ref-upload-bar"
                max="100"
                value=percent
                hidden=move || !with(FileUpload::shows_progress)
                aria-label=move || format!("Upload of {}", subject.get())
                aria-describedby=status_id.clone()
            ></progress>
            <p
                id=status_id.clone()
                class="ref-upload-status"
                class:is-error=problem
                class:is-done=move || with(|u| matches!(u.stage, UploadStage::Done { .. })) || (upload.with(Option::is_none) && uploaded_before())
                role=move || problem().then_some("alert")
            >
                {text}
            </p>
            <p class="ref-upload-note" hidden=move || note().is_none()>{move || note().unwrap_or_default()}</p>
            <button
                type="button"
                class="button button-small ref-upload-cancel"
                hidden=move || !with(FileUpload::is_active)
                aria-describedby=status_id
                title=move || format!("Stop uploading {}; the job will not be sent", subject.get())
                on:click=move |_| ctx.uploads.cancel(id)
            >
                "Cancel upload"
            </button>
        </div>
    }
}
