//! The connection state every component reads: the deployer's config and the
//! key the user entered (in memory unless they chose to remember it).

use leptos::prelude::*;

use crate::core::config::connection_mode::ConnectionMode;
use crate::core::config::runtime::AppConfig;
use crate::core::embed::consent::read_remembered;
use crate::core::fal::base_url::BaseUrl;
use crate::core::fal::endpoint::QueueEndpoint;
use crate::core::fal::endpoint_error::EndpointError;
use crate::core::fal::route::Route;
use crate::core::fal::transport::{choose_connection, ConnectionChoice, FalKey, Transport};
use crate::core::spending::limits::SpendingLimits;
use crate::web::{key_store, local_storage};

use super::access_state::AccessState;
use super::disclosure::PanelDisclosure;

/// Where the sites allowed to start jobs without asking are kept.
pub const EMBED_ALWAYS_STORAGE_KEY: &str = "wan-r2v-studio.embed-always-allowed";

/// Where the person's spending limits are kept (they are not secret).
pub const SPENDING_LIMITS_STORAGE_KEY: &str = "wan-r2v-studio.spending-limits";

/// Provided once by the app; `Copy`, so components take it from context.
#[derive(Clone, Copy)]
pub struct ConnectionContext {
    /// The deployer's config, fixed for the page's life.
    pub config: StoredValue<AppConfig>,
    /// The user's key. Never written anywhere but memory, and the key store
    /// when `remembered` is on.
    pub key: RwSignal<Option<FalKey>>,
    /// Whether the user asked to keep the key on this device.
    pub remembered: RwSignal<bool>,
    /// The mode at a glance (follows the key): one memo for the badge, the
    /// panel and the check, so a keystroke that leaves the mode as it was
    /// redraws nothing.
    pub mode: Memo<ConnectionMode>,
    /// The access code for the deployer's proxy and its last refusal.
    pub access: AccessState,
    /// "Daily spending cap" and "Confirm runs over".
    pub limits: RwSignal<SpendingLimits>,
    /// Embedding sites the person chose "Always allow this site" for.
    pub embed_always: RwSignal<Vec<String>>,
    /// Whether the Connection panel shows or is folded behind the badge.
    pub panel: PanelDisclosure,
}

impl ConnectionContext {
    /// Starts with a key remembered earlier, if any (only the user's own
    /// opt-in puts one there).
    pub fn new(config: AppConfig) -> Self {
        let stored = if config.allow_user_key {
            key_store::load()
        } else {
            None
        };
        let config = StoredValue::new(config);
        let key = RwSignal::new(stored);
        let mode = Memo::new(move |_| {
            let key = key.get();
            config.with_value(|config| ConnectionMode::of(config, &choose_connection(config, key)))
        });
        let access = AccessState::new();
        Self {
            config,
            remembered: RwSignal::new(key.with_untracked(Option::is_some)),
            key,
            mode,
            access,
            panel: PanelDisclosure::new(mode, access),
            embed_always: RwSignal::new(
                local_storage::get(EMBED_ALWAYS_STORAGE_KEY)
                    .map(|t| read_remembered(&t))
                    .unwrap_or_default(),
            ),
            limits: RwSignal::new(
                local_storage::get(SPENDING_LIMITS_STORAGE_KEY)
                    .map_or_else(SpendingLimits::default, |t| SpendingLimits::from_stored(&t)),
            ),
        }
    }

    /// The context provided by the app.
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// Which connection the current config and key give (tracks the key).
    pub fn choice(&self) -> ConnectionChoice {
        let key = self.key.get();
        self.config
            .with_value(|config| choose_connection(config, key))
    }

    /// The transport to send calls with, or `None` while a key is needed.
    /// It carries the access code; the transport decides where it may go.
    pub fn transport(&self) -> Option<Result<Transport, EndpointError>> {
        match self.choice() {
            ConnectionChoice::Ready(connection) => {
                let code = self.access.code.get();
                Some(self.config.with_value(|config| {
                    Transport::new(config, connection).map(|t| t.with_access_code(code))
                }))
            }
            ConnectionChoice::NeedsKey => None,
        }
    }

    /// Everything a job needs to reach fal, or `None` while a key is needed.
    pub fn route(&self) -> Option<Result<Route, EndpointError>> {
        let transport = match self.transport()? {
            Ok(transport) => transport,
            Err(error) => return Some(Err(error)),
        };
        Some(self.config.with_value(|config| {
            Ok(Route {
                transport,
                endpoint: QueueEndpoint::from_config(config)?,
                rest: BaseUrl::parse(&config.rest_base_url)?,
            })
        }))
    }

    /// Sets or clears the key; keeps the stored copy in step when the user
    /// opted in to remembering it.
    pub fn set_key(&self, key: Option<FalKey>) {
        if self.remembered.get_untracked() {
            match &key {
                Some(key) => {
                    key_store::remember(key);
                }
                None => key_store::forget(),
            }
        }
        self.key.set(key);
    }

    /// Turns remembering on or off. Off removes the stored copy at once.
    /// Returns false if the browser refused to store it.
    pub fn set_remembered(&self, on: bool) -> bool {
        let stored = match (on, self.key.get_untracked()) {
            (true, Some(key)) => key_store::remember(&key),
            (true, None) => true,
            (false, _) => {
                key_store::forget();
                true
            }
        };
        self.remembered.set(on && stored);
        stored
    }

    /// Sets the spending limits and keeps them on this device (they are
    /// the person's own settings, not a secret).
    pub fn set_limits(&self, limits: SpendingLimits) {
        local_storage::set(SPENDING_LIMITS_STORAGE_KEY, &limits.to_stored());
        self.limits.set(limits);
    }

    /// Sets the sites always allowed to start jobs, here and in storage.
    pub fn set_embed_always(&self, origins: Vec<String>) {
        let text = serde_json::to_string(&origins).unwrap_or_default();
        local_storage::set(EMBED_ALWAYS_STORAGE_KEY, &text);
        self.embed_always.set(origins);
    }

    /// "Forget key": out of memory and out of every storage.
    pub fn forget(&self) {
        key_store::forget();
        self.remembered.set(false);
        self.key.set(None);
    }
}
