//! The "fal key" field: masked, paste-friendly, shape-checked, and kept in
//! memory unless the user opts in to "Remember on this device".

use leptos::prelude::*;

use super::ConnectionContext;
use crate::core::config::runtime::AppConfig;
use crate::core::fal::transport::FalKey;
use crate::web::key_store;

/// Where fal users create keys; named in the help text, not linked with the
/// key in any URL.
const FAL_KEYS_PAGE: &str = "https://fal.ai/dashboard/keys";

/// Key input with show/hide, remember opt-in and forget.
#[component]
pub fn KeyField() -> impl IntoView {
    let connection = ConnectionContext::expect();
    // What is typed stays here; only a well-formed key reaches the context.
    let text = RwSignal::new(
        connection
            .key
            .get_untracked()
            .map(|k| k.expose().to_owned())
            .unwrap_or_default(),
    );
    let touched = RwSignal::new(false);
    let visible = RwSignal::new(false);
    let storage_refused = RwSignal::new(false);

    let problem = move || {
        let t = text.get();
        if t.trim().is_empty() {
            return None;
        }
        FalKey::parse(&t).err().map(|e| e.to_string())
    };
    let show_problem = move || touched.get() && problem().is_some();

    let on_input = move |value: String| {
        text.set(value.clone());
        connection.set_key(FalKey::parse(&value).ok());
    };
    let forget = move |_| {
        connection.forget();
        text.set(String::new());
        touched.set(false);
        storage_refused.set(false);
    };

    view! {
        <div class="field key-field">
            <label class="field-label" for="fal-key">"fal key"</label>
            <div class="key-input-row">
                <input
                    id="fal-key"
                    class="input key-input"
                    type=move || if visible.get() { "text" } else { "password" }
                    autocomplete="off"
                    spellcheck="false"
                    autocapitalize="off"
                    placeholder="key_id:key_secret"
                    aria-describedby="fal-key-help fal-key-problem"
                    aria-invalid=move || show_problem().to_string()
                    prop:value=move || text.get()
                    on:input:target=move |ev| on_input(ev.target().value())
                    on:paste=move |_| touched.set(true)
                    on:blur=move |_| touched.set(true)
                />
                <button
                    type="button"
                    class="button button-secondary button-small"
                    aria-pressed=move || visible.get().to_string()
                    aria-controls="fal-key"
                    on:click=move |_| visible.update(|v| *v = !*v)
                >
                    {move || if visible.get() { "Hide" } else { "Show" }}
                </button>
            </div>
            <p id="fal-key-problem" class="field-message is-error" role="alert">
                {move || show_problem().then(problem).flatten()}
            </p>
            <p id="fal-key-help" class="field-hint">
                "Held in this tab's memory only, unless you choose to remember it. Create one at "
                {FAL_KEYS_PAGE}
                "; a key with API scope is enough. "
                {connection.config.with_value(AppConfig::key_destination)}
            </p>
            <label class="checkbox-row">
                <input
                    type="checkbox"
                    prop:checked=move || connection.remembered.get()
                    on:change:target=move |ev| {
                        let ok = connection.set_remembered(ev.target().checked());
                        storage_refused.set(!ok);
                    }
                />
                <span>"Remember on this device"</span>
            </label>
            <p class="field-hint">
                "Stores the key unencrypted in this browser's local storage for this site (key "
                <code>{key_store::STORAGE_KEY}</code>
                "). Anyone using this browser profile could use it."
            </p>
            <Show when=move || storage_refused.get()>
                <p class="field-message is-error" role="alert">
                    "This browser refused to store the key (private mode or storage disabled); it stays in memory only."
                </p>
            </Show>
            <Show when=move || connection.key.get().is_some() || connection.remembered.get() || !text.get().is_empty()>
                <button type="button" class="button button-secondary button-small" on:click=forget>"Forget key"</button>
            </Show>
        </div>
    }
}
