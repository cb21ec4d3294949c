//! A batch in the History panel: one entry for all its runs, with what
//! became of them and their total cost; "Show batch results" brings the
//! grid back, and the runs are listed inside (expandable), each an ordinary
//! entry that opens alone.
//!
//! The entry is built once per batch and follows its runs: a run that
//! moves on gets a new entry of its own (keyed as the panel keys single
//! jobs), the others stay as they are. Rebuilding the whole batch for each
//! run's change cost 8 first frames, dates and button rows at a time.

use leptos::prelude::*;
use web_sys::HtmlDetailsElement;

use super::history_item::HistoryItem;
use super::live_jobs::LiveJobs;
use super::thumbnail::Thumbnail;
use crate::core::batch::batch_id::BatchId;
use crate::core::history::batches::{batch_cost_text, batch_summary};
use crate::core::history::entry::{display_key, prompt_excerpt, video_url};
use crate::core::job::record::JobRecord;
use crate::core::model::schema::R2vInput;
use crate::ui::common::SmallButton;

/// One batch's entry.
#[component]
pub fn BatchHistoryItem(
    id: BatchId,
    /// Its runs in the history, in grid order.
    runs: Memo<Vec<JobRecord>>,
    /// "Edit and rerun" on a run.
    rerun: Callback<R2vInput>,
) -> impl IntoView {
    let jobs = LiveJobs::expect();
    let title_id = format!("history-{id}");
    let labelled_by = title_id.clone();
    let title = move || {
        runs.with(|runs| {
            runs.first()
                .map(|r| prompt_excerpt(&r.input.prompt, 90))
                .unwrap_or_default()
        })
    };
    // The first frame of the first run with a video: rebuilt only when
    // that changes.
    let thumbnail = Memo::new(move |_| {
        runs.with(|runs| runs.iter().find_map(|r| video_url(r).map(str::to_owned)))
    });
    let shown = {
        let id = id.clone();
        Memo::new(move |_| {
            jobs.batch
                .with(|b| b.is_some_and(|b| b.id.with_value(|shown| *shown == id)))
        })
    };
    // The runs are built only while their list is open: closed, each
    // run's thumbnail would still fetch its video's first frame as runs
    // finish, for a list nobody sees.
    let open = RwSignal::new(false);
    let show = Callback::new(move |()| {
        jobs.show_batch(&id);
    });
    view! {
        <article class="history-item history-batch" class:is-current=shown aria-labelledby=labelled_by>
            {move || view! { <Thumbnail url=thumbnail.get()/> }}
            <div class="history-item-body">
                <h3 class="history-item-title" id=title_id>{title}</h3>
                <p class="history-item-meta">
                    <span class="history-status">{move || runs.with(|r| batch_summary(r))}</span>
                    <span class="history-cost">{move || runs.with(|r| batch_cost_text(r))}</span>
                    <span class="history-current" hidden=move || !shown.get()>"Shown in Status and result"</span>
                </p>
                <div class="history-batch-actions">
                    <SmallButton label="Show batch results" on_press=show/>
                </div>
                <details class="history-batch-runs"
                    on:toggle=move |ev| open.set(event_target::<HtmlDetailsElement>(&ev).open())>
                    <summary>{move || format!("Its {} runs", runs.with(Vec::len))}</summary>
                    {move || open.get().then(|| view! {
                        <ol class="history-list">
                            <For each=move || runs.get() key=display_key let:record>
                                <li><HistoryItem record rerun/></li>
                            </For>
                        </ol>
                    })}
                </details>
            </div>
        </article>
    }
}
