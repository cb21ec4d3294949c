//! Copying text (the API view's snippets) to the clipboard.

use wasm_bindgen_futures::JsFuture;

/// Copies `text`; the error says what to do instead.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("there is no browser window")?;
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.map(|_| ()).map_err(|_| {
        "The browser did not allow copying: select the text and copy it yourself.".to_string()
    })
}
