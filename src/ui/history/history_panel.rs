//! The History panel: every job this browser ran, newest first, with
//! export, import, "Clear all", kept copies and the comparison. Its parts
//! share [`HistoryPanelState`] through context.

use leptos::prelude::*;

use super::batch_item::BatchHistoryItem;
use super::compare_view::CompareOnDemand;
use super::history_item::HistoryItem;
use super::kept_copies::{KeptCopies, KeptCopiesSummary};
use super::live_jobs::LiveJobs;
use super::panel_state::HistoryPanelState;
use super::toolbar::{ClearAllConfirm, HistoryToolbar};
use crate::core::batch::batch_id::BatchId;
use crate::core::history::batches::{rows, HistoryRow};
use crate::core::history::entry::display_key;
use crate::core::history::panel_text::{newer_kept, show_more};
use crate::core::job::record::JobRecord;
use crate::core::model::schema::R2vInput;
use crate::ui::common::SmallButton;
use crate::ui::job::JobActions;
use crate::ui::on_demand::{on_demand, on_demand_view, unavailable_alert};

/// The panel's content (the App wraps it in a titled panel).
#[component]
pub fn HistoryPanel(
    /// What entries can ask of the form ("Edit and rerun").
    actions: JobActions,
) -> impl IntoView {
    let jobs = LiveJobs::expect();
    let kept = KeptCopies::new(jobs.store);
    provide_context(kept);
    let panel = HistoryPanelState::new(jobs, kept);
    provide_context(panel);
    let store = jobs.store;
    let newer = move || store.history().with(newer_kept);
    view! {
        <div class="history">
            <p class="job-note" role="status" hidden=move || store.notice.with(Option::is_none)>
                {move || store.notice.get()}
            </p>
            <p class="history-newer" hidden=move || newer().is_none()>{newer}</p>
            <HistoryToolbar/>
            <ClearAllConfirm/>
            <PanelMessages/>
            <KeptCopiesSummary kept/>
            <Comparison/>
            <EmptyHistory/>
            <HistoryEntries rerun=actions.edit_and_rerun/>
        </div>
    }
}

/// The panel's last problem (an alert) and its last report.
#[component]
fn PanelMessages() -> impl IntoView {
    let panel = HistoryPanelState::expect();
    view! {
        <p class="job-trouble" role="alert" hidden=move || panel.message_text(true).is_none()>
            {move || panel.message_text(true)}
        </p>
        <p class="history-message" role="status" hidden=move || panel.message_text(false).is_none()>
            {move || panel.message_text(false)}
        </p>
    }
}

/// "Compare selected" once two runs are ticked, and the comparison itself.
#[component]
fn Comparison() -> impl IntoView {
    let panel = HistoryPanelState::expect();
    // The comparison's key: the runs it shows.
    let compared_ids =
        |runs: &Vec<JobRecord>| runs.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    view! {
        <div class="history-compare-bar" hidden=move || !panel.can_compare()>
            <span>{move || panel.chosen_text()}</span>
            <SmallButton label="Compare selected" primary=true
                on_press=Callback::new(move |()| panel.open_comparison())/>
        </div>
        // Keyed by the runs shown, so a new choice builds a new view instead
        // of rebuilding one in place (which would ship a second copy of it).
        <For
            each=move || panel.comparison()
            key=compared_ids
            let:runs
        >
            <CompareOnDemand runs on_close=Callback::new(move |()| panel.close_comparison())/>
        </For>
    }
}

/// The entries once there is one: their code (each entry, its actions,
/// batch entries) loads with the first.
#[component]
fn HistoryEntries(
    /// "Edit and rerun" on an entry.
    rerun: Callback<R2vInput>,
) -> impl IntoView {
    let panel = HistoryPanelState::expect();
    let any = Memo::new(move |_| panel.count() != 0);
    move || {
        any.get().then(|| {
            on_demand_view(history_list(rerun), || {
                unavailable_alert(
                    "The history\u{2019}s entries did not load from the site (the connection \
                     failed); they are still kept in this browser. Reload the page to see them.",
                )
            })
        })
    }
}

on_demand! {
    part = history;
    /// The list of entries, loaded when the history first has one.
    async fn history_list(rerun: Callback<R2vInput>) -> AnyView {
        view! { <HistoryList rerun/> }.into_any()
    }
}

/// What the panel says before the first job.
#[component]
fn EmptyHistory() -> impl IntoView {
    let panel = HistoryPanelState::expect();
    view! {
        <div class="history-empty" hidden=move || panel.count() != 0>
            <p class="empty-title">"No jobs yet"</p>
            <p class="empty-text">
                "Every job you generate is kept here in this browser, with its video, cost and inputs. "
                "To bring in jobs from another browser, use Import history."
            </p>
        </div>
    }
}

/// The entries, a page at a time.
#[component]
fn HistoryList(
    /// "Edit and rerun" on an entry.
    rerun: Callback<R2vInput>,
) -> impl IntoView {
    let panel = HistoryPanelState::expect();
    let entries = Memo::new(move |_| rows(&panel.page()));
    view! {
        <ol class="history-list">
            <For each=move || entries.get() key=row_key let:row>
                <li>{match row {
                    HistoryRow::Single(record) => view! { <HistoryItem record=*record rerun/> }.into_any(),
                    HistoryRow::Batch { id, .. } => {
                        let runs = batch_runs(entries, id.clone());
                        view! { <BatchHistoryItem id runs rerun/> }.into_any()
                    }
                }}</li>
            </For>
        </ol>
        <div class="history-more">
            <SmallButton
                label=Signal::derive(move || show_more(panel.remaining()))
                hidden=Signal::derive(move || panel.remaining() == 0)
                on_press=Callback::new(move |()| panel.show_more())/>
        </div>
    }
}

/// A row's key: a job's display key (a new entry when the job moves on),
/// or its batch's id: a batch's entry stays and updates the run that
/// changed, instead of rebuilding every run's entry each time one moves
/// on (with 8 runs that was most of the task in which a run finished).
fn row_key(row: &HistoryRow) -> String {
    match row {
        HistoryRow::Single(record) => display_key(record),
        HistoryRow::Batch { id, .. } => format!("batch {id}"),
    }
}

/// The runs of batch `id` among the rows on show; a memo, so a change to
/// another entry leaves this batch's entry alone.
fn batch_runs(entries: Memo<Vec<HistoryRow>>, id: BatchId) -> Memo<Vec<JobRecord>> {
    Memo::new(move |_| {
        entries.with(|rows| {
            rows.iter()
                .find_map(|row| match row {
                    HistoryRow::Batch { id: this, runs } if *this == id => Some(runs.clone()),
                    _ => None,
                })
                .unwrap_or_default()
        })
    })
}
