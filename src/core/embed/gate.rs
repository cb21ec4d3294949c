//! Who may take part in the embedding API: the origins the deployer lists
//! in `embed_allowed_origins`, compared the way the browser writes them.
//! See `embed_protocol` for the messages.

use crate::core::url;

/// Which origins may command the studio and receive its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedGate {
    /// Normalised origins (`scheme://host[:port]`, default port dropped).
    origins: Vec<String>,
    any: bool,
}

impl EmbedGate {
    /// The gate for the deployer's `embed_allowed_origins` (already checked
    /// by `AppConfig::check`; an entry that does not read as an origin is
    /// left out rather than matched loosely).
    pub fn new(allowed: &[String]) -> Self {
        Self {
            origins: allowed.iter().filter_map(|o| normalise_origin(o)).collect(),
            any: allowed.iter().any(|o| o == "*"),
        }
    }

    /// True when nobody may embed and command the studio.
    pub fn is_closed(&self) -> bool {
        !self.any && self.origins.is_empty()
    }

    /// Whether a message from `origin` (the browser's `MessageEvent.origin`)
    /// may command the studio. An opaque origin (`"null"`, from sandboxed
    /// frames and `file:` pages) matches only `"*"`.
    pub fn accepts(&self, origin: &str) -> bool {
        self.any || normalise_origin(origin).is_some_and(|o| self.origins.contains(&o))
    }

    /// The `targetOrigin` to post events with, given what is known of the
    /// parent's origin; `None` means post nothing. The browser delivers a
    /// message only if the parent really has that origin, so a wrong guess
    /// leaks nothing.
    pub fn target(&self, parent_origin: Option<&str>) -> Option<String> {
        match parent_origin.and_then(normalise_origin) {
            Some(origin) if self.accepts(&origin) => Some(origin),
            Some(_) => None,
            None if self.any => Some("*".to_owned()),
            None => None,
        }
    }
}

/// The console warning for a command from an origin the gate refused: the
/// sender gets no answer, so this line is how a host's developer learns
/// which setting keeps them out.
pub fn ignored_origin_warning(origin: &str) -> String {
    format!(
        "wan-r2v studio ignored a command from {origin}: that origin is not in this \
         deployment's embed_allowed_origins (config.json)"
    )
}

/// `scheme://host[:port]` in the browser's spelling (lower case, default
/// port dropped), or `None` if `value` is not an http(s) origin.
pub fn normalise_origin(value: &str) -> Option<String> {
    url::parse(value)
        .ok()
        .filter(|u| matches!(u.rest, "" | "/"))
        .and_then(|_| origin_of_address(value))
}

/// The origin of a page address (a referrer such as
/// `https://host.example/blog/post?x=1`), in the browser's spelling.
pub fn origin_of_address(address: &str) -> Option<String> {
    let parsed = url::parse(address).ok()?;
    let web = matches!(parsed.scheme.as_str(), "http" | "https");
    if !web || parsed.host.is_empty() {
        return None;
    }
    let port = match (parsed.scheme.as_str(), parsed.port) {
        ("http", Some(80)) | ("https", Some(443)) | (_, None) => String::new(),
        (_, Some(port)) => format!(":{port}"),
    };
    Some(format!("{}://{}{port}", parsed.scheme, parsed.host))
}
