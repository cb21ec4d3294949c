//! "Access code": asked for when the deployer's proxy answers that it needs
//! one (or when one is held), masked like the key, in memory unless the
//! person opts in to "Remember on this device". When the proxy wants a
//! sign-in instead, it says so and asks for nothing.

use leptos::prelude::*;

use super::access_state::ACCESS_CODE_STORAGE_KEY;
use super::secret_field::{Secret, SecretField};
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
    let access = ConnectionContext::expect().access;
    let initial = access
        .code
        .get_untracked()
        .map(|c| c.expose().to_owned())
        .unwrap_or_default();
    let secret = Secret {
        id: "access-code",
        label: "Access code",
        placeholder: None,
        noun: "code",
        problem: |text| AccessCode::parse(text).err().map(|e| e.to_string()),
        storage_key: ACCESS_CODE_STORAGE_KEY,
        storage_note: "",
        refused: "This browser refused to store the code; it stays in memory only.",
        forget: "Forget access code",
    };
    view! {
        <div class="field key-field access-code-field">
            <SecretField
                secret
                initial
                held=Signal::derive(move || access.code.with(Option::is_some))
                remembered=access.remembered.into()
                on_text=Callback::new(move |text: String| access.set_code(AccessCode::parse(&text).ok()))
                set_remembered=Callback::new(move |on| access.set_remembered(on))
                on_forget=Callback::new(move |()| access.forget())
            >
                "This site's proxy needs a code from the person who runs it. Held in this tab's memory only, unless you choose to remember it; sent only to this site's proxy."
            </SecretField>
        </div>
    }
}
