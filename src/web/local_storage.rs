//! This site's `localStorage`, one call per function. Storage can be
//! missing (disabled, some private modes) or refuse a write (full): each
//! function says so instead of failing.

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// True when the browser offers storage at all.
pub fn available() -> bool {
    storage().is_some()
}

/// The text under `key`, if any.
pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Writes `value` under `key`; false when the browser refused.
pub fn set(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Removes `key`; false when the browser refused.
pub fn remove(key: &str) -> bool {
    storage().is_some_and(|s| s.remove_item(key).is_ok())
}
