//! The row above the entries: "Export history", "Import history", "Clear
//! all" (with its confirmation) and the number of jobs.

use leptos::prelude::*;

use super::panel_state::HistoryPanelState;
use crate::core::history::panel_text::{clear_question, job_count};
use crate::ui::common::SmallButton;

/// Export, import, "Clear all" and the count.
#[component]
pub fn HistoryToolbar() -> impl IntoView {
    let panel = HistoryPanelState::expect();
    let history = panel.history();
    let import = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Cleared, so choosing the same file again imports it again.
        input.set_value("");
        panel.import(file);
    };
    view! {
        <div class="history-toolbar">
            <SmallButton label="Export history" on_press=Callback::new(move |()| panel.export())
                disabled=Signal::derive(move || history.with(|h| h.is_empty()))/>
            <label class="button button-secondary button-small file-button">
                "Import history"
                <input type="file" class="visually-hidden" accept="application/json,.json" on:change=import/>
            </label>
            <SmallButton label="Clear all" disabled=Signal::derive(move || panel.finished_count() == 0)
                on_press=Callback::new(move |()| panel.ask_to_clear())/>
            <span class="history-count" role="status">{move || job_count(panel.count())}</span>
        </div>
    }
}

/// "Clear all" asks first, saying how many finished jobs go.
#[component]
pub fn ClearAllConfirm() -> impl IntoView {
    let panel = HistoryPanelState::expect();
    view! {
        <div class="history-confirm" role="group" aria-label="Clear all"
            hidden=move || !panel.is_asking_to_clear()>
            <p>{move || clear_question(panel.finished_count())}</p>
            <SmallButton label="Delete them" danger=true
                on_press=Callback::new(move |()| panel.clear_finished())/>
            <SmallButton label="Keep them"
                on_press=Callback::new(move |()| panel.keep_all())/>
        </div>
    }
}
