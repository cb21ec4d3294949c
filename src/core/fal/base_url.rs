//! A configured base URL (`queue_base_url`, `rest_base_url`) and the one
//! question asked of it: is this URL under it?
//!
//! The answer gates both "may this URL receive the user's key" and "may we
//! follow a URL fal returned", so it is strict where our small URL parser and
//! a browser could read a URL differently.

use crate::core::fal::endpoint_error::EndpointError;
use crate::core::url;

/// A configured base URL (`queue_base_url`, `rest_base_url`), possibly with a
/// path prefix such as `http://127.0.0.1:8080/sim/queue`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Without a trailing slash, so joining adds exactly one.
    text: String,
    scheme: String,
    host: String,
    port: u16,
    /// `""` for a bare host, otherwise `/sim/queue` (no trailing slash).
    prefix: String,
}

impl BaseUrl {
    pub fn parse(text: &str) -> Result<Self, EndpointError> {
        let bad = || EndpointError::BadBaseUrl(text.to_owned());
        let trimmed = text.trim().trim_end_matches('/');
        let parsed = url::parse(trimmed).map_err(|_| bad())?;
        let port = effective_port(&parsed).ok_or_else(bad)?;
        if parsed.host.is_empty()
            || has_userinfo_or_backslash(trimmed)
            || parsed.rest.contains(['?', '#'])
            || has_dot_segment(parsed.path())
        {
            return Err(bad());
        }
        let prefix = parsed.path().trim_end_matches('/').to_owned();
        Ok(Self {
            text: trimmed.to_owned(),
            scheme: parsed.scheme.clone(),
            host: parsed.host.clone(),
            port,
            prefix,
        })
    }

    /// The base as configured, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `{base}/{path}`.
    pub fn join(&self, path: &str) -> String {
        format!("{}/{}", self.text, path.trim_start_matches('/'))
    }

    /// True when `candidate` is on this base's origin (default ports
    /// normalised) and under its path prefix, with nothing a browser would
    /// read differently from us (user info, backslashes, dot segments).
    ///
    /// This is the gate for both "may this URL receive the key" and "may we
    /// follow a URL fal returned".
    pub fn contains(&self, candidate: &str) -> bool {
        let Ok(parsed) = url::parse(candidate) else {
            return false;
        };
        if has_userinfo_or_backslash(candidate.trim()) || has_dot_segment(parsed.path()) {
            return false;
        }
        let same_origin = parsed.scheme == self.scheme
            && parsed.host == self.host
            && effective_port(&parsed) == Some(self.port);
        let path = parsed.path();
        let under_prefix = self.prefix.is_empty()
            || path == self.prefix
            || path
                .strip_prefix(self.prefix.as_str())
                .is_some_and(|rest| rest.starts_with('/'));
        same_origin && under_prefix
    }
}

/// The port a browser would connect to, for http(s) URLs only.
fn effective_port(parsed: &url::ParsedUrl<'_>) -> Option<u16> {
    match (parsed.scheme.as_str(), parsed.port) {
        ("http" | "https", Some(port)) => Some(port),
        ("http", None) => Some(80),
        ("https", None) => Some(443),
        _ => None,
    }
}

/// `user@host` and `\` are where our small parser and a browser's could
/// disagree about the host (`https://evil.example\@queue.fal.run/` is
/// evil.example to a browser), so such URLs are never trusted.
fn has_userinfo_or_backslash(text: &str) -> bool {
    if text.contains('\\') {
        return true;
    }
    let after_scheme = text.split_once("://").map_or(text, |(_, rest)| rest);
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    after_scheme[..authority_end].contains('@')
}

/// `.`/`..` segments, also percent-encoded (browsers decode `%2e` there).
fn has_dot_segment(path: &str) -> bool {
    path.split('/').any(|segment| {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        decoded == "." || decoded == ".."
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ports_count_as_the_same_origin() {
        let base = BaseUrl::parse("https://queue.fal.run").unwrap();
        assert!(base.contains("https://queue.fal.run:443/fal-ai/wan/requests/x"));
        assert!(base.contains("HTTPS://Queue.Fal.Run/fal-ai/wan"));
        assert!(!base.contains("http://queue.fal.run/fal-ai/wan"));
        assert!(!base.contains("https://queue.fal.run.evil.example/fal-ai"));
        assert!(!base.contains("https://rest.fal.ai/storage"));
        let http = BaseUrl::parse("http://127.0.0.1").unwrap();
        assert!(http.contains("http://127.0.0.1:80/x"));
    }
}
