//! Object URLs for local files, revoked when their owner goes.
//!
//! A `blob:` URL keeps the file's bytes reachable for as long as the page
//! lives unless it is revoked, so a form where people add and remove large
//! videos would otherwise leak memory. Tying the URL to a value that revokes
//! it on drop makes "remove the item" and "free the bytes" the same act.

use wasm_bindgen::JsValue;

/// A `blob:` URL for a file, revoked when this value is dropped.
#[derive(Debug)]
pub struct ObjectUrl(String);

impl ObjectUrl {
    /// Creates a URL the page can use as an `<img>` or `<video>` source.
    pub fn new(blob: &web_sys::Blob) -> Result<Self, JsValue> {
        web_sys::Url::create_object_url_with_blob(blob).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Drop for ObjectUrl {
    fn drop(&mut self) {
        // Revoking can only fail for a malformed URL, which `new` never makes.
        let _ = web_sys::Url::revoke_object_url(&self.0);
    }
}
