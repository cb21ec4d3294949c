//! The Connection panel where the page shows it, folded behind the header's
//! badge once the connection works (see [`super::disclosure`]). Escape in
//! the open panel folds it and gives focus back to the badge, as a
//! disclosure opened from elsewhere should.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::disclosure::CONNECTION_BADGE_ID;
use super::{ConnectionContext, ConnectionPanel};

/// The panel, shown or hidden by the connection context's disclosure.
#[component]
pub fn FoldingConnectionPanel() -> impl IntoView {
    let panel = ConnectionContext::expect().panel;
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" && panel.close() {
            ev.prevent_default();
            focus_badge();
        }
    };
    view! {
        <div class="connection-fold" hidden=move || !panel.is_open() on:keydown=on_keydown>
            <ConnectionPanel/>
        </div>
    }
}

/// Focus would otherwise fall to the page's start once the panel holding
/// it is hidden.
fn focus_badge() {
    let badge = document()
        .get_element_by_id(CONNECTION_BADGE_ID)
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(badge) = badge {
        let _ = badge.focus();
    }
}
