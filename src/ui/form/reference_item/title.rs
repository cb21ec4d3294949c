//! The item's title: its label ("Image 2"), a button that inserts the label
//! at the prompt's cursor, and the file's name or the link.

use leptos::prelude::*;

use super::ItemState;
use crate::core::form::text_cursor::{chars_to_utf16, utf16_to_chars};

#[component]
pub(super) fn ReferenceTitle(state: ItemState) -> impl IntoView {
    let ctx = state.ctx;
    let label = state.label;
    let name = move || state.name();
    view! {
        <div class="ref-title">
            <button
                type="button"
                class="ref-label"
                hidden=move || label.get().is_none()
                title=move || label.get().map(|l| format!("Insert \u{201c}{l}\u{201d} at the prompt's cursor"))
                aria-describedby=ctx.id("label-hint")
                on:click=move |_| insert_label(state)
            >
                {move || label.get().map(|l| l.to_string()).unwrap_or_default()}
            </button>
            <span class="ref-label is-unlabelled" hidden=move || label.get().is_some()>
                "Not added"
            </span>
            <span class="ref-name" title=name>{name}</span>
        </div>
    }
}

/// Inserts the item's label into the prompt where its cursor (or selection)
/// is, then puts the cursor right after it, in the prompt box.
fn insert_label(state: ItemState) {
    let ctx = state.ctx;
    let Some(textarea) = ctx.prompt.get_untracked() else {
        return;
    };
    // The browser counts the selection in UTF-16 units, the form in chars.
    let text = ctx.state.with_untracked(|s| s.prompt.clone());
    let utf16_len = chars_to_utf16(&text, text.chars().count()) as u32;
    let start = textarea
        .selection_start()
        .ok()
        .flatten()
        .unwrap_or(utf16_len);
    let end = textarea.selection_end().ok().flatten().unwrap_or(start);
    let (start, end) = (
        utf16_to_chars(&text, start as usize),
        utf16_to_chars(&text, end as usize),
    );
    let Some(Some(cursor)) = ctx
        .state
        .try_update(|s| s.insert_reference_label(state.id, start, end))
    else {
        return;
    };
    // Set the box now (not on the next render) so the cursor can be
    // placed right after the inserted label.
    let prompt = ctx.state.with_untracked(|s| s.prompt.clone());
    textarea.set_value(&prompt);
    let at = chars_to_utf16(&prompt, cursor) as u32;
    let _ = textarea.set_selection_range(at, at);
    let _ = textarea.focus();
    ctx.announcement
        .set(format!("Inserted {} into the prompt.", state.subject()));
}
