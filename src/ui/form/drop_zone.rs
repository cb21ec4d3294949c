//! The file picker, and the target people drop files on.

use leptos::prelude::*;

use super::context::use_form;
use super::reference_intake::add_files;
use crate::web::data_transfer::file_list;

/// The keyboard path to everything drag-and-drop does: a real file input,
/// styled as a button. Drops and pastes land on the whole References panel;
/// this box says so and lights up while something is dragged over it.
#[component]
pub fn DropZone(
    /// True while files are dragged over the panel.
    #[prop(into)]
    dragging: Signal<bool>,
) -> impl IntoView {
    let ctx = use_form();
    let input_id = ctx.id("file-input");
    view! {
        <div class="drop-zone" class:is-dragging=move || dragging.get()>
            <svg class="drop-icon" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M12 16V4M7 9l5-5 5 5M4 15v4a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-4"/>
            </svg>
            <div class="drop-text">
                <label class="button button-secondary file-button">
                    "Choose files"
                    <input
                    id=input_id
                    class="visually-hidden"
                    type="file"
                    accept="image/*,video/*"
                    multiple=true
                    on:change:target=move |ev| {
                        let input = ev.target();
                        if let Some(files) = input.files() {
                            add_files(ctx, file_list(files));
                        }
                        // Lets the same file be chosen again after a remove.
                        input.set_value("");
                    }
                    />
                </label>
                <span class="drop-hint">
                    {move || if dragging.get() { "Drop to add them" } else { "or drop or paste images, videos and links here" }}
                </span>
            </div>
        </div>
    }
}
