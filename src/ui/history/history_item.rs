//! One job in the History panel: its first frame, prompt, status, cost and
//! date, what became of it, and what can be done with it.

use leptos::prelude::*;

use super::kept_copies::KeptCopies;
use super::live_jobs::LiveJobs;
use super::thumbnail::Thumbnail;
use crate::core::history_entry::{
    can_compare, cost_text, format_storage, outcome_note, prompt_excerpt, status_label,
    status_tone, video_url,
};
use crate::core::job_record::{JobRecord, RecordStatus};
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

/// One history entry, read from the store by id so it follows the job.
#[component]
pub fn HistoryItem(
    /// The job's local id.
    id: String,
    actions: ItemActions,
) -> impl IntoView {
    let jobs = LiveJobs::expect();
    let kept = expect_context::<KeptCopies>();
    let connection = ConnectionContext::expect();
    let record = {
        let id = id.clone();
        Memo::new(move |_| jobs.store.history().with(|h| h.get(&id).cloned()))
    };
    let title_id = format!("history-{}-title", id_fragment(&id));
    move || {
        let Some(r) = record.get() else {
            return ().into_any();
        };
        view! { <ItemBody record=r title_id=title_id.clone() actions jobs kept connection/> }
            .into_any()
    }
}

#[component]
fn ItemBody(
    record: JobRecord,
    title_id: String,
    actions: ItemActions,
    jobs: LiveJobs,
    kept: KeptCopies,
    connection: ConnectionContext,
) -> impl IntoView {
    let id = record.id.clone();
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
    let opened_nothing = RwSignal::new(false);
    let is_current = {
        let id = id.clone();
        move || jobs.is_current(&id)
    };
    let open = {
        let record = record.clone();
        move |_| {
            if jobs.open(&record) {
                scroll_to("job");
            } else {
                opened_nothing.set(true);
            }
        }
    };
    let check_again = {
        let record = record.clone();
        move |_| {
            if jobs.check_again(&record, connection) {
                scroll_to("job");
            } else {
                opened_nothing.set(true);
            }
        }
    };
    let rerun = {
        let input = record.input.clone();
        move |_| actions.job.edit_and_rerun.run(input.clone())
    };
    let delete_id = id.clone();
    let compare_id = id.clone();
    let compared = {
        let id = id.clone();
        move || actions.compared.with(|c| c.contains(&id))
    };
    let request_id = record.request.as_ref().map(|r| r.request_id.clone());
    let show_request_id = request_id.filter(|rid| {
        record.status != RecordStatus::Completed
            && !note.as_deref().is_some_and(|n| n.contains(rid.as_str()))
    });

    let labelled_by = title_id.clone();
    view! {
        <article class="history-item" class:is-current=is_current.clone() aria-labelledby=labelled_by>
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
                    <Show when=is_current.clone()>
                        <span class="history-current">"Shown in Status and result"</span>
                    </Show>
                </p>
                {note.map(|n| view! { <p class="history-note">{n}</p> })}
                {show_request_id.map(|rid| view! {
                    <p class="history-request-id">"fal request id " <code>{rid}</code></p>
                })}
            </div>
            <div class="history-item-extra">
                <div class="history-item-actions">
                    {openable.then(|| view! {
                        <button type="button" class="button button-secondary button-small" on:click=open>"Open"</button>
                    })}
                    {can_check_again.then(|| view! {
                        <button type="button" class="button button-secondary button-small" on:click=check_again>"Check again"</button>
                    })}
                    <button type="button" class="button button-secondary button-small" on:click=rerun>"Edit and rerun"</button>
                    {comparable.then(|| view! {
                        <label class="history-compare-toggle">
                            <input type="checkbox" prop:checked=compared
                                on:change=move |_| actions.toggle_compare.run(compare_id.clone())/>
                            "Compare"
                        </label>
                    })}
                    {deletable.then(|| view! {
                        <button type="button" class="button button-secondary button-small"
                            on:click=move |_| confirming.set(true)>"Delete"</button>
                    })}
                    <KeptLine video=video.clone() kept/>
                </div>
                <Show when=move || confirming.get()>
                    <div class="history-confirm" role="group" aria-label="Delete this job">
                        <p>"Delete this job from the history? A kept copy of its video is deleted too."</p>
                        <button type="button" class="button button-danger button-small"
                            on:click={
                                let id = delete_id.clone();
                                move |_| actions.delete.run(id.clone())
                            }>"Delete it"</button>
                        <button type="button" class="button button-secondary button-small"
                            on:click=move |_| confirming.set(false)>"Keep it"</button>
                    </div>
                </Show>
                <Show when=move || opened_nothing.get()>
                    <p class="job-trouble" role="alert">
                        "Enter your fal key in the Connection panel first: the studio needs it to ask fal about this job."
                    </p>
                </Show>
            </div>
        </article>
    }
}

/// "Keep a copy", or the kept copy's size and "Remove copy".
#[component]
fn KeptLine(video: Option<String>, kept: KeptCopies) -> impl IntoView {
    let Some(url) = video.filter(|_| kept.supported) else {
        return ().into_any();
    };
    let size = {
        let url = url.clone();
        move || kept.size_of(&url)
    };
    let saving = {
        let url = url.clone();
        move || kept.is_saving(&url)
    };
    let keep_url = url.clone();
    let forget_url = url.clone();
    view! {
        <span class="history-kept">
            {move || match (size(), saving()) {
                (Some(bytes), _) => view! {
                    <span class="history-kept-size">{format!("Copy kept in this browser · {}", format_storage(bytes))}</span>
                    <button type="button" class="button button-secondary button-small"
                        on:click={
                            let url = forget_url.clone();
                            move |_| kept.forget(url.clone())
                        }>"Remove copy"</button>
                }.into_any(),
                (None, true) => view! { <span role="status">"Keeping a copy…"</span> }.into_any(),
                (None, false) => view! {
                    <button type="button" class="button button-secondary button-small"
                        on:click={
                            let url = keep_url.clone();
                            move |_| kept.keep(url.clone())
                        }>"Keep a copy"</button>
                }.into_any(),
            }}
        </span>
    }
    .into_any()
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
