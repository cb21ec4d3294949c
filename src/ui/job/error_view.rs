//! A job that failed or was cancelled: what happened, in words, with the
//! request id for support, and the ways forward.

use leptos::prelude::*;

use super::JobActions;
use crate::core::fal::error::{FalError, FalErrorKind};
use crate::core::model::schema::R2vInput;
use crate::ui::common::EditAndRerun;

/// Why the job ended without a video.
#[component]
pub fn ErrorView(
    error: FalError,
    input: R2vInput,
    /// Known once fal accepted the job; then the job can be checked again.
    request_id: Option<String>,
    actions: JobActions,
    /// Follows the job again ("Check again").
    on_check_again: Callback<()>,
) -> impl IntoView {
    let message = error.message();
    let error_request_id = error.request_id.clone();
    let submit_unknown = request_id.is_none() && matches!(error.kind, FalErrorKind::Network(_));
    let can_check_again = request_id.is_some()
        && matches!(
            error.kind,
            FalErrorKind::Network(_)
                | FalErrorKind::Server { .. }
                | FalErrorKind::RateLimited
                | FalErrorKind::Malformed { .. }
        );
    let about_input = matches!(
        error.kind,
        FalErrorKind::Validation(_) | FalErrorKind::ContentPolicy(_)
    );
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
