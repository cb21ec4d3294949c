//! `navigator.storage.persist()` and `persisted()`: whether the browser may
//! clear this site's storage (the history, kept videos) when space runs
//! low. `None` where the browser has no such API (WebKit has no
//! `navigator.storage` in some builds): nothing to say there, no error.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

async fn call(method: &str) -> Option<bool> {
    let navigator = web_sys::window()?.navigator();
    let storage = Reflect::get(&navigator, &JsValue::from_str("storage")).ok()?;
    if storage.is_undefined() || storage.is_null() {
        return None;
    }
    let function: Function = Reflect::get(&storage, &JsValue::from_str(method))
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: Promise = function.call0(&storage).ok()?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// Asks the browser to keep this site's storage (it may ask the person,
/// or decide by itself). The answer: granted or not.
pub async fn ask() -> Option<bool> {
    call("persist").await
}

/// Whether storage is persistent already, without asking.
pub async fn state() -> Option<bool> {
    call("persisted").await
}
