//! The page's own address: where the studio is open (for share links, which
//! must work from any sub-path), and tidying the query once a share link
//! has filled the form, so a reload keeps the person's edits.

/// The page's full URL, e.g. `https://host/tools/r2v/?r2v=1&prompt=…`.
pub fn href() -> Option<String> {
    web_sys::window()?.location().href().ok()
}

/// The query, with its leading `?` (empty when there is none).
pub fn query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Replaces the query without reloading or adding a history step. The
/// path and fragment stay as they are.
pub fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let url = if query.is_empty() {
        format!("{path}{hash}")
    } else {
        format!("{path}?{query}{hash}")
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
