//! Work done when the page has nothing else to do: one-time browser
//! warm-ups that would otherwise land in a task a person is waiting on.

use wasm_bindgen::{closure::Closure, JsCast};

/// Runs `work` in the browser's next idle period (or in a second where
/// there is no `requestIdleCallback`).
pub fn run_when_idle(work: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let run = Closure::once_into_js(work);
    let function = run.unchecked_ref::<js_sys::Function>();
    if window.request_idle_callback(function).is_err() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(function, 1000);
    }
}
