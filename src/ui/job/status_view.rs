//! A job on its way: where it is in fal's queue, how long it has run, its
//! logs, and Cancel.

use leptos::prelude::*;

use super::running_job::RunningJob;
use super::{elapsed::use_elapsed_seconds, log_view::LogView, notify_toggle::NotifyToggle};
use crate::core::job::display::{status_line, trouble_text};
use crate::core::job::state::JobState;

/// Live status of an unfinished job.
#[component]
pub fn StatusView(
    /// The job being followed.
    running: RunningJob,
    /// Whether to notify on completion (kept by the panel).
    notify: RwSignal<bool>,
) -> impl IntoView {
    let elapsed = use_elapsed_seconds(running.running_since_ms.into());
    let line = move || running.job.with(|job| status_line(job, elapsed.get()));
    let position = move || match running.job.with(|j| j.state.clone()) {
        // Position 0 is "next", which the status line already says.
        JobState::InQueue { position: Some(n) } if n > 0 => Some(n),
        _ => None,
    };
    let can_cancel = move || running.job.with(|j| j.can_cancel());
    let request_id = move || {
        running
            .job
            .with(|j| j.request.as_ref().map(|r| r.request_id.clone()))
    };
    let logs = Signal::derive(move || running.job.with(|j| j.logs.clone()));
    // The upload phase: every file as one progress, with bytes and speed.
    let uploads = move || running.upload_progress.get();

    view! {
        <div class="job-status">
            <div class="job-status-head">
                // While files upload, their own bar below says how far it is.
                <div class="job-progress" aria-hidden="true" hidden=move || uploads().is_some()><span class="job-progress-bar"></span></div>
                // Not a live region: it counts the seconds. The page's job
                // announcer (ui/app.rs) says what changes.
                <p class="job-status-line">{line}</p>
                {move || position().map(|n| view! {
                    <p class="queue-position">
                        <span class="queue-number">{n}</span>
                        <span class="queue-label">{if n == 1 { " job ahead of yours" } else { " jobs ahead of yours" }}</span>
                    </p>
                })}
            </div>
            <div class="job-upload" hidden=move || uploads().is_none()>
                <progress
                    class="job-upload-bar"
                    max="100"
                    value=move || uploads().map_or(0, |p| p.percent())
                    aria-label="Uploading references"
                ></progress>
                <p class="job-upload-summary">{move || uploads().map(|p| p.describe()).unwrap_or_default()}</p>
            </div>
            {move || running.trouble.get().map(|message| view! {
                <p class="job-trouble" role="status">{running.job.with(|job| trouble_text(job, &message))}</p>
            })}
            {move || running.cancel_note.get().map(|note| view! { <p class="job-note" role="status">{note}</p> })}
            <Show when=move || running.not_stored.get()>
                <p class="job-trouble" role="alert">
                    "This browser refused to store the job, so keep this tab open until the video is ready."
                </p>
            </Show>
            <div class="job-actions">
                <Show when=can_cancel>
                    <button type="button" class="button button-secondary" on:click=move |_| running.cancel()>
                        "Cancel"
                    </button>
                </Show>
                <NotifyToggle enabled=notify/>
            </div>
            {move || request_id().map(|id| view! {
                <p class="job-request-id">"fal request id " <code>{id}</code></p>
            })}
            <LogView logs/>
        </div>
    }
}
