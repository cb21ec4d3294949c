//! "Add again": a file entry restored after a reload has no bytes (browsers
//! do not keep them), so the person picks the file once more.

use leptos::prelude::*;

use super::ItemState;
use crate::core::form::references::ReferenceSource;
use crate::ui::form::reference_intake::replace_file;
use crate::web::data_transfer::file_list;

/// A file input styled as a button, shown only while the entry waits for
/// its file; the new file takes the entry's place (and label).
#[component]
pub(super) fn AddAgainButton(state: ItemState) -> impl IntoView {
    let ctx = state.ctx;
    let waiting = move || {
        state.item.with(|i| {
            matches!(
                i.as_ref().map(|i| &i.source),
                Some(ReferenceSource::FileToAddAgain(_))
            )
        })
    };
    let accept = move || {
        if state.is_video() {
            "video/*"
        } else {
            "image/*"
        }
    };
    view! {
        <label class="button button-small file-button" hidden=move || !waiting()>
            "Add again"
            <input
                type="file"
                class="visually-hidden"
                accept=accept
                aria-label=move || format!("Add {} again", state.name())
                on:change:target=move |ev| {
                    let input = ev.target();
                    if let Some(file) = input.files().map(file_list).and_then(|f| f.into_iter().next()) {
                        replace_file(ctx, state.id, file);
                    }
                    input.set_value("");
                }
            />
        </label>
    }
}
