//! What can be done with one history entry: "Open", "Check again", "Edit
//! and rerun", "Compare", "Delete" (confirmed first) and the kept copy.

use leptos::prelude::*;

use super::kept_line::KeptLine;
use super::live_jobs::LiveJobs;
use super::panel_state::HistoryPanelState;
use crate::core::history::entry::video_file_name;
use crate::core::job::record::JobRecord;
use crate::core::model::schema::R2vInput;
use crate::ui::common::{EditAndRerun, SmallButton};
use crate::ui::connection::ConnectionContext;

/// Which of the actions the entry's record allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offered {
    pub open: bool,
    pub check_again: bool,
    pub compare: bool,
    pub delete: bool,
}

/// The entry's row of actions.
#[component]
pub fn EntryActions(
    record: JobRecord,
    offered: Offered,
    /// The entry's video, already checked to be a web URL.
    video: Option<String>,
    /// "Delete" asks first: set while the question shows.
    confirming: RwSignal<bool>,
    /// Set when "Open" or "Check again" needs a key nobody entered yet.
    needs_key: RwSignal<bool>,
    /// "Edit and rerun": loads the inputs into the form.
    rerun: Callback<R2vInput>,
) -> impl IntoView {
    let jobs = LiveJobs::expect();
    let panel = HistoryPanelState::expect();
    let connection = ConnectionContext::expect();
    let open = {
        let record = record.clone();
        Callback::new(move |()| {
            if jobs.open(&record) {
                scroll_to("job");
            } else {
                needs_key.set(true);
            }
        })
    };
    let check_again = {
        let record = record.clone();
        Callback::new(move |()| {
            if jobs.check_again(&record, connection) {
                scroll_to("job");
            } else {
                needs_key.set(true);
            }
        })
    };
    let compared = {
        let id = record.id.clone();
        move || panel.is_compared(&id)
    };
    let toggle = {
        let id = record.id.clone();
        move |_| panel.toggle_compare(&id)
    };
    let file_name = video_file_name(&record);
    let kept = panel.kept;
    view! {
        <div class="history-item-actions">
            {offered.open.then(|| view! { <SmallButton label="Open" on_press=open/> })}
            {offered.check_again.then(|| view! { <SmallButton label="Check again" on_press=check_again/> })}
            <EditAndRerun input=record.input small=true rerun/>
            {offered.compare.then(|| view! {
                <label class="history-compare-toggle">
                    <input type="checkbox" prop:checked=compared on:change=toggle/>
                    "Compare"
                </label>
            })}
            {offered.delete.then(|| view! {
                <SmallButton label="Delete" on_press=Callback::new(move |()| confirming.set(true))/>
            })}
            {video.filter(|_| kept.supported).map(|url| view! { <KeptLine url file_name/> })}
        </div>
    }
}

/// "Delete this job from the history?", shown after "Delete".
#[component]
pub fn DeleteConfirm(
    /// The job's id.
    id: String,
    confirming: RwSignal<bool>,
) -> impl IntoView {
    let panel = HistoryPanelState::expect();
    view! {
        <div class="history-confirm" role="group" aria-label="Delete this job"
            hidden=move || !confirming.get()>
            <p>"Delete this job from the history? A kept copy of its video is deleted too."</p>
            <SmallButton label="Delete it" danger=true
                on_press=Callback::new(move |()| panel.delete(&id))/>
            <SmallButton label="Keep it" on_press=Callback::new(move |()| confirming.set(false))/>
        </div>
    }
}

fn scroll_to(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        el.scroll_into_view();
    }
}
