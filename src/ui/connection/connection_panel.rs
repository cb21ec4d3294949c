//! The "Connection" panel: the mode explained, the key field when this
//! deployment allows user keys, and "Test connection".

use leptos::prelude::*;

use super::{
    access_code_field::AccessCodeField, embed_sites::EmbedSites, key_field::KeyField,
    spending_settings::SpendingSettings, test_connection::TestConnection, ConnectionContext,
};
use crate::ui::panel::Panel;

/// Everything about reaching fal, in one place.
#[component]
pub fn ConnectionPanel() -> impl IntoView {
    let connection = ConnectionContext::expect();
    let allow_user_key = connection.config.with_value(|c| c.allow_user_key);
    let has_proxy = connection.config.with_value(|c| c.proxy_url.is_some());
    view! {
        <Panel id="connection" title="Connection" class="panel-connection">
            <p class="connection-mode">
                <strong>{move || connection.mode.get().label()}</strong>
                " — "
                {move || connection.mode.get().explanation()}
            </p>
            {allow_user_key.then(|| view! {
                {has_proxy.then(|| view! {
                    <p class="field-hint">"Optional: use your own fal key instead of this site's proxy."</p>
                })}
                <KeyField/>
            })}
            {has_proxy.then(|| view! { <AccessCodeField/> })}
            <TestConnection/>
            <SpendingSettings/>
            <EmbedSites/>
        </Panel>
    }
}
