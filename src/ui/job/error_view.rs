//! A job that failed or was cancelled: what happened, in words, with the
//! request id for support, and the ways forward.

use leptos::prelude::*;

use super::JobActions;
use crate::core::fal::error::FalError;
use crate::core::job::state::Job;
use crate::core::model::schema::R2vInput;
use crate::ui::common::EditAndRerun;

/// Why the job ended without a video.
#[component]
pub fn ErrorView(
    error: FalError,
    /// The failed job: what can be done next is its to say.
    job: Job,
    input: R2vInput,
    actions: JobActions,
    /// Follows the job again ("Check again").
    on_check_again: Callback<()>,
) -> impl IntoView {
    let message = error.message();
    let error_request_id = error.request_id.clone();
    let request_id = job.request.as_ref().map(|r| r.request_id.clone());
    let submit_unknown = job.submit_outcome_unknown();
    let can_check_again = job.can_check_again();
    let about_input = error.kind.is_about_input();
    view! {
        <div class="job-error" role="alert">
            <p class="job-error-title">"The job did not produce a video"</p>
            <p class="job-error-message">{message}</p>
            {submit_unknown.then(|| view! {
                <p class="field-hint">
                    "The connection dropped while the job was being sent, so fal may have received it. "
                    "Check your requests on fal's dashboard before generating again, so you are not billed twice."
                </p>
            })}
            {about_input.then(|| view! {
                <p class="field-hint">"The form shows what fal objected to, next to the field concerned."</p>
            })}
            // The message already quotes fal's id when the answer carried one.
            {request_id.clone().filter(|_| error_request_id.is_none()).map(|id| view! {
                <p class="job-request-id">"fal request id " <code>{id}</code></p>
            })}
            <div class="result-actions">
                {can_check_again.then(|| view! {
                    <button type="button" class="button button-primary" on:click=move |_| on_check_again.run(())>
                        "Check again"
                    </button>
                })}
                <EditAndRerun input rerun=actions.edit_and_rerun/>
            </div>
        </div>
    }
}
