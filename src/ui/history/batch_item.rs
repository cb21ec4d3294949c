//! A batch in the History panel: one entry for all its runs, with what
//! became of them and their total cost; "Show batch results" brings the
//! grid back, and the runs are listed inside (expandable), each an ordinary
//! entry that opens alone.

use leptos::prelude::*;

use super::history_item::HistoryItem;
use super::live_jobs::LiveJobs;
use super::thumbnail::Thumbnail;
use crate::core::batch::batch_id::BatchId;
use crate::core::history::batches::{batch_cost_text, batch_summary};
use crate::core::history::entry::{prompt_excerpt, video_url};
use crate::core::job::record::JobRecord;
use crate::core::model::schema::R2vInput;
use crate::ui::common::SmallButton;

/// One batch's entry.
#[component]
pub fn BatchHistoryItem(
    id: BatchId,
    /// Its runs in the history, in grid order.
    runs: Vec<JobRecord>,
    /// "Edit and rerun" on a run.
    rerun: Callback<R2vInput>,
) -> impl IntoView {
    let jobs = LiveJobs::expect();
    let title_id = format!("history-{id}");
    let labelled_by = title_id.clone();
    let title = runs
        .first()
        .map(|r| prompt_excerpt(&r.input.prompt, 90))
        .unwrap_or_default();
    let summary = batch_summary(&runs);
    let cost = batch_cost_text(&runs);
    let count = runs.len();
    let thumbnail = runs.iter().find_map(|r| video_url(r).map(str::to_owned));
    let shown = {
        let id = id.clone();
        Memo::new(move |_| {
            jobs.batch
                .with(|b| b.is_some_and(|b| b.id.with_value(|shown| *shown == id)))
        })
    };
    let show = Callback::new(move |()| {
        jobs.show_batch(&id);
    });
    let list = runs
        .into_iter()
        .map(|record| view! { <li><HistoryItem record rerun/></li> })
        .collect_view();
    view! {
        <article class="history-item history-batch" class:is-current=shown aria-labelledby=labelled_by>
            <Thumbnail url=thumbnail/>
            <div class="history-item-body">
                <h3 class="history-item-title" id=title_id>{title}</h3>
                <p class="history-item-meta">
                    <span class="history-status">{summary}</span>
                    <span class="history-cost">{cost}</span>
                    <span class="history-current" hidden=move || !shown.get()>"Shown in Status and result"</span>
                </p>
                <div class="history-batch-actions">
                    <SmallButton label="Show batch results" on_press=show/>
                </div>
                <details class="history-batch-runs">
                    <summary>{format!("Its {count} runs")}</summary>
                    <ol class="history-list">{list}</ol>
                </details>
            </div>
        </article>
    }
}
