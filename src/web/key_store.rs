//! Where a fal key is kept when, and only when, the user ticks "Remember on
//! this device": this site's `localStorage`. Otherwise the key lives in
//! memory and is gone when the tab closes.

use crate::core::fal::transport::FalKey;

/// The storage key. Named so a person inspecting storage knows what it is.
pub const STORAGE_KEY: &str = "wan-r2v-studio.fal-key";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The remembered key, if the user stored one earlier and it still parses.
pub fn load() -> Option<FalKey> {
    let text = local_storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    FalKey::parse(&text).ok()
}

/// Stores the key on this device. Returns false when storage is unavailable
/// (private mode, disabled storage), so the UI can say it was not kept.
pub fn remember(key: &FalKey) -> bool {
    local_storage().is_some_and(|s| s.set_item(STORAGE_KEY, key.expose()).is_ok())
}

/// Removes any stored copy, from local and session storage alike.
pub fn forget() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
    if let Some(session) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = session.remove_item(STORAGE_KEY);
    }
}
