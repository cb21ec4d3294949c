//! How a call reaches fal: directly with the user's key, or through the
//! deployer's proxy. This is where the key's confinement is enforced.
//!
//! - Direct: `Authorization: Key …` is added only when the target lies under
//!   the configured queue or REST base URL (same origin, under its path
//!   prefix). Upload URLs, reference URLs, result media or anything else
//!   never see it, whatever the call claims to be.
//! - Proxy: calls fal-js routes through its proxy go to the proxy URL with
//!   `x-fal-target-url` = the full original URL (query included), same
//!   method, headers and body; the key goes along only when the deployer
//!   allowed forwarding it. Storage byte uploads go straight to the storage
//!   host in both modes, as fal-js does.
//! - Access code: a code for the deployer's proxy goes in one header,
//!   `x-wan-access-code`, only on calls sent to the proxy, and never when
//!   the proxy's own address is a fal host. Direct calls, storage uploads,
//!   reference and result URLs never carry it; a header of that name put
//!   there by a caller is dropped.

use crate::core::access::access_code::{AccessCode, ACCESS_CODE_HEADER};
use crate::core::config::runtime::AppConfig;
use crate::core::fal::base_url::BaseUrl;
use crate::core::fal::calls::{FalCall, Route};
use crate::core::fal::endpoint_error::EndpointError;
use crate::core::fal::http::HttpRequest;

/// A fal key, `key_id:key_secret`. Its `Debug` output is redacted so a
/// logged connection or error never leaks it.
#[derive(Clone, PartialEq, Eq)]
pub struct FalKey(String);

/// Why text is not a usable fal key, worded for the key field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    Empty,
    /// No `:` between id and secret (people often paste only one half).
    NotIdColonSecret,
    /// Spaces, quotes or other characters that no fal key contains.
    BadCharacters,
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KeyError::Empty => "Enter your fal key.",
            KeyError::NotIdColonSecret => {
                "A fal key has two parts joined by a colon, key_id:key_secret. \
                 Copy the whole key from fal.ai/dashboard/keys."
            }
            KeyError::BadCharacters => {
                "This key contains characters a fal key never has (spaces, quotes, …). \
                 Copy it again from fal.ai/dashboard/keys."
            }
        })
    }
}

impl FalKey {
    /// Checks the shape `key_id:key_secret`. A pasted `Key ` prefix (as in
    /// the header) and surrounding white space are dropped.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let text = text.trim();
        let text = text.strip_prefix("Key ").map_or(text, str::trim_start);
        if text.is_empty() {
            return Err(KeyError::Empty);
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
        if !text.chars().all(|c| allowed(c) || c == ':') {
            return Err(KeyError::BadCharacters);
        }
        match text.split_once(':') {
            Some((id, secret)) if !id.is_empty() && !secret.is_empty() && !secret.contains(':') => {
                Ok(Self(text.to_owned()))
            }
            _ => Err(KeyError::NotIdColonSecret),
        }
    }

    /// The key itself, for the `Authorization` header or for storing when
    /// the user opted in. Deliberately not `Display`.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The part before the colon, which is safe to show ("key 3b5c…").
    pub fn key_id(&self) -> &str {
        self.0.split_once(':').map_or("", |(id, _)| id)
    }

    fn authorization(&self) -> String {
        format!("Key {}", self.0)
    }
}

impl std::fmt::Debug for FalKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FalKey(<redacted>)")
    }
}

/// How calls are sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    /// Straight to fal with the user's key.
    Direct { key: FalKey },
    /// Through the deployer's proxy, which normally adds its own key.
    Proxy {
        url: String,
        forwarded_key: Option<FalKey>,
    },
}

/// What the app can do with the current config and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionChoice {
    Ready(Connection),
    /// No proxy, and no key yet: ask for one.
    NeedsKey,
}

/// Picks the connection:
/// - a proxy and no key: the proxy, keyless;
/// - a proxy, a key, and user keys and forwarding allowed: the proxy, with
///   the key;
/// - a key, and user keys allowed: direct (also when a proxy exists but the
///   deployer did not allow forwarding: the key then goes only to fal);
/// - a proxy and a key the config does not let us use: the proxy, keyless
///   (the key is not sent anywhere);
/// - otherwise: a key is needed.
pub fn choose_connection(config: &AppConfig, user_key: Option<FalKey>) -> ConnectionChoice {
    let proxy = config
        .proxy_url
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    match (proxy, user_key) {
        (Some(url), Some(key)) if config.allow_user_key && config.forward_user_key_to_proxy => {
            ConnectionChoice::Ready(Connection::Proxy {
                url: url.to_owned(),
                forwarded_key: Some(key),
            })
        }
        (_, Some(key)) if config.allow_user_key => {
            ConnectionChoice::Ready(Connection::Direct { key })
        }
        (Some(url), _) => ConnectionChoice::Ready(Connection::Proxy {
            url: url.to_owned(),
            forwarded_key: None,
        }),
        (None, _) => ConnectionChoice::NeedsKey,
    }
}

/// The proxy's header naming the real target.
pub const TARGET_URL_HEADER: &str = "x-fal-target-url";

/// A connection plus the fal hosts it may authenticate to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transport {
    pub connection: Connection,
    queue: BaseUrl,
    rest: BaseUrl,
    /// The person's code for the deployer's proxy, if they entered one.
    access_code: Option<AccessCode>,
}

impl Transport {
    pub fn new(config: &AppConfig, connection: Connection) -> Result<Self, EndpointError> {
        Ok(Self {
            connection,
            queue: BaseUrl::parse(&config.queue_base_url)?,
            rest: BaseUrl::parse(&config.rest_base_url)?,
            access_code: None,
        })
    }

    /// The same transport, sending `code` to the proxy (and only there).
    pub fn with_access_code(mut self, code: Option<AccessCode>) -> Self {
        self.access_code = code;
        self
    }

    /// True when `url` is on one of the configured fal bases: the only
    /// places a key may go.
    pub fn is_fal_url(&self, url: &str) -> bool {
        self.queue.contains(url) || self.rest.contains(url)
    }

    /// The request to actually send for `call`.
    pub fn prepare(&self, call: &FalCall) -> HttpRequest {
        let mut request = call.request.clone();
        // Whatever a caller put there, authorization is decided here only.
        request.headers.retain(|(name, _)| {
            !name.eq_ignore_ascii_case("authorization")
                && !name.eq_ignore_ascii_case(TARGET_URL_HEADER)
                && !name.eq_ignore_ascii_case(ACCESS_CODE_HEADER)
        });
        let to_fal = self.is_fal_url(&request.url);
        match (call.kind.route(), &self.connection) {
            (Route::StorageDirect, _) => request,
            (Route::Fal, Connection::Direct { key }) => {
                if to_fal {
                    request
                        .headers
                        .insert(0, ("Authorization".into(), key.authorization()));
                }
                request
            }
            (Route::Fal, Connection::Proxy { url, forwarded_key }) => {
                let target = std::mem::replace(&mut request.url, url.clone());
                if let (Some(key), true) = (forwarded_key, to_fal) {
                    request
                        .headers
                        .insert(0, ("Authorization".into(), key.authorization()));
                }
                request.headers.push((TARGET_URL_HEADER.into(), target));
                // A proxy address on a fal host would be a misconfiguration;
                // the code still never goes to fal.
                if let (Some(code), false) = (&self.access_code, self.is_fal_url(url)) {
                    request
                        .headers
                        .push((ACCESS_CODE_HEADER.into(), code.expose().to_owned()));
                }
                request
            }
        }
    }
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "transport_access_tests.rs"]
mod access_tests;
