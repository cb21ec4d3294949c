//! Where each queue call goes.
//!
//! fal's rule (fal-protocol.md §1.1): submit goes to the full endpoint id
//! (`fal-ai/wan/v2.7/reference-to-video`), but status, status stream, result
//! and cancel use only `owner/alias` (`fal-ai/wan/requests/{id}/…`). Getting
//! this wrong yields 404s after a job was paid for, so the rule lives here once.
//!
//! fal also says to prefer the `status_url`/`response_url`/`cancel_url` its
//! submit answer returns. We do, but only after checking that each one stays
//! under the configured queue base URL: a URL naming another host would
//! otherwise receive the user's key.

use serde::{Deserialize, Serialize};

use super::url;

/// First path segments fal-js treats as a namespace in front of owner/alias.
const NAMESPACES: [&str; 2] = ["workflows", "comfy"];

/// Why an endpoint id, base URL or request id cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// Not `owner/alias[/path]`.
    BadEndpointId(String),
    /// A base URL that is not `http(s)://host[:port][/prefix]`.
    BadBaseUrl(String),
    /// A request id with characters that do not belong in one URL segment.
    BadRequestId(String),
}

impl std::fmt::Display for EndpointError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EndpointError::BadEndpointId(id) => {
                write!(
                    f,
                    "The endpoint id {id:?} is not of the form owner/app[/path]."
                )
            }
            EndpointError::BadBaseUrl(base) => write!(
                f,
                "The base URL {base:?} must be http(s)://host[/prefix], with no query or user name."
            ),
            EndpointError::BadRequestId(id) => {
                write!(f, "fal returned a request id that cannot be used: {id:?}.")
            }
        }
    }
}

/// A model endpoint id split the way fal's queue routes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointId {
    /// `workflows` or `comfy`, when the id starts with one.
    pub namespace: Option<String>,
    /// `fal-ai`.
    pub owner: String,
    /// `wan`.
    pub alias: String,
    /// `v2.7/reference-to-video`: used on submit only.
    pub path: Option<String>,
}

impl EndpointId {
    /// Splits `owner/alias[/path…]` (optionally behind a namespace).
    pub fn parse(id: &str) -> Result<Self, EndpointError> {
        let bad = || EndpointError::BadEndpointId(id.to_owned());
        let trimmed = id.trim().trim_matches('/');
        let segments: Vec<&str> = trimmed.split('/').collect();
        if segments.iter().any(|s| !is_safe_segment(s)) {
            return Err(bad());
        }
        let (namespace, rest) = match segments.split_first() {
            Some((first, rest)) if NAMESPACES.contains(first) => (Some(first.to_string()), rest),
            _ => (None, segments.as_slice()),
        };
        match rest {
            [owner, alias, path @ ..] => Ok(Self {
                namespace,
                owner: owner.to_string(),
                alias: alias.to_string(),
                path: (!path.is_empty()).then(|| path.join("/")),
            }),
            _ => Err(bad()),
        }
    }

    /// `[namespace/]owner/alias`: the part request-level URLs use.
    pub fn app(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}/{}/{}", self.owner, self.alias),
            None => format!("{}/{}", self.owner, self.alias),
        }
    }

    /// The whole id, path included: what submit posts to.
    pub fn full(&self) -> String {
        match &self.path {
            Some(path) => format!("{}/{path}", self.app()),
            None => self.app(),
        }
    }
}

/// A segment of an id or path we are willing to put in a URL unescaped.
fn is_safe_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment != "."
        && segment != ".."
        && segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
}

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

/// Checks a request id before it goes into a URL path.
///
/// fal's ids are UUIDs; anything outside letters, digits, `-` and `_` could
/// change the URL's meaning (`../`, `?`), so it is refused rather than encoded.
pub fn check_request_id(request_id: &str) -> Result<&str, EndpointError> {
    let ok = !request_id.is_empty()
        && request_id.len() <= 128
        && request_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then_some(request_id)
        .ok_or_else(|| EndpointError::BadRequestId(request_id.to_owned()))
}

/// The queue base URL plus the endpoint: everything needed to address calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEndpoint {
    pub base: BaseUrl,
    pub endpoint: EndpointId,
}

impl QueueEndpoint {
    pub fn new(queue_base_url: &str, endpoint_id: &str) -> Result<Self, EndpointError> {
        Ok(Self {
            base: BaseUrl::parse(queue_base_url)?,
            endpoint: EndpointId::parse(endpoint_id)?,
        })
    }

    /// From the deployer's config (`queue_base_url`, `endpoint_id`).
    pub fn from_config(config: &super::config::AppConfig) -> Result<Self, EndpointError> {
        Self::new(&config.queue_base_url, &config.endpoint_id)
    }

    /// `POST` target: the full id, sub-path included.
    pub fn submit_url(&self) -> String {
        self.base.join(&self.endpoint.full())
    }

