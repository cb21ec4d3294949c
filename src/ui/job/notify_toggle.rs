//! "Notify me when the video is ready": permission is asked only here.

use leptos::{prelude::*, task::spawn_local};

use crate::web::notify;

/// A checkbox bound to `enabled`; turning it on asks the browser first.
#[component]
pub fn NotifyToggle(
    /// Whether to notify; shared with the panel that sends the notice.
    enabled: RwSignal<bool>,
) -> impl IntoView {
    let refused = RwSignal::new(false);
    let on_change = move |checked: bool| {
        if !checked {
            enabled.set(false);
            return;
        }
        spawn_local(async move {
            let granted = notify::request_permission().await;
            enabled.try_set(granted);
            refused.try_set(!granted);
        });
    };
    notify::supported().then(|| {
        view! {
            <label class="checkbox-row notify-toggle">
                <input type="checkbox" prop:checked=move || enabled.get()
                    on:change:target=move |ev| on_change(ev.target().checked())/>
                <span>"Notify me when the video is ready"</span>
            </label>
            <Show when=move || refused.get()>
                <p class="field-hint">"The browser did not allow notifications for this site."</p>
            </Show>
        }
    })
}
