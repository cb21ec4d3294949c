//! "Move up", "Move down" and "Remove", with focus kept where the keyboard
//! user expects it and each change announced.

use leptos::prelude::*;

use super::ItemState;
use crate::core::form::validation::FormField;

#[component]
pub(super) fn ReferenceActions(state: ItemState) -> impl IntoView {
    let place = state.place;
    view! {
        <div class="ref-actions">
            <button
                id=state.control_id("up")
                type="button"
                class="icon-button"
                aria-label=move || format!("Move {} up", state.subject())
                title="Move up"
                disabled=move || place.get().0 == 0
                on:click=move |_| move_by(state, true)
            >
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 18V6M6.5 11.5 12 6l5.5 5.5"/></svg>
            </button>
            <button
                id=state.control_id("down")
                type="button"
                class="icon-button"
                aria-label=move || format!("Move {} down", state.subject())
                title="Move down"
                disabled=move || { let (index, len) = place.get(); index + 1 >= len }
                on:click=move |_| move_by(state, false)
            >
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 6v12M6.5 12.5 12 18l5.5-5.5"/></svg>
            </button>
            <button
                type="button"
                class="icon-button icon-button-danger"
                aria-label=move || format!("Remove {}", state.subject())
                title="Remove"
                on:click=move |_| remove(state)
            >
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6 6 18"/></svg>
            </button>
        </div>
    }
}

/// Moves the entry one place up or down.
fn move_by(state: ItemState, up: bool) {
    let ctx = state.ctx;
    let moved = ctx.state.try_update(|s| {
        if up {
            s.references.move_up(state.id)
        } else {
            s.references.move_down(state.id)
        }
    });
    if moved != Some(true) {
        return;
    }
    // Reordering moves this row in the DOM, which drops focus: put it back
    // on the same button, or its twin once at an end (where it is disabled).
    let (index, len) = state.place.get_untracked();
    let at_end = if up { index == 0 } else { index + 1 == len };
    let target = match (up, at_end) {
        (true, false) | (false, true) => "up",
        (false, false) | (true, true) => "down",
    };
    ctx.focus_later(state.control_id(target));
    ctx.announcement.set(format!(
        "{} moved to position {} of {len}.",
        state.subject(),
        index + 1
    ));
}

/// Removes the entry; focus goes to its neighbour, or to the file picker
/// when the list is now empty.
fn remove(state: ItemState) {
    let ctx = state.ctx;
    let gone = state.subject();
    let next = ctx
        .state
        .with_untracked(|s| s.references.neighbour(state.id));
    ctx.state.update(|s| {
        s.references.remove(state.id);
    });
    ctx.focus_later(match next {
        Some(next) => ctx.field_element_id(FormField::Reference(next)),
        None => ctx.id("file-input"),
    });
    ctx.announcement.set(format!("Removed {gone}."));
}
