//! Who may use the proxy, and as whom. A deployer whose server holds
//! FAL_KEY and listens beyond loopback must pick one mode; the identity it
//! yields keys budgets, rate limits and request ownership.
//!
//! A caller without access is answered 401
//! `{"detail": "...", "reason": "access_required"}` and reaches fal zero
//! times. The access code travels in [`CODE_HEADER`], only to this proxy,
//! which strips it (and a trusted identity header) before forwarding.

pub mod codes;

use std::net::{IpAddr, Ipv6Addr};

use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::response::Response;
use serde_json::json;

use self::codes::CodeBook;
use crate::budget::money::Cents;
use crate::json_error::json_response;

/// The request header that carries an access code.
pub const CODE_HEADER: &str = "x-wan-access-code";

/// The longest identity header value taken (an e-mail address or user id).
const MAX_IDENTITY_LEN: usize = 256;

#[derive(Debug, Clone)]
pub enum AccessMode {
    /// No mode chosen: anyone who reaches the server, identified by IP.
    /// Refused at start-up when FAL_KEY is set beyond loopback.
    Unguarded,
    /// `--access open`: anyone, on purpose; identified by IP.
    Open,
    /// `--access-codes FILE`.
    Codes(CodeBook),
    /// `--trust-identity-header NAME`: an authenticating reverse proxy in
    /// front sets the header; its value is the identity.
    TrustHeader(HeaderName),
}

/// Whose call this is: the key for counters, buckets and ownership, and
/// the budgets an access code brings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `code:<name>`, `user:<header value>` or `ip:<address>`.
    pub key: String,
    pub daily: Option<Cents>,
    pub monthly: Option<Cents>,
}

impl Identity {
    fn new(key: String) -> Self {
        Self {
            key,
            daily: None,
            monthly: None,
        }
    }

    pub fn code(name: &str) -> Self {
        Self::new(format!("code:{name}"))
    }

    pub fn user(value: &str) -> Self {
        Self::new(format!("user:{value}"))
    }

    /// By address: an IPv4 address, or an IPv6 client's /64 (the network
    /// one subscriber gets, whose 2^64 addresses would otherwise each be a
    /// fresh identity with fresh rate limits and budgets).
    pub fn ip(ip: Option<IpAddr>) -> Self {
        Self::new(match ip.map(|ip| ip.to_canonical()) {
            Some(IpAddr::V4(v4)) => format!("ip:{v4}"),
            Some(IpAddr::V6(v6)) => {
                let s = v6.segments();
                let network = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("ip:{network}/64")
            }
            None => "ip:unknown".to_owned(),
        })
    }
}

/// Why a caller has no access; each is a 401.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessDenied {
    #[error("This studio's fal proxy needs an access code. Ask the person who runs it for one.")]
    NoCode,
    #[error("That access code is not valid. Check it, or ask the person who runs this studio.")]
    WrongCode,
    #[error("Sign in first: the fal proxy did not receive who you are (the {0} header).")]
    NoIdentity(HeaderName),
}

impl AccessMode {
    /// The caller's identity, or why it has none. `ip` is the client's
    /// address (the connection's, or the trusted `X-Forwarded-For`).
    pub fn identify(
        &self,
        headers: &HeaderMap,
        ip: Option<IpAddr>,
    ) -> Result<Identity, AccessDenied> {
        match self {
            AccessMode::Unguarded | AccessMode::Open => Ok(Identity::ip(ip)),
            AccessMode::Codes(book) => {
                let code = headers
                    .get(CODE_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .ok_or(AccessDenied::NoCode)?;
                let entry = book.find(code).ok_or(AccessDenied::WrongCode)?;
                Ok(Identity {
                    daily: entry.daily,
                    monthly: entry.monthly,
                    ..Identity::code(&entry.name)
                })
            }
            AccessMode::TrustHeader(name) => headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty() && v.len() <= MAX_IDENTITY_LEN)
                .map(Identity::user)
                .ok_or_else(|| AccessDenied::NoIdentity(name.clone())),
        }
    }

