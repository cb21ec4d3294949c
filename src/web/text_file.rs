//! Saving text as a file the person downloads ("Export history"), and
//! reading a file they chose ("Import history").

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::object_url::ObjectUrl;

/// Offers `text` as a download named `file_name`. False if the browser
/// refused (then nothing was saved).
pub fn save(file_name: &str, text: &str) -> bool {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let Ok(blob) = web_sys::Blob::new_with_str_sequence(&parts) else {
        return false;
    };
    let Ok(url) = ObjectUrl::new(&blob) else {
        return false;
    };
    let Some(link) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return false;
    };
    link.set_href(url.as_str());
    link.set_download(file_name);
    link.click();
    // Revoking at once can cancel the save in some browsers.
    leptos::prelude::set_timeout(move || drop(url), std::time::Duration::from_secs(60));
    true
}

/// The text of a file the person chose, and its size in bytes.
pub async fn read(file: &web_sys::File) -> Result<(String, u64), String> {
    let size = file.size() as u64;
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| "The browser could not read that file.".to_string())?;
    text.as_string()
        .map(|t| (t, size))
        .ok_or_else(|| "The browser could not read that file as text.".to_string())
}
