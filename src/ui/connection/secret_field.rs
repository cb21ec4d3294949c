//! The masked field the fal key and the access code share: what is typed
//! stays here and only a well-formed secret reaches its owner; the shape
//! problem shows once the person has pasted or left the field; Show/Hide;
//! the opt-in "Remember on this device" with what it means; and a Forget
//! button while anything is held or typed.

use leptos::prelude::*;

/// What tells one secret from the other.
pub struct Secret {
    /// The input's id; the hint and problem ids derive from it.
    pub id: &'static str,
    pub label: &'static str,
    pub placeholder: Option<&'static str>,
    /// What it is called in sentences ("key", "code").
    pub noun: &'static str,
    /// Why `text` is not a well-formed secret; `None` when it is.
    pub problem: fn(&str) -> Option<String>,
    /// The localStorage key "Remember on this device" writes.
    pub storage_key: &'static str,
    /// Said after the storage key in the remember hint, if anything.
    pub storage_note: &'static str,
    /// Said when the browser refused to store it.
    pub refused: &'static str,
    /// The Forget button's name.
    pub forget: &'static str,
}

/// The field for `secret`. `held`: the owner holds a well-formed one.
/// `on_text` hears every edit; `set_remembered` answers whether storage
/// took it.
#[component]
pub fn SecretField(
    secret: Secret,
    initial: String,
    held: Signal<bool>,
    remembered: Signal<bool>,
    on_text: Callback<String>,
    set_remembered: Callback<bool, bool>,
    on_forget: Callback<()>,
    /// The help under the field.
    children: Children,
) -> impl IntoView {
    let Secret {
        id,
        label,
        placeholder,
        noun,
        problem,
        storage_key,
        storage_note,
        refused,
        forget,
    } = secret;
    let help_id = format!("{id}-help");
    let problem_id = format!("{id}-problem");
    let described_by = format!("{help_id} {problem_id}");
    let text = RwSignal::new(initial);
    let touched = RwSignal::new(false);
    let visible = RwSignal::new(false);
    let storage_refused = RwSignal::new(false);
    let current_problem = move || {
        let t = text.get();
        if t.trim().is_empty() {
            None
        } else {
            problem(&t)
        }
    };
    let show_problem = move || touched.get() && current_problem().is_some();
    let forget_all = move |_| {
        on_forget.run(());
        text.set(String::new());
        touched.set(false);
        storage_refused.set(false);
    };
    view! {
        <label class="field-label" for=id>{label}</label>
        <div class="key-input-row">
            <input
                id=id
                class="input key-input"
                type=move || if visible.get() { "text" } else { "password" }
                autocomplete="off"
                spellcheck="false"
                autocapitalize="off"
                placeholder=placeholder
                aria-describedby=described_by
                aria-invalid=move || show_problem().to_string()
                prop:value=move || text.get()
                on:input:target=move |ev| {
                    let value = ev.target().value();
                    text.set(value.clone());
                    on_text.run(value);
                }
                on:paste=move |_| touched.set(true)
                on:blur=move |_| touched.set(true)
            />
            <button
                type="button"
                class="button button-secondary button-small"
                aria-pressed=move || visible.get().to_string()
                aria-controls=id
                on:click=move |_| visible.update(|v| *v = !*v)
            >
                {move || if visible.get() { "Hide" } else { "Show" }}
            </button>
        </div>
        <p id=problem_id class="field-message is-error" role="alert">
            {move || show_problem().then(current_problem).flatten()}
        </p>
        <p id=help_id class="field-hint">{children()}</p>
        <label class="checkbox-row">
            <input
                type="checkbox"
                prop:checked=move || remembered.get()
                on:change:target=move |ev| {
                    let ok = set_remembered.run(ev.target().checked());
                    storage_refused.set(!ok);
                }
            />
            <span>"Remember on this device"</span>
        </label>
        <p class="field-hint">
            {format!("Stores the {noun} unencrypted in this browser's local storage for this site (key ")}
            <code>{storage_key}</code>
            ")."
            {(!storage_note.is_empty()).then(|| format!(" {storage_note}"))}
        </p>
        <Show when=move || storage_refused.get()>
            <p class="field-message is-error" role="alert">{refused}</p>
        </Show>
        <Show when=move || held.get() || remembered.get() || !text.get().is_empty()>
            <button type="button" class="button button-secondary button-small" on:click=forget_all>
                {forget}
            </button>
        </Show>
    }
}
