//! Saving the finished video under a sensible name. A cross-origin link's
//! `download` attribute is ignored by browsers, so the bytes are fetched and
//! saved from an object URL; if the host refuses that, the video opens in a
//! new tab where the browser's own "Save video" works.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::object_url::ObjectUrl;

/// Downloads `url` as `file_name`.
pub async fn download(url: &str, file_name: &str) {
    if save_via_blob(url, file_name).await.is_none() {
        open_in_new_tab(url);
    }
}

/// Opens `url` in a new tab that cannot reach back into this page
/// (`noopener`): the page holds the fal key, the video's host is not ours.
pub fn open_in_new_tab(url: &str) -> bool {
    web_sys::window().is_some_and(|window| {
        window
            .open_with_url_and_target_and_features(url, "_blank", "noopener,noreferrer")
            .is_ok()
    })
}

async fn save_via_blob(url: &str, file_name: &str) -> Option<()> {
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let blob: web_sys::Blob = JsFuture::from(response.blob().ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let object_url = ObjectUrl::new(&blob).ok()?;
    save_object_url(object_url, file_name).then_some(())
}

/// Offers what `object_url` points at as a download named `file_name`,
/// through a temporary `<a download>`. False if the page has no document.
/// Every "save as a file" in the app (video, kept copy, history export)
/// goes through here.
pub fn save_object_url(object_url: ObjectUrl, file_name: &str) -> bool {
    let Some(link) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return false;
    };
    link.set_href(object_url.as_str());
    link.set_download(file_name);
    link.click();
    // Revoking at once can cancel the save in some browsers; a minute is
    // ample, and then the bytes are freed.
    leptos::prelude::set_timeout(move || drop(object_url), std::time::Duration::from_secs(60));
    true
}