    /// The request URLs built from `owner/alias` (the sub-path dropped), for
    /// when fal's returned ones are missing or untrustworthy, or when a job
    /// is resumed from history with only its id.
    pub fn built_urls(&self, request_id: &str) -> Result<RequestUrls, EndpointError> {
        let id = check_request_id(request_id)?;
        let response = self
            .base
            .join(&format!("{}/requests/{id}", self.endpoint.app()));
        Ok(RequestUrls {
            request_id: id.to_owned(),
            status: format!("{response}/status"),
            cancel: format!("{response}/cancel"),
            stream: format!("{response}/status/stream"),
            response,
        })
    }

    /// The request URLs for a submitted job: each URL fal returned is used
    /// when it stays under our queue base, otherwise the built one is.
    pub fn urls_for(
        &self,
        request_id: &str,
        returned: &ReturnedUrls,
    ) -> Result<RequestUrls, EndpointError> {
        let built = self.built_urls(request_id)?;
        let pick = |returned: &Option<String>, built: String| match returned {
            Some(url) if self.base.contains(url) => url.trim().to_owned(),
            _ => built,
        };
        let status = pick(&returned.status_url, built.status);
        // fal returns no stream URL; derive it from the status URL when that
        // has the documented shape, so both point at the same place.
        let stream = match status.split_once('?') {
            None if status.ends_with("/status") => format!("{status}/stream"),
            Some((path, query)) if path.ends_with("/status") => {
                format!("{path}/stream?{query}")
            }
            _ => built.stream,
        };
        Ok(RequestUrls {
            request_id: built.request_id,
            response: pick(&returned.response_url, built.response),
            cancel: pick(&returned.cancel_url, built.cancel),
            status,
            stream,
        })
    }
}

/// The URLs fal's submit answer may carry; each is optional because fal's
/// own types only added `status_url`/`cancel_url` later.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReturnedUrls {
    pub status_url: Option<String>,
    pub response_url: Option<String>,
    pub cancel_url: Option<String>,
}

/// Where to reach one submitted request. Serialisable so a job survives a
/// page reload: the result must be fetched before fal deletes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestUrls {
    pub request_id: String,
    /// `GET` for the status (without the `logs` query).
    pub status: String,
    /// `GET` for the server-sent status stream.
    pub stream: String,
    /// `GET` for the result.
    pub response: String,
    /// `PUT` to cancel.
    pub cancel: String,
}

