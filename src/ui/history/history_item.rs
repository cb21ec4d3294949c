//! One job in the History panel: its first frame, prompt, status, cost and
//! date, what became of it, and what can be done with it.
//!
//! An entry is built once from its record: the list is keyed by what can
//! change in a record ([`entry_key`]), so a job that moves on gets a new
//! entry rather than an in-place rebuild. Its structure never changes
//! afterwards (parts are shown and hidden), which keeps the wasm small:
//! every view that can be swapped in place ships a second, rebuilding copy.

use leptos::prelude::*;

use super::kept_copies::KeptCopies;
use super::live_jobs::LiveJobs;
use super::small_button::SmallButton;
use super::thumbnail::Thumbnail;
use crate::core::history::entry::{
    can_compare, cost_text, outcome_note, prompt_excerpt, status_label, status_tone, video_url,
};
use crate::core::job::record::{JobRecord, RecordStatus};
use crate::core::job::result_info::download_file_name;
use crate::core::model::byte_size::format_bytes;
use crate::ui::connection::ConnectionContext;
use crate::ui::job::JobActions;
use crate::web::{local_time, timer::now_ms};

/// What an entry can ask of the panel around it.
#[derive(Clone, Copy)]
pub struct ItemActions {
    /// Loads the inputs into the form ("Edit and rerun").
    pub job: JobActions,
    /// Adds or removes the entry from the comparison.
    pub toggle_compare: Callback<String>,
    /// The ids chosen for comparison.
    pub compared: Signal<Vec<String>>,
    /// Deletes the entry (already confirmed).
    pub delete: Callback<String>,
}

/// The list key of a record: it changes whenever the entry must show
/// something else.
pub fn entry_key(record: &JobRecord) -> String {
    format!(
        "{}|{:?}|{}|{}|{}",
        record.id,
        record.status,
        record.output.is_some(),
        record.request.is_some(),
        record.error.as_deref().unwrap_or_default()
    )
}

/// One history entry.
#[component]
pub fn HistoryItem(
    /// The job as stored.
    record: JobRecord,
    actions: ItemActions,
) -> impl IntoView {
    let jobs = LiveJobs::expect();
    let kept = expect_context::<KeptCopies>();
    let connection = ConnectionContext::expect();
    let id = record.id.clone();
    let title_id = format!("history-{}-title", id_fragment(&id));
    let video = video_url(&record).map(str::to_owned);
    let note = outcome_note(&record, now_ms());
    let openable = record.is_unfinished()
        || matches!(
            record.status,
            RecordStatus::Expired | RecordStatus::Cancelled
        )
        || video.is_some();
    let can_check_again = record.status == RecordStatus::Failed
        && record.request.is_some()
        && record.output.is_none();
    let deletable = !record.is_unfinished();
    let comparable = can_compare(&record);
    let confirming = RwSignal::new(false);
    let needs_key = RwSignal::new(false);
    let is_current = {
        let id = id.clone();
        Memo::new(move |_| jobs.is_current(&id))
    };
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
    let rerun = {
        let input = record.input.clone();
        Callback::new(move |()| actions.job.edit_and_rerun.run(input.clone()))
    };
    let delete = {
        let id = id.clone();
        Callback::new(move |()| actions.delete.run(id.clone()))
    };
    let toggle = {
        let id = id.clone();
        move |_| actions.toggle_compare.run(id.clone())
    };
    let compared = {
        let id = id.clone();
        move || actions.compared.with(|c| c.contains(&id))
    };
    let request_id = record
        .request
        .as_ref()
        .map(|r| r.request_id.clone())
        .filter(|rid| {
            record.status != RecordStatus::Completed
                && !note.as_deref().is_some_and(|n| n.contains(rid.as_str()))
        });
    let labelled_by = title_id.clone();
    let file_name = record.output.as_ref().map_or_else(String::new, |output| {
        download_file_name(output, request_id_of(&record))
    });

    view! {
        <article class="history-item" class:is-current=is_current aria-labelledby=labelled_by>
            <Thumbnail url=video.clone()/>
            <div class="history-item-body">
                <h3 class="history-item-title" id=title_id>{prompt_excerpt(&record.input.prompt, 90)}</h3>
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
                {note.map(|n| view! { <p class="history-note">{n}</p> })}
                {request_id.map(|rid| view! {
                    <p class="history-request-id">"fal request id " <code>{rid}</code></p>
                })}
            </div>
            <div class="history-item-extra">
                <div class="history-item-actions">
                    {openable.then(|| view! { <SmallButton label="Open" on_press=open/> })}
                    {can_check_again.then(|| view! { <SmallButton label="Check again" on_press=check_again/> })}
                    <SmallButton label="Edit and rerun" on_press=rerun/>
                    {comparable.then(|| view! {
                        <label class="history-compare-toggle">
                            <input type="checkbox" prop:checked=compared on:change=toggle/>
                            "Compare"
                        </label>
                    })}
                    {deletable.then(|| view! {
                        <SmallButton label="Delete" on_press=Callback::new(move |()| confirming.set(true))/>
                    })}
                    {video.filter(|_| kept.supported).map(|url| view! { <KeptLine url file_name kept/> })}
                </div>
                {deletable.then(|| view! {
                    <div class="history-confirm" role="group" aria-label="Delete this job"
                        hidden=move || !confirming.get()>
                        <p>"Delete this job from the history? A kept copy of its video is deleted too."</p>
                        <SmallButton label="Delete it" danger=true on_press=delete/>
                        <SmallButton label="Keep it" on_press=Callback::new(move |()| confirming.set(false))/>
                    </div>
                })}
                <p class="job-trouble" role="alert" hidden=move || !needs_key.get()>
                    {move || needs_key.get().then_some(
                        "Enter your fal key in the Connection panel first: the studio needs it to ask fal about this job."
                    )}
                </p>
            </div>
        </article>
    }
}

fn request_id_of(record: &JobRecord) -> &str {
    record
        .request
        .as_ref()
        .map_or("", |r| r.request_id.as_str())
}

/// "Keep a copy", or the kept copy's size, "Save kept copy" and "Remove copy".
#[component]
fn KeptLine(url: String, file_name: String, kept: KeptCopies) -> impl IntoView {
    let size = {
        let url = url.clone();
        Memo::new(move |_| kept.size_of(&url))
    };
    let saving = {
        let url = url.clone();
        Memo::new(move |_| kept.is_saving(&url))
    };
    let (keep_url, forget_url, save_url) = (url.clone(), url.clone(), url);
    let is_kept = move || size.with(Option::is_some);
    view! {
        <span class="history-kept">
            <span class="history-kept-size" hidden=move || !is_kept()>
                {move || size.get().map(|bytes| format!("Copy kept in this browser · {}", format_bytes(bytes)))}
            </span>
            <SmallButton label="Save kept copy" hidden=Signal::derive(move || !is_kept())
                on_press=Callback::new(move |()| kept.save(save_url.clone(), file_name.clone()))/>
            <SmallButton label="Remove copy" hidden=Signal::derive(move || !is_kept())
                on_press=Callback::new(move |()| kept.forget(forget_url.clone()))/>
            <span role="status">{move || (saving.get() && !is_kept()).then_some("Keeping a copy…")}</span>
            <SmallButton label="Keep a copy" hidden=Signal::derive(move || is_kept() || saving.get())
                on_press=Callback::new(move |()| kept.keep(keep_url.clone()))/>
        </span>
    }
}

/// Ids are `job-<ms>-<n>`; anything else is made safe for an element id.
fn id_fragment(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

fn scroll_to(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        el.scroll_into_view();
    }
}
