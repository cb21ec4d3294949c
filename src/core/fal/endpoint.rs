//! Where each queue call goes.
//!
//! fal's rule (docs/fal-protocol.md §3.2): submit goes to the full endpoint id
//! (`fal-ai/wan/v2.7/reference-to-video`), but status, status stream, result
//! and cancel use only `owner/alias` (`fal-ai/wan/requests/{id}/…`). Getting
//! this wrong yields 404s after a job was paid for, so the rule lives here once.
//!
//! fal also says to prefer the `status_url`/`response_url`/`cancel_url` its
//! submit answer returns. We do, but only after checking that each one stays
//! under the configured queue base URL: a URL naming another host would
//! otherwise receive the user's key.

use serde::{Deserialize, Serialize};

use crate::core::fal::base_url::BaseUrl;
use crate::core::fal::endpoint_error::EndpointError;

/// First path segments fal-js treats as a namespace in front of owner/alias.
const NAMESPACES: [&str; 2] = ["workflows", "comfy"];

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
    pub fn from_config(
        config: &crate::core::config::runtime::AppConfig,
    ) -> Result<Self, EndpointError> {
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
#[path = "endpoint_tests.rs"]
mod tests;
