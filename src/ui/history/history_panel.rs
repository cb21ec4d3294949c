//! The History panel: every job this browser ran, newest first, with
//! export, import, "Clear all", kept copies and the comparison.

use leptos::{prelude::*, task::spawn_local};

use super::compare_view::CompareView;
use super::history_item::{HistoryItem, ItemActions};
use super::kept_copies::{KeptCopies, KeptCopiesSummary};
use super::live_jobs::LiveJobs;
use crate::core::compare::{MAX_RUNS, MIN_RUNS};
use crate::core::history_entry::video_url;
use crate::core::history_file::{export_file_name, export_json, read_export};
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

    let ids = Memo::new(move |_| {
        store
            .history()
            .with(|h| h.records().iter().map(|r| r.id.clone()).collect::<Vec<_>>())
    });
    let count = move || ids.with(Vec::len);
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
    let clear_all = move |_| {
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
    };
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
    let export = move |_| {
        let now = now_ms();
        let text = store.history().with_untracked(|h| export_json(h, now));
        if !text_file::save(&export_file_name(now), &text) {
            message.set(Some((
                true,
                "The browser did not allow saving the file.".into(),
            )));
        }
    };
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
    let compared_runs = move || {
        let chosen = compared.get();
        store.history().with(|h| {
            chosen
                .iter()
                .filter_map(|id| h.get(id).cloned())
                .filter(|r| video_url(r).is_some())
                .take(MAX_RUNS)
                .collect::<Vec<_>>()
        })
    };
    let item_actions = ItemActions {
        job: actions,
        toggle_compare,
        compared: compared.into(),
        delete,
    };

    view! {
        <div class="history">
            {move || store.notice.get().map(|n| view! { <p class="job-note" role="status">{n}</p> })}
            <div class="history-toolbar">
                <button type="button" class="button button-secondary button-small" on:click=export
                    disabled=move || store.history().with(|h| h.is_empty())>"Export history"</button>
                <label class="button button-secondary button-small file-button">
                    "Import history"
                    <input type="file" class="visually-hidden" accept="application/json,.json" on:change=import/>
                </label>
                <button type="button" class="button button-secondary button-small"
                    disabled=move || finished_count() == 0
                    on:click=move |_| confirming_clear.set(true)>"Clear all"</button>
                <span class="history-count" role="status">
                    {move || match count() { 0 => String::new(), 1 => "1 job".into(), n => format!("{n} jobs") }}
                </span>
            </div>
            <Show when=move || confirming_clear.get()>
                <div class="history-confirm" role="group" aria-label="Clear all">
                    <p>{move || format!(
                        "Delete {} finished jobs from this browser, with any kept copies of their videos? Jobs still running are kept.",
                        finished_count()
                    )}</p>
                    <button type="button" class="button button-danger button-small" on:click=clear_all>"Delete them"</button>
                    <button type="button" class="button button-secondary button-small"
                        on:click=move |_| confirming_clear.set(false)>"Keep them"</button>
                </div>
            </Show>
            {move || message.get().map(|(problem, text)| if problem {
                view! { <p class="job-trouble" role="alert">{text}</p> }.into_any()
            } else {
                view! { <p class="history-message" role="status">{text}</p> }.into_any()
            })}
            <KeptCopiesSummary kept/>
            <Show when=move || { compared.with(Vec::len) >= MIN_RUNS }>
                <div class="history-compare-bar">
                    <span>{move || format!("{} runs chosen", compared.with(Vec::len).min(MAX_RUNS))}</span>
                    <button type="button" class="button button-primary button-small"
                        on:click=move |_| comparing.set(true)>"Compare selected"</button>
                </div>
            </Show>
            <Show when=move || comparing.get()>
                {move || view! {
                    <CompareView runs=compared_runs() on_close=Callback::new(move |()| comparing.set(false))/>
                }}
            </Show>
            {move || (count() == 0).then(|| view! {
                <p class="empty-text history-empty">"Jobs you generate are kept here, with their videos, costs and inputs."</p>
            })}
            <ol class="history-list">
                <For each=move || ids.get().into_iter().take(shown.get()) key=|id| id.clone() let:id>
                    <li><HistoryItem id actions=item_actions/></li>
                </For>
            </ol>
            <Show when=move || { count() > shown.get() }>
                <button type="button" class="button button-secondary button-small history-more"
                    on:click=move |_| shown.update(|n| *n += PAGE)>
                    {move || format!("Show more ({} more)", count() - shown.get())}
                </button>
            </Show>
        </div>
    }
}
