//! The item's picture: the image, an early frame of the video, or a plain
//! file sign, with a video's length as a badge.

use leptos::prelude::*;

use super::ItemState;
use crate::core::form::references::{ReferenceSource, VideoLength};
use crate::core::model::pricing::{format_tenths, millis_to_tenths};

/// Both previews exist and attributes pick one: cheaper in code than
/// swapping element types. A link the browser cannot load (gone, refused,
/// not media) shows the plain file sign instead of the browser's
/// broken-image sign.
#[component]
pub(super) fn ReferencePreview(state: ItemState) -> impl IntoView {
    let ctx = state.ctx;
    let id = state.id;
    let is_video = move || state.is_video();
    let src = Memo::new(move |_| {
        state.item.with(|i| {
            let i = i.as_ref()?;
            if i.refusal.is_some() {
                return None;
            }
            match &i.source {
                ReferenceSource::Url(url) => Some(url.clone()),
                // After a reload an uploaded file has no bytes here, but
                // fal's storage serves it.
                ReferenceSource::File(_) => ctx
                    .media
                    .with_value(|m| m.get(&id).map(|m| m.url.as_str().to_string()))
                    .or_else(|| i.uploaded_url.clone()),
                ReferenceSource::FileToAddAgain(_) => None,
            }
        })
    });
    let has_src = move || src.with(Option::is_some);
    let known_length = move || {
        state
            .item
            .with(|i| match i.as_ref().and_then(|i| i.length) {
                Some(VideoLength::Known { millis }) => {
                    Some(format_tenths(millis_to_tenths(millis)))
                }
                _ => None,
            })
    };
    let failed = RwSignal::new(false);
    view! {
        <div class="ref-media">
            // `#t=0.1` makes the browser show an early frame as the video's poster.
            <video
                class="ref-preview"
                hidden=move || !(is_video() && has_src()) || failed.get()
                src=move || if is_video() { src.get().map(|src| format!("{src}#t=0.1")) } else { None }
                on:error=move |_| failed.set(true)
                on:loadedmetadata=move |_| failed.set(false)
                preload="metadata"
                muted=true
                playsinline=true
                aria-hidden="true"
            ></video>
            <img
                class="ref-preview"
                hidden=move || is_video() || !has_src() || failed.get()
                src=move || if is_video() { None } else { src.get() }
                on:error=move |_| failed.set(true)
                on:load=move |_| failed.set(false)
                alt=""
                referrerpolicy="no-referrer"
            />
            <span class="ref-preview ref-preview-empty" aria-hidden="true"
                hidden=move || has_src() && !failed.get()>
                <svg viewBox="0 0 24 24"><path d="M7 3h7l5 5v13H7z M14 3v5h5"/></svg>
            </span>
            <span class="ref-badge" aria-hidden="true" hidden=move || known_length().is_none()>
                {move || known_length().unwrap_or_default()}
            </span>
        </div>
    }
}
