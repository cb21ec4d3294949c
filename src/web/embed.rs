//! The browser side of the embedding API: is the studio in a frame, what is
//! known of the parent page's origin, receiving its messages and posting
//! ours. Who may take part, and what the messages mean, is the core's
//! (`core::embed_protocol`).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The page address's query (`?embed=1…`), for `embed_requested`.
pub fn page_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// True when another page holds the studio in a frame.
pub fn is_framed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    match window.parent() {
        Ok(Some(parent)) => !js_sys::Object::is(&parent, &window),
        // A parent the browser will not even name is still a parent.
        Ok(None) | Err(_) => true,
    }
}

/// What the browser says of the parent page's address before it has sent
/// anything: `location.ancestorOrigins` where the browser has it (Chromium,
/// Safari), otherwise the referrer of this frame's page. Only a hint: the
/// browser delivers a posted message only to the origin it is addressed to.
pub fn parent_address_hint() -> Option<String> {
    let window = web_sys::window()?;
    // Read by name: web-sys gates `ancestor_origins` behind a feature
    // (DomStringList) for this one call.
    let ancestors = js_sys::Reflect::get(&window.location(), &"ancestorOrigins".into()).ok();
    if let Some(origin) = ancestors
        .filter(|list| list.is_object())
        .and_then(|list| js_sys::Reflect::get(&list, &0.into()).ok())
        .and_then(|first| first.as_string())
    {
        return Some(origin);
    }
    let referrer = window.document()?.referrer();
    (!referrer.is_empty()).then_some(referrer)
}

/// One message received by this window.
pub struct Received {
    /// The sender's origin as the browser reports it (`"null"` if opaque).
    pub origin: String,
    /// True when the sender is the window that holds this frame: a message
    /// from any other window (another frame, a popup) is never a command.
    pub from_parent: bool,
    /// The message's data as JSON text; `None` if it cannot be written as
    /// JSON (a `File`, a cyclic object).
    pub json: Option<String>,
}

/// Keeps the `message` listener attached; dropping it detaches it.
pub struct MessageListener {
    callback: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Drop for MessageListener {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback(
                "message",
                self.callback.as_ref().unchecked_ref(),
            );
        }
    }
}

/// Calls `on_message` for every message this window receives.
pub fn listen(mut on_message: impl FnMut(Received) + 'static) -> Option<MessageListener> {
    let window = web_sys::window()?;
    let callback =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let from_parent = match (event.source(), web_sys::window().map(|w| w.parent())) {
                (Some(source), Some(Ok(Some(parent)))) => js_sys::Object::is(&source, &parent),
                _ => false,
            };
            let json = js_sys::JSON::stringify(&event.data())
                .ok()
                .and_then(|text| text.as_string());
            on_message(Received {
                origin: event.origin(),
                from_parent,
                json,
            });
        });
    window
        .add_event_listener_with_callback("message", callback.as_ref().unchecked_ref())
        .ok()?;
    Some(MessageListener { callback })
}

/// Posts the event `json` to the parent page, delivered only if the parent
/// has the origin `target_origin` (or to any, for `"*"`). Sent as an object,
/// not text, so hosts read `event.data.type` directly.
pub fn post_to_parent(json: &str, target_origin: &str) {
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
        return;
    };
    let message = js_sys::JSON::parse(json).unwrap_or_else(|_| JsValue::from_str(json));
    let _ = parent.post_message(&message, target_origin);
}

/// Says, in the console, why a host's command was ignored, so whoever sets
/// up an embedding can see it; the host itself hears nothing.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}
