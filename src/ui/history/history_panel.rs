//! The History panel: every job this browser ran, newest first, with
//! export, import, "Clear all", kept copies and the comparison.

use leptos::{prelude::*, task::spawn_local};

use super::compare_view::CompareView;
use super::history_item::{entry_key, HistoryItem, ItemActions};
use super::kept_copies::{KeptCopies, KeptCopiesSummary};
use super::live_jobs::LiveJobs;
use super::small_button::SmallButton;
use crate::core::history::compare::{MAX_RUNS, MIN_RUNS};
use crate::core::history::entry::video_url;
use crate::core::history::file::{export_file_name, export_json, read_export};
use crate::core::job::record::JobRecord;
use crate::ui::job::JobActions;
use crate::web::{text_file, timer::now_ms};

/// How many entries show before "Show more": each loads its first frame.
const PAGE: usize = 20;

/// The panel's content (the App wraps it in a titled panel).
#[component]
pub fn HistoryPanel(
    /// What entries can ask of the form ("Edit and rerun").
    actions: JobActions,
) -> impl IntoView {
    let jobs = LiveJobs::expect();
    let store = jobs.store;
    let kept = KeptCopies::new(store);
    provide_context(kept);

    let shown = RwSignal::new(PAGE);
    let compared = RwSignal::new(Vec::<String>::new());
    let comparing = RwSignal::new(false);
    let confirming_clear = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);

    let count = move || store.history().with(|h| h.records().len());
    let finished_count = move || {
        store
            .history()
            .with(|h| h.records().iter().filter(|r| !r.is_unfinished()).count())
    };

    let delete = Callback::new(move |id: String| {
        let record = store.history().with_untracked(|h| h.get(&id).cloned());
        if store.remove(&id).is_ok() {
            jobs.forget(std::slice::from_ref(&id));
            compared.update(|c| c.retain(|x| *x != id));
            if let Some(url) = record.as_ref().and_then(video_url) {
                kept.forget(url.to_owned());
            }
            message.set(Some((false, "Deleted 1 job from the history.".into())));
        }
    });
    let clear_all = Callback::new(move |()| {
        let removed = store.clear_finished();
        let ids: Vec<String> = removed.iter().map(|r| r.id.clone()).collect();
        jobs.forget(&ids);
        compared.set(Vec::new());
        comparing.set(false);
        for url in removed.iter().filter_map(video_url) {
            kept.forget(url.to_owned());
        }
        confirming_clear.set(false);
        let running = store.history().with_untracked(|h| h.records().len());
        let mut text = match removed.len() {
            1 => "Deleted 1 job.".to_string(),
            n => format!("Deleted {n} jobs."),
        };
        if running > 0 {
            text.push_str(" Jobs still running were kept.");
        }
        message.set(Some((false, text)));
    });
    let toggle_compare = Callback::new(move |id: String| {
        compared.update(|c| {
            if let Some(at) = c.iter().position(|x| *x == id) {
                c.remove(at);
            } else {
                c.push(id);
            }
        });
        if compared.with_untracked(Vec::len) < MIN_RUNS {
            comparing.set(false);
        }
    });
    let export = Callback::new(move |()| {
        let now = now_ms();
        let text = store.history().with_untracked(|h| export_json(h, now));
        if !text_file::save(&export_file_name(now), &text) {
            message.set(Some((
                true,
                "The browser did not allow saving the file.".into(),
            )));
        }
    });
    let import = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Cleared, so choosing the same file again imports it again.
        input.set_value("");
        spawn_local(async move {
            let outcome = match text_file::read(&file).await {
                Ok((text, size)) => read_export(&text, size).map_err(|e| e.to_string()),
                Err(problem) => Err(problem),
            };
            match outcome {
                Ok(imported) => {
                    let report = store.import(&imported);
                    message.try_set(Some((false, imported.summary(&report))));
                }
                Err(problem) => {
                    message.try_set(Some((true, problem)));
                }
            }
        });
    };
    // A memo, so progress of other jobs does not restart the videos.
    let compared_runs = Memo::new(move |_| {
        let chosen = compared.get();
        store.history().with(|h| {
            chosen
                .iter()
                .filter_map(|id| h.get(id).cloned())
                .filter(|r| video_url(r).is_some())
                .take(MAX_RUNS)
                .collect::<Vec<_>>()
        })
    });
    // The comparison's key: the runs it shows.
    let compared_ids =
        |runs: &Vec<JobRecord>| runs.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    let message_text = move |problem: bool| {
        message
            .get()
            .filter(|(is_problem, _)| *is_problem == problem)
            .map(|(_, text)| text)
    };
    let item_actions = ItemActions {
        job: actions,
        toggle_compare,
        compared: compared.into(),
        delete,
    };

    view! {
        <div class="history">
            <p class="job-note" role="status" hidden=move || store.notice.with(Option::is_none)>
                {move || store.notice.get()}
            </p>
            <div class="history-toolbar">
                <SmallButton label="Export history" on_press=export
                    disabled=Signal::derive(move || store.history().with(|h| h.is_empty()))/>
                <label class="button button-secondary button-small file-button">
                    "Import history"
                    <input type="file" class="visually-hidden" accept="application/json,.json" on:change=import/>
                </label>
                <SmallButton label="Clear all" disabled=Signal::derive(move || finished_count() == 0)
                    on_press=Callback::new(move |()| confirming_clear.set(true))/>
                <span class="history-count" role="status">
                    {move || match count() { 0 => String::new(), 1 => "1 job".into(), n => format!("{n} jobs") }}
                </span>
            </div>
            <div class="history-confirm" role="group" aria-label="Clear all" hidden=move || !confirming_clear.get()>
                <p>{move || match finished_count() {
                    1 => "Delete 1 finished job from this browser, with any kept copy of its video? Jobs still running are kept.".to_string(),
                    n => format!("Delete {n} finished jobs from this browser, with any kept copies of their videos? Jobs still running are kept."),
                }}</p>
                <SmallButton label="Delete them" danger=true on_press=clear_all/>
                <SmallButton label="Keep them" on_press=Callback::new(move |()| confirming_clear.set(false))/>
            </div>
            <p class="job-trouble" role="alert" hidden=move || message_text(true).is_none()>
                {move || message_text(true)}
            </p>
            <p class="history-message" role="status" hidden=move || message_text(false).is_none()>
                {move || message_text(false)}
            </p>
            <KeptCopiesSummary kept/>
            <div class="history-compare-bar" hidden=move || compared.with(Vec::len) < MIN_RUNS>
                <span>{move || format!("{} runs chosen", compared.with(Vec::len).min(MAX_RUNS))}</span>
                <SmallButton label="Compare selected" primary=true on_press=Callback::new(move |()| comparing.set(true))/>
            </div>
            // Keyed by the runs shown, so a new choice builds a new view instead
            // of rebuilding one in place (which would ship a second copy of it).
            <For
                each=move || comparing.get().then(|| compared_runs.get())
                key=compared_ids
                let:runs
            >
                <CompareView runs on_close=Callback::new(move |()| comparing.set(false))/>
            </For>
            <div class="history-empty" hidden=move || count() != 0>
                <p class="empty-title">"No jobs yet"</p>
                <p class="empty-text">
                    "Every job you generate is kept here in this browser, with its video, cost and inputs. "
                    "To bring in jobs from another browser, use Import history."
                </p>
            </div>
            <ol class="history-list">
                <For
                    each=move || store.history().with(|h| h.records().iter().take(shown.get()).cloned().collect::<Vec<_>>())
                    key=entry_key
                    let:record
                >
                    <li><HistoryItem record actions=item_actions/></li>
                </For>
            </ol>
            <div class="history-more">
                <SmallButton
                    label=Signal::derive(move || format!("Show more ({} more)", count().saturating_sub(shown.get())))
                    hidden=Signal::derive(move || count() <= shown.get())
                    on_press=Callback::new(move |()| shown.update(|n| *n += PAGE))/>
            </div>
        </div>
    }
}
