//! An entry's first frame: the video itself with only its metadata and
//! first frame loaded (`preload="metadata"` and a `#t=` start), played from
//! the kept copy when there is one, so it still shows once fal's CDN has
//! let the file go.

use leptos::{either::Either, prelude::*};

use super::kept_copies::KeptCopies;
use crate::web::{object_url::ObjectUrl, video_cache};

const SHAPE: &str = "history-thumb";

/// The still sign shown instead of a frame.
fn placeholder() -> impl IntoView {
    view! {
        <div class=SHAPE aria-hidden="true">
            <svg class="history-thumb-icon" viewBox="0 0 48 48">
                <rect x="4" y="10" width="40" height="28" rx="4"/>
                <path d="M20 18l10 6-10 6z"/>
            </svg>
        </div>
    }
}

/// The frame, or a placeholder when the job has no video or this browser
/// cannot show it (a black box would look like a black video).
#[component]
pub fn Thumbnail(
    /// The video's URL (already checked to be a web URL).
    url: Option<String>,
) -> impl IntoView {
    let Some(url) = url else {
        return Either::Left(placeholder());
    };
    let failed = RwSignal::new(false);
    let kept = use_context::<KeptCopies>();
    let is_kept = {
        let url = url.clone();
        move || kept.is_some_and(|k| k.size_of(&url).is_some())
    };
    // The kept copy's blob URL lives as long as this resource's value.
    let local = {
        let url = url.clone();
        LocalResource::new(move || {
            let url = url.clone();
            let wanted = is_kept();
            async move {
                if wanted {
                    video_cache::play_url(&url).await
                } else {
                    None
                }
            }
        })
    };
    let src = move || {
        let from_cache = local.with(|value| {
            value
                .as_ref()
                .and_then(Option::as_ref)
                .map(|object: &ObjectUrl| object.as_str().to_owned())
        });
        // `#t=0.1` asks for the first frame, also from a kept copy's blob URL.
        format!("{}#t=0.1", from_cache.as_deref().unwrap_or(&url))
    };
    Either::Right(view! {
        <video class=SHAPE preload="metadata" muted playsinline
            aria-hidden="true" tabindex="-1" src=src hidden=move || failed.get()
            on:error=move |_| failed.set(true)
            // The CDN's copy may fail before the kept copy takes its place:
            // a source that loads shows the frame again.
            on:loadedmetadata=move |_| failed.set(false)></video>
        {move || failed.get().then(placeholder)}
    })
}
