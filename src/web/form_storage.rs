//! Keeping the request form in localStorage, so a reload loses nothing typed.
//!
//! Only the form's own JSON goes here (`core::form::persistence`, and
//! `core::batch::saved` for the "Variations" group); no key,
//! no file bytes. Storage can be unavailable (private modes, quota): then
//! the form simply is not kept, which costs convenience, not correctness.

/// Where the form is kept. The `.v1` matches the saved format's version.
pub const FORM_STORAGE_KEY: &str = "wan-r2v-studio.form.v1";

/// Where the "Variations" group of the form kept under `form_key` is kept
/// (its own entry, so each is written only when it changes).
pub fn variations_key(form_key: &str) -> String {
    format!("{form_key}.variations")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved form's JSON, if any.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Saves the form's JSON; false when storage refused it.
pub fn save(key: &str, json: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, json).is_ok())
}
