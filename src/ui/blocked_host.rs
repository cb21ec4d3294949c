//! Says so when the browser blocked a request under this site's
//! Content-Security-Policy (an upload URL on a host the policy does not
//! list): otherwise the upload just fails with a network error, and nobody
//! learns that a line in config.json fixes it.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::core::config::csp::blocked_request_message;

/// The notice, shown while the page lives (the last block wins).
#[component]
pub fn BlockedHostNotice() -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    let listener = window_event_listener(
        ev::Custom::<web_sys::Event>::new("securitypolicyviolation"),
        move |event| {
            let field = |name: &str| {
                js_sys::Reflect::get(&event, &JsValue::from_str(name))
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default()
            };
            if let Some(text) =
                blocked_request_message(&field("blockedURI"), &field("effectiveDirective"))
            {
                message.try_set(Some(text));
            }
        },
    );
    on_cleanup(move || listener.remove());
    view! {
        <p class="job-trouble blocked-host" role="alert" hidden=move || message.with(Option::is_none)>
            {move || message.get()}
        </p>
    }
}
