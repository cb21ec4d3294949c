//! One entry's kept copy: "Keep a copy", or the copy's size with "Save kept
//! copy" and "Remove copy".

use leptos::prelude::*;

use super::kept_copies::KeptCopies;
use crate::core::model::byte_size::format_bytes;
use crate::ui::common::SmallButton;

/// The kept-copy part of an entry's actions.
#[component]
pub fn KeptLine(
    /// The video's URL.
    url: String,
    /// The name "Save kept copy" gives the download.
    file_name: String,
) -> impl IntoView {
    let kept = expect_context::<KeptCopies>();
    let size = {
        let url = url.clone();
        Memo::new(move |_| kept.size_of(&url))
    };
    let saving = {
        let url = url.clone();
        Memo::new(move |_| kept.is_saving(&url))
    };
    let (keep_url, forget_url, save_url) = (url.clone(), url.clone(), url);
    let is_kept = move || size.with(Option::is_some);
    view! {
        <span class="history-kept">
            <span class="history-kept-size" hidden=move || !is_kept()>
                {move || size.get().map(|bytes| format!("Copy kept in this browser · {}", format_bytes(bytes)))}
            </span>
            <SmallButton label="Save kept copy" hidden=Signal::derive(move || !is_kept())
                on_press=Callback::new(move |()| kept.save(save_url.clone(), file_name.clone()))/>
            <SmallButton label="Remove copy" hidden=Signal::derive(move || !is_kept())
                on_press=Callback::new(move |()| kept.forget(forget_url.clone()))/>
            <span role="status">{move || (saving.get() && !is_kept()).then_some("Keeping a copy…")}</span>
            <SmallButton label="Keep a copy" hidden=Signal::derive(move || is_kept() || saving.get())
                on_press=Callback::new(move |()| kept.keep(keep_url.clone()))/>
        </span>
    }
}
