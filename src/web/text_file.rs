//! Saving text as a file the person downloads ("Export history"), and
//! reading a file they chose ("Import history").

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::download::save_object_url;
use super::object_url::ObjectUrl;

/// Offers `text` as a download named `file_name`. False if the browser
/// refused (then nothing was saved).
pub fn save(file_name: &str, text: &str) -> bool {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let Ok(blob) = web_sys::Blob::new_with_str_sequence(&parts) else {
        return false;
    };
    ObjectUrl::new(&blob).is_ok_and(|url| save_object_url(url, file_name))
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
