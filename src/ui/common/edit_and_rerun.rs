//! "Edit and rerun": loads a job's inputs into the form, so the person can
//! change them and generate again. Offered after a result, a failure, a
//! cancel, and on every history entry.

use leptos::prelude::*;

use crate::core::model::schema::R2vInput;

/// The button, as a secondary action.
#[component]
pub fn EditAndRerun(
    /// The job's inputs, as sent to fal.
    input: R2vInput,
    /// Loads them into the form (the page's `JobActions::edit_and_rerun`).
    rerun: Callback<R2vInput>,
    /// The small size, for a row of small buttons (a history entry).
    #[prop(optional)]
    small: bool,
) -> impl IntoView {
    let class = if small {
        "button button-secondary button-small"
    } else {
        "button button-secondary"
    };
    view! {
        <button type="button" class=class on:click=move |_| rerun.run(input.clone())>
            "Edit and rerun"
        </button>
    }
}