    /// Headers that are for this proxy only and never go upstream.
    pub fn strip(&self, headers: &mut HeaderMap) {
        headers.remove(CODE_HEADER);
        if let AccessMode::TrustHeader(name) = self {
            headers.remove(name);
        }
    }

    /// For the start-up log.
    pub fn describe(&self) -> String {
        match self {
            AccessMode::Unguarded => "no access mode (anyone who reaches this server)".to_owned(),
            AccessMode::Open => "open to anyone (--access open)".to_owned(),
            AccessMode::Codes(book) => format!("access codes ({} listed)", book.len()),
            AccessMode::TrustHeader(name) => format!("identity from the {name} header"),
        }
    }
}

impl AccessDenied {
    /// What would give access: an access code the app can ask for, or a
    /// sign-in at the reverse proxy in front, which the app cannot do.
    pub fn mode(&self) -> &'static str {
        match self {
            AccessDenied::NoCode | AccessDenied::WrongCode => "access_code",
            AccessDenied::NoIdentity(_) => "sign_in",
        }
    }
}

/// The 401 answer.
pub fn access_required(denied: &AccessDenied) -> Response {
    json_response(
        StatusCode::UNAUTHORIZED,
        &json!({
            "detail": denied.to_string(),
            "reason": "access_required",
            "mode": denied.mode(),
        }),
    )
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn each_mode_names_its_identity_or_refuses() {
        let ip: Option<IpAddr> = "203.0.113.9".parse().ok();
        let none = HeaderMap::new();
        assert_eq!(
            AccessMode::Open.identify(&none, ip).unwrap().key,
            "ip:203.0.113.9"
        );
        let header = HeaderName::from_static("x-forwarded-email");
        let trust = AccessMode::TrustHeader(header.clone());
        assert_eq!(
            trust.identify(&none, ip),
            Err(AccessDenied::NoIdentity(header.clone()))
        );
        let mut headers = HeaderMap::new();
        headers.insert(&header, HeaderValue::from_static("ann@example.com"));
        assert_eq!(
            trust.identify(&headers, ip).unwrap().key,
            "user:ann@example.com"
        );
        headers.insert(&header, HeaderValue::from_static("  "));
        assert!(
            trust.identify(&headers, ip).is_err(),
            "blank is no identity"
        );

        let (code, entry) = codes::new_code("alice").unwrap();
        let v6 = |s: &str| s.parse::<IpAddr>().ok();
        assert_eq!(
            AccessMode::Open
                .identify(&none, v6("2001:db8:1:2::7"))
                .unwrap()
                .key,
            "ip:2001:db8:1:2::/64"
        );
        assert_eq!(
            Identity::ip(v6("2001:db8:1:2:ffff::1")),
            Identity::ip(v6("2001:db8:1:2::7"))
        );
        assert_ne!(
            Identity::ip(v6("2001:db8:1:3::7")),
            Identity::ip(v6("2001:db8:1:2::7"))
        );
        assert_eq!(Identity::ip(v6("::ffff:203.0.113.9")).key, "ip:203.0.113.9");

        let codes = AccessMode::Codes(CodeBook::parse(&entry, false).unwrap());
        assert_eq!(codes.identify(&none, ip), Err(AccessDenied::NoCode));
        let mut headers = HeaderMap::new();
        headers.insert(CODE_HEADER, HeaderValue::from_static("wan_nope"));
        assert_eq!(codes.identify(&headers, ip), Err(AccessDenied::WrongCode));
        headers.insert(CODE_HEADER, HeaderValue::from_str(&code).unwrap());
        assert_eq!(codes.identify(&headers, ip).unwrap().key, "code:alice");
        codes.strip(&mut headers);
        assert!(headers.is_empty());
    }
}
