//! "Access code": asked for when the deployer's proxy answers that it needs
//! one (or when one is held), masked like the key, in memory unless the
//! person opts in to "Remember on this device". When the proxy wants a
//! sign-in instead, it says so and asks for nothing.

use leptos::prelude::*;

use super::access_state::ACCESS_CODE_STORAGE_KEY;
use super::ConnectionContext;
use crate::core::access::access_code::AccessCode;
use crate::core::access::refusal::{AccessMode, AccessRefusal};

/// What the proxy's last "no access" asked for, if anything.
fn asked(refusal: &Option<AccessRefusal>) -> Option<AccessMode> {
    match refusal {
        Some(AccessRefusal::AccessRequired { mode, .. }) => Some(*mode),
        _ => None,
    }
}

/// The field, or the sign-in notice, or nothing while the proxy asked for
/// neither and no code is held.
#[component]
pub fn AccessCodeField() -> impl IntoView {
    let connection = ConnectionContext::expect();
    let access = connection.access;
    let mode = Memo::new(move |_| access.refusal.with(asked));
    let show_field = move || {
        mode.get() == Some(AccessMode::AccessCode)
            || access.asked.get()
            || access.code.with(Option::is_some)
            || access.remembered.get()
    };
    view! {
        <Show when=move || mode.get() == Some(AccessMode::SignIn)>
            <p class="field-message is-error" role="alert">
                "This site's fal proxy is only for people signed in to this site. Sign in to this site, then reload this page."
            </p>
        </Show>
        <Show when=show_field>
            <CodeInput/>
        </Show>
    }
}

#[component]
fn CodeInput() -> impl IntoView {
    let connection = ConnectionContext::expect();
    let access = connection.access;
    let text = RwSignal::new(
        access
            .code
            .get_untracked()
            .map(|c| c.expose().to_owned())
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
        AccessCode::parse(&t).err().map(|e| e.to_string())
    };
    let show_problem = move || touched.get() && problem().is_some();
    let on_input = move |value: String| {
        text.set(value.clone());
        access.set_code(AccessCode::parse(&value).ok());
    };
    let forget = move |_| {
        access.forget();
        text.set(String::new());
        touched.set(false);
        storage_refused.set(false);
    };
    view! {
        <div class="field key-field access-code-field">
            <label class="field-label" for="access-code">"Access code"</label>
            <div class="key-input-row">
                <input
                    id="access-code"
                    class="input key-input"
                    type=move || if visible.get() { "text" } else { "password" }
                    autocomplete="off"
                    spellcheck="false"
                    autocapitalize="off"
                    aria-describedby="access-code-help access-code-problem"
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
                    aria-controls="access-code"
                    on:click=move |_| visible.update(|v| *v = !*v)
                >
                    {move || if visible.get() { "Hide" } else { "Show" }}
                </button>
            </div>
            <p id="access-code-problem" class="field-message is-error" role="alert">
                {move || show_problem().then(problem).flatten()}
            </p>
            <p id="access-code-help" class="field-hint">
                "This site's proxy needs a code from the person who runs it. Held in this tab's memory only, unless you choose to remember it; sent only to this site's proxy."
            </p>
            <label class="checkbox-row">
                <input
                    type="checkbox"
                    prop:checked=move || access.remembered.get()
                    on:change:target=move |ev| {
                        let ok = access.set_remembered(ev.target().checked());
                        storage_refused.set(!ok);
                    }
                />
                <span>"Remember on this device"</span>
            </label>
            <p class="field-hint">
                "Stores the code unencrypted in this browser's local storage for this site (key "
                <code>{ACCESS_CODE_STORAGE_KEY}</code>
                ")."
            </p>
            <Show when=move || storage_refused.get()>
                <p class="field-message is-error" role="alert">
                    "This browser refused to store the code; it stays in memory only."
                </p>
            </Show>
            <Show when=move || access.code.get().is_some() || access.remembered.get() || !text.get().is_empty()>
                <button type="button" class="button button-secondary button-small" on:click=forget>"Forget access code"</button>
            </Show>
        </div>
    }
}
