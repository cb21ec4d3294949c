//! The "fal key" field: masked, paste-friendly, shape-checked, and kept in
//! memory unless the user opts in to "Remember on this device".

use leptos::prelude::*;

use super::secret_field::{Secret, SecretField};
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
    let initial = connection
        .key
        .get_untracked()
        .map(|k| k.expose().to_owned())
        .unwrap_or_default();
    let secret = Secret {
        id: "fal-key",
        label: "fal key",
        placeholder: Some("key_id:key_secret"),
        noun: "key",
        problem: |text| FalKey::parse(text).err().map(|e| e.to_string()),
        storage_key: key_store::STORAGE_KEY,
        storage_note: "Anyone using this browser profile could use it.",
        refused: "This browser refused to store the key (private mode or storage disabled); it stays in memory only.",
        forget: "Forget key",
    };
    view! {
        <div class="field key-field">
            <SecretField
                secret
                initial
                held=Signal::derive(move || connection.key.with(Option::is_some))
                remembered=connection.remembered.into()
                // Only a well-formed key reaches the context.
                on_text=Callback::new(move |text: String| connection.set_key(FalKey::parse(&text).ok()))
                set_remembered=Callback::new(move |on| connection.set_remembered(on))
                on_forget=Callback::new(move |()| connection.forget())
            >
                "Held in this tab's memory only, unless you choose to remember it. Create one at "
                {FAL_KEYS_PAGE}
                "; a key with API scope is enough. "
                {connection.config.with_value(AppConfig::key_destination)}
            </SecretField>
        </div>
    }
}
