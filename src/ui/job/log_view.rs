//! The runner's live logs: follows new lines unless the reader scrolled up,
//! and copies them all with one button.

use leptos::{html, prelude::*, task::spawn_local};

use crate::core::job::request_log::RequestLog;
use crate::web::copy_text::copy_text;

/// Log lines with auto-scroll and "Copy logs".
#[component]
pub fn LogView(
    /// The job's log lines so far, without repeats.
    #[prop(into)]
    logs: Signal<Vec<RequestLog>>,
) -> impl IntoView {
    let list = NodeRef::<html::Ol>::new();
    // True while the reader is at the bottom; scrolling up pauses following.
    let follow = RwSignal::new(true);
    let copied = RwSignal::new(false);

    Effect::new(move |_| {
        // No lines, nothing to follow: reading the list's height would only
        // force a layout of the page in the middle of Generate's redraw.
        if logs.with(Vec::is_empty) {
            return;
        }
        if follow.get_untracked() {
            if let Some(el) = list.get() {
                el.set_scroll_top(el.scroll_height());
            }
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = list.get() {
            let at_bottom = el.scroll_height() - el.scroll_top() - el.client_height() < 24;
            follow.set(at_bottom);
        }
    };
    let copy = move |_| {
        let text = logs.with(|l| {
            l.iter()
                .map(|line| line.message.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        });
        spawn_local(async move {
            let ok = copy_text(&text).await.is_ok();
            copied.try_set(ok);
        });
    };

    view! {
        <div class="log-view">
            <div class="log-head">
                <h3 class="log-title">"Logs"</h3>
                <Show when=move || !follow.get()>
                    <span class="log-paused">"Paused: scroll to the bottom to follow"</span>
                </Show>
                <button type="button" class="button button-secondary button-small" on:click=copy
                    disabled=move || logs.with(Vec::is_empty)>
                    {move || if copied.get() { "Copied" } else { "Copy logs" }}
                </button>
            </div>
            <ol class="log-lines" node_ref=list on:scroll=on_scroll tabindex="0" aria-label="Runner logs">
                {move || logs.with(|lines| {
                    if lines.is_empty() {
                        return vec![view! { <li class="log-empty">"No log lines yet."</li> }.into_any()];
                    }
                    lines.iter().map(|line| {
                        let class = if line.is_error() { "log-line log-line-error" } else { "log-line" };
                        view! { <li class=class>{line.message.clone()}</li> }.into_any()
                    }).collect()
                })}
            </ol>
        </div>
    }
}
