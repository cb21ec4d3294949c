//! The optional browser notification when a video is ready. Permission is
//! asked only when the person turns the option on, never on page load.

use wasm_bindgen_futures::JsFuture;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

/// True when this browser can show notifications at all.
pub fn supported() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::has(&w, &"Notification".into()).ok())
        .unwrap_or(false)
}

/// Asks for permission; true when granted.
pub async fn request_permission() -> bool {
    if !supported() {
        return false;
    }
    if Notification::permission() == NotificationPermission::Granted {
        return true;
    }
    let Ok(promise) = Notification::request_permission() else {
        return false;
    };
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_string())
        .is_some_and(|answer| answer == "granted")
}

/// Shows `title` with `body`, if permission was granted.
pub fn show(title: &str, body: &str) {
    if !supported() || Notification::permission() != NotificationPermission::Granted {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(body);
    let _ = Notification::new_with_options(title, &options);
}
