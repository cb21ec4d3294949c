//! One job in the History panel: its first frame, prompt, status, cost and
//! date, what became of it, and what can be done with it.
//!
//! An entry is built once from its record: the list is keyed by what can
//! change in a record (`core::history::entry::display_key`), so a job that moves on gets a new
//! entry rather than an in-place rebuild. Its structure never changes
//! afterwards (parts are shown and hidden), which keeps the wasm small:
//! every view that can be swapped in place ships a second, rebuilding copy.

use leptos::prelude::*;

use super::entry_actions::{DeleteConfirm, EntryActions, Offered};
use super::live_jobs::LiveJobs;
use super::thumbnail::Thumbnail;
use crate::core::history::entry::{
    can_compare, cost_text, outcome_note, prompt_excerpt, request_id_line, status_label,
    status_tone, title_element_id, video_url,
};
use crate::core::job::record::JobRecord;
use crate::core::model::schema::R2vInput;
use crate::web::{local_time, timer::now_ms};

/// One history entry.
#[component]
pub fn HistoryItem(
    /// The job as stored.
    record: JobRecord,
    /// "Edit and rerun": loads the inputs into the form.
    rerun: Callback<R2vInput>,
) -> impl IntoView {
    let jobs = LiveJobs::expect();
    let title_id = title_element_id(&record);
    let video = video_url(&record).map(str::to_owned);
    let note = outcome_note(&record, now_ms());
    let openable = record.openable();
    let can_check_again = record.can_check_again();
    let deletable = record.deletable();
    let comparable = can_compare(&record);
    let confirming = RwSignal::new(false);
    let needs_key = RwSignal::new(false);
    let is_current = {
        let id = record.id.clone();
        Memo::new(move |_| jobs.is_current(&id))
    };
    let request_id = request_id_line(&record, note.as_deref());
    let offered = Offered {
        open: openable,
        check_again: can_check_again,
        compare: comparable,
        delete: deletable,
    };
    let labelled_by = title_id.clone();
    let id = record.id.clone();

    view! {
        <article class="history-item" class:is-current=is_current aria-labelledby=labelled_by>
            <Thumbnail url=video.clone()/>
            <div class="history-item-body">
                <h3 class="history-item-title" id=title_id>{prompt_excerpt(&record.input.prompt, 90)}</h3>
                <EntryFacts record=record.clone() is_current/>
                {note.map(|n| view! { <p class="history-note">{n}</p> })}
                {request_id.map(|rid| view! {
                    <p class="history-request-id">"fal request id " <code>{rid}</code></p>
                })}
            </div>
            <div class="history-item-extra">
                <EntryActions record offered video confirming needs_key rerun/>
                {deletable.then(|| view! { <DeleteConfirm id confirming/> })}
                <p class="job-trouble" role="alert" hidden=move || !needs_key.get()>
                    {move || needs_key.get().then_some(
                        "Enter your fal key in the Connection panel first: the studio needs it to ask fal about this job."
                    )}
                </p>
            </div>
        </article>
    }
}

/// The entry's status, cost and date, and whether the Status and result
/// panel shows it.
#[component]
fn EntryFacts(record: JobRecord, is_current: Memo<bool>) -> impl IntoView {
    view! {
        <p class="history-item-meta">
            <span class=format!("history-status history-status-{}", status_tone(&record))>
                {status_label(&record)}
            </span>
            <span class="history-cost">{cost_text(&record)}</span>
            <time datetime=local_time::iso(record.created_at_ms)>
                {local_time::date_time(record.created_at_ms)}
            </time>
            <span class="history-current" hidden=move || !is_current.get()>
                "Shown in Status and result"
            </span>
        </p>
    }
}