/// Adds `key=value` to a URL's query, keeping any query it already has.
pub fn with_query(url: &str, key: &str, value: &str) -> String {
    let (base, fragment) = url
        .split_once('#')
        .map_or((url, None), |(b, f)| (b, Some(f)));
    let separator = match base.split_once('?') {
        None => "?",
        Some((_, "")) => "",
        Some(_) => "&",
    };
    let mut out = format!("{base}{separator}{key}={value}");
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "764cabcf-b745-4b3e-ae38-1200304cf45b";

    fn wan() -> QueueEndpoint {
        QueueEndpoint::new(
            "https://queue.fal.run",
            "fal-ai/wan/v2.7/reference-to-video",
        )
        .unwrap()
    }

    #[test]
    fn parses_endpoint_ids_like_fal_js() {
        let id = EndpointId::parse("fal-ai/wan/v2.7/reference-to-video").unwrap();
        assert_eq!(id.owner, "fal-ai");
        assert_eq!(id.alias, "wan");
        assert_eq!(id.path.as_deref(), Some("v2.7/reference-to-video"));
        assert_eq!(id.app(), "fal-ai/wan");
        assert_eq!(id.full(), "fal-ai/wan/v2.7/reference-to-video");

        let plain = EndpointId::parse("fal-ai/flux").unwrap();
        assert_eq!((plain.app(), plain.path), ("fal-ai/flux".to_owned(), None));

        let ns = EndpointId::parse("workflows/me/my-flow/run").unwrap();
        assert_eq!(ns.namespace.as_deref(), Some("workflows"));
        assert_eq!(ns.app(), "workflows/me/my-flow");
        assert_eq!(ns.full(), "workflows/me/my-flow/run");

        for bad in [
            "wan",
            "",
            "fal-ai//wan",
            "fal-ai/../x",
            "fal-ai/wan?x=1",
            "a b/c",
        ] {
            assert!(EndpointId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn submit_keeps_the_sub_path_and_request_urls_drop_it() {
        let q = wan();
        assert_eq!(
            q.submit_url(),
            "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video"
        );
        let urls = q.built_urls(ID).unwrap();
        let base = format!("https://queue.fal.run/fal-ai/wan/requests/{ID}");
        assert_eq!(urls.response, base);
        assert_eq!(urls.status, format!("{base}/status"));
        assert_eq!(urls.stream, format!("{base}/status/stream"));
        assert_eq!(urls.cancel, format!("{base}/cancel"));
        for url in [&urls.response, &urls.status, &urls.stream, &urls.cancel] {
            assert!(!url.contains("v2.7"), "{url}");
        }
    }

    #[test]
    fn base_urls_may_carry_a_path_prefix() {
        let q = QueueEndpoint::new(
            "http://127.0.0.1:8080/sim/queue/",
            "fal-ai/wan/v2.7/reference-to-video",
        )
        .unwrap();
        assert_eq!(
            q.submit_url(),
            "http://127.0.0.1:8080/sim/queue/fal-ai/wan/v2.7/reference-to-video"
        );
        assert_eq!(
            q.built_urls("abc").unwrap().status,
            "http://127.0.0.1:8080/sim/queue/fal-ai/wan/requests/abc/status"
        );
        for bad in [
            "ftp://x",
            "https://q.example/?a=1",
            "https://user@q.example",
            "/relative",
            "https://q.example/a/../b",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prefers_returned_urls_on_the_expected_origin_and_prefix() {
        let q = QueueEndpoint::new(
            "http://127.0.0.1:8080/sim/queue",
            "fal-ai/wan/v2.7/reference-to-video",
        )
        .unwrap();
        let returned = ReturnedUrls {
            status_url: Some(
                "http://127.0.0.1:8080/sim/queue/r/fal-ai/wan/requests/abc/status".into(),
            ),
            response_url: Some("http://127.0.0.1:8080/sim/queue/r/fal-ai/wan/requests/abc".into()),
            cancel_url: Some(
                "http://127.0.0.1:8080/sim/queue/r/fal-ai/wan/requests/abc/cancel".into(),
            ),
        };
        let urls = q.urls_for("abc", &returned).unwrap();
        assert_eq!(urls.status, returned.status_url.clone().unwrap());
        assert_eq!(urls.response, returned.response_url.clone().unwrap());
        assert_eq!(urls.cancel, returned.cancel_url.clone().unwrap());
        assert_eq!(
            urls.stream,
            "http://127.0.0.1:8080/sim/queue/r/fal-ai/wan/requests/abc/status/stream"
        );
    }

    #[test]
    fn returned_urls_on_a_foreign_host_or_outside_the_prefix_are_replaced() {
        let q = QueueEndpoint::new(
            "http://127.0.0.1:8080/sim/queue",
            "fal-ai/wan/v2.7/reference-to-video",
        )
        .unwrap();
        let built = q.built_urls("abc").unwrap();
        for foreign in [
            "https://evil.example/sim/queue/fal-ai/wan/requests/abc",
            "http://127.0.0.1:9999/sim/queue/fal-ai/wan/requests/abc",
            "https://127.0.0.1:8080/sim/queue/fal-ai/wan/requests/abc",
            "http://127.0.0.1:8080/sim/queueX/fal-ai/wan/requests/abc",
            "http://127.0.0.1:8080/other/fal-ai/wan/requests/abc",
            "http://127.0.0.1:8080/sim/queue/../../admin",
            "http://127.0.0.1:8080/sim/queue/%2E%2E/admin",
            "http://evil.example\\@127.0.0.1:8080/sim/queue/x",
            "http://evil.example@127.0.0.1:8080/sim/queue/x",
            "http://127.0.0.1:8080@evil.example/sim/queue/x",
            "not a url",
        ] {
            let returned = ReturnedUrls {
                status_url: Some(format!("{foreign}/status")),
                response_url: Some(foreign.to_owned()),
                cancel_url: Some(format!("{foreign}/cancel")),
            };
            let urls = q.urls_for("abc", &returned).unwrap();
            assert_eq!(urls, built, "{foreign}");
        }
        let none = q.urls_for("abc", &ReturnedUrls::default()).unwrap();
        assert_eq!(none, built);
    }

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

    #[test]
    fn stream_url_follows_a_returned_status_url_with_a_query() {
        let q = wan();
        let returned = ReturnedUrls {
            status_url: Some(format!(
                "https://queue.fal.run/fal-ai/wan/requests/{ID}/status?region=eu"
            )),
            ..ReturnedUrls::default()
        };
        let urls = q.urls_for(ID, &returned).unwrap();
        assert_eq!(
            urls.stream,
            format!("https://queue.fal.run/fal-ai/wan/requests/{ID}/status/stream?region=eu")
        );
        let odd = ReturnedUrls {
            status_url: Some(format!("https://queue.fal.run/q/{ID}")),
            ..ReturnedUrls::default()
        };
        let urls = q.urls_for(ID, &odd).unwrap();
        assert_eq!(urls.status, format!("https://queue.fal.run/q/{ID}"));
        assert_eq!(urls.stream, q.built_urls(ID).unwrap().stream);
    }

    #[test]
    fn request_ids_must_be_one_plain_segment() {
        assert!(check_request_id(ID).is_ok());
        for bad in ["", "..", "a/b", "a?b", "a b", "%2e%2e", &"x".repeat(129)] {
            assert!(wan().built_urls(bad).is_err(), "{bad:?}");
        }
        let message = EndpointError::BadRequestId("a/b".into()).to_string();
        assert!(message.contains("a/b"));
    }

    #[test]
    fn adds_query_parameters_in_the_right_place() {
        assert_eq!(with_query("https://h/s", "logs", "1"), "https://h/s?logs=1");
        assert_eq!(
            with_query("https://h/s?a=b", "logs", "1"),
            "https://h/s?a=b&logs=1"
        );
        assert_eq!(
            with_query("https://h/s?", "logs", "1"),
            "https://h/s?logs=1"
        );
        assert_eq!(
            with_query("https://h/s#frag", "logs", "1"),
            "https://h/s?logs=1#frag"
        );
    }
}
