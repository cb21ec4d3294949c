//! "Edit and rerun": loads a job's inputs into the form, so the person can
//! change them and generate again. Offered after a result, a failure, a
//! cancel, and on every history entry.

use leptos::prelude::*;

use crate::core::model::schema::R2vInput;
use crate::ui::form::handle::FormHandle;

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

/// After the form was loaded at the person's request ("Edit and rerun",
/// "Use these settings"): brings the request form into view with focus on
/// its prompt, so they land where the change happened.
pub fn show_loaded_form(form: FormHandle) {
    form.focus();
    if let Some(el) = document().get_element_by_id("request") {
        el.scroll_into_view();
    }
}
