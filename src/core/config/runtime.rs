//! The deployer's runtime configuration, read from `config.json` beside
//! `index.html`, so behaviour changes without a rebuild.
//!
//! A missing file means the defaults (talk to fal directly with the user's
//! key). A file that is present but wrong is an error the app shows on
//! screen: silently falling back could send a key somewhere unintended.

use crate::core::config::host_source::is_host_source;
use serde::{Deserialize, Serialize};

use crate::core::model::schema::ENDPOINT_ID;
use crate::core::url;

pub const DEFAULT_QUEUE_BASE_URL: &str = "https://queue.fal.run";
pub const DEFAULT_REST_BASE_URL: &str = "https://rest.fal.ai";
/// fal's media CDN: result videos (`https://v3.fal.media/files/…`) and the
/// storage hosts uploads are PUT to.
pub const DEFAULT_STORAGE_HOSTS: &str = "https://*.fal.media";

/// Every key a deployer may set. Unknown keys are refused so a typo
/// (`proxy_ur`) is reported instead of ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AppConfig {
    /// A fal server-proxy endpoint (absolute, or relative to the page). When
    /// set, calls go there with `x-fal-target-url` and the server adds the key.
    pub proxy_url: Option<String>,
    /// Whether people may enter their own fal key in this deployment.
    pub allow_user_key: bool,
    /// Whether a key the user entered is sent along to the proxy (which
    /// then uses it instead of its own). Off by default: a proxy is usually
    /// there precisely so keys stay off the wire from browsers.
    pub forward_user_key_to_proxy: bool,
    /// fal's queue host (a simulator in tests). The key is sent only here
    /// and to `rest_base_url`.
    pub queue_base_url: String,
    /// fal's REST host, for storage uploads.
    pub rest_base_url: String,
    /// The model endpoint; the app's form is built for Wan 2.7 R2V.
    pub endpoint_id: String,
    /// True when the backend is `wan-r2v-server --simulate`: the app then says
    /// plainly that no real video is made and nothing is billed.
    pub simulated: bool,
    /// Origins of pages allowed to embed the studio and command it by
    /// postMessage. Empty means no host page may send commands.
    pub embed_allowed_origins: Vec<String>,
    /// Embedding origins whose `generate` starts a paid job without asking
    /// the person first (docs/embedding.md). Each must also be allowed to
    /// embed; any other host's `generate` waits for the person's consent.
    pub embed_autorun_origins: Vec<String>,
    /// Where uploads are PUT and result videos fetched from (fal's storage
    /// hosts), as `https://host` or `https://*.domain`: they go into the
    /// Content-Security-Policy's `connect-src`. fal may hand out upload URLs
    /// on hosts other than `*.fal.media`; a deployer adds them here.
    pub storage_hosts: Vec<String>,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            proxy_url: None,
            allow_user_key: true,
            forward_user_key_to_proxy: false,
            queue_base_url: DEFAULT_QUEUE_BASE_URL.to_owned(),
            rest_base_url: DEFAULT_REST_BASE_URL.to_owned(),
            endpoint_id: ENDPOINT_ID.to_owned(),
            simulated: false,
            embed_allowed_origins: Vec::new(),
            embed_autorun_origins: Vec::new(),
            storage_hosts: vec![DEFAULT_STORAGE_HOSTS.to_owned()],
        }
    }
}

/// Why `config.json` cannot be used, worded for whoever deployed the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl AppConfig {
    /// Reads the answer to `GET config.json`.
    ///
    /// 404 means "no config": the defaults. So does an HTML page, because
    /// static hosts with a single-page fallback answer a missing file with
    /// `index.html` and status 200. Anything else must parse and check.
    pub fn from_response(
        status: u16,
        content_type: Option<&str>,
        body: &str,
    ) -> Result<Self, ConfigError> {
        let html = content_type.is_some_and(|t| t.to_ascii_lowercase().contains("text/html"))
            || body.trim_start().starts_with('<');
        match status {
            404 => Ok(Self::default()),
            200..=299 if html => Ok(Self::default()),
            200..=299 => Self::from_json(body),
            other => Err(ConfigError(format!(
                "config.json could not be loaded (HTTP {other}). Check that it is deployed beside index.html."
            ))),
        }
    }

    /// Parses and checks the text of `config.json`.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let config: AppConfig = serde_json::from_str(text)
            .map_err(|e| ConfigError(format!("config.json is not valid: {e}")))?;
        config.check()?;
        Ok(config)
    }

    /// Where a key typed into the studio is sent, in this deployment.
    pub fn key_destination(&self) -> &'static str {
        if self.simulated {
            "It is sent only to this site's fal simulator, which makes no real video and bills nothing."
        } else if self.proxy_url.is_some() && self.forward_user_key_to_proxy {
            "It is sent to this site's proxy, which passes it on to fal with each request."
        } else if self.proxy_url.is_some() {
            "It is sent only to fal, straight from this browser, not through this site's proxy."
        } else {
            "It is sent only to fal, straight from this browser."
        }
    }

    /// Checks values that parse but cannot work.
    pub fn check(&self) -> Result<(), ConfigError> {
        for (key, value) in [
            ("queue_base_url", &self.queue_base_url),
            ("rest_base_url", &self.rest_base_url),
        ] {
            if !url::is_web_url(value) {
                return Err(ConfigError(format!(
                    "config.json: {key} must be an http:// or https:// URL, not {value:?}."
                )));
            }
        }
        if let Some(proxy) = &self.proxy_url {
            // "//host/path" (and "/\\host", which browsers read the same)
            // is another host, not a path on this site.
            if proxy.trim_start().starts_with("//") || proxy.trim_start().starts_with("/\\") {
                return Err(ConfigError(format!(
                    "config.json: proxy_url {proxy:?} starts with “//”, which names another host, \
                     not a path on this site; write the full https:// URL if that host is meant."
                )));
            }
            let relative =
                proxy.starts_with('/') || proxy.starts_with("./") || !proxy.contains(':');
            if proxy.trim().is_empty() || !(relative || url::is_web_url(proxy)) {
                return Err(ConfigError(format!(
                    "config.json: proxy_url must be an http(s) URL or a path on this site, not {proxy:?}."
                )));
            }
        }
        if self
            .endpoint_id
            .split('/')
            .filter(|s| !s.is_empty())
            .count()
            < 2
        {
            return Err(ConfigError(format!(
                "config.json: endpoint_id must look like owner/app[/path], not {:?}.",
                self.endpoint_id
            )));
        }
        if self.proxy_url.is_none() && !self.allow_user_key {
            return Err(ConfigError(
                "config.json: with no proxy_url, allow_user_key must be true, or nobody can connect."
                    .to_owned(),
            ));
        }
        for host in &self.storage_hosts {
            if !is_host_source(host) {
                return Err(ConfigError(format!(
                    "config.json: storage_hosts entries must be hosts such as \
                     \"https://v3.fal.media\" or \"https://*.fal.media\", not {host:?}."
                )));
            }
        }
        for (key, origins) in [
            ("embed_allowed_origins", &self.embed_allowed_origins),
            ("embed_autorun_origins", &self.embed_autorun_origins),
        ] {
            for origin in origins {
                let parsed = url::parse(origin)
                    .ok()
                    .filter(|u| u.rest.is_empty() || u.rest == "/");
                if origin != "*" && parsed.is_none_or(|u| u.scheme != "http" && u.scheme != "https")
                {
                    return Err(ConfigError(format!(
                        "config.json: {key} entries must be origins such as \
                         \"https://example.com\", not {origin:?}."
                    )));
                }
            }
        }
        for origin in &self.embed_autorun_origins {
            if !self.embed_allowed_origins.contains(origin) {
                return Err(ConfigError(format!(
                    "config.json: embed_autorun_origins lists {origin:?}, which is not in \
                     embed_allowed_origins; an origin must be allowed to embed before it may \
                     start jobs without asking."
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autorun_origins_are_checked_like_embedding_origins() {
        let ok = AppConfig::from_json(
            r#"{"embed_allowed_origins": ["https://a.example"], "embed_autorun_origins": ["https://a.example"]}"#,
        )
        .unwrap();
        assert_eq!(ok.embed_autorun_origins, ["https://a.example"]);
        let page = AppConfig::from_json(
            r#"{"embed_allowed_origins": ["https://a.example"], "embed_autorun_origins": ["https://a.example/page"]}"#,
        )
        .unwrap_err();
        assert!(
            page.0
                .contains("embed_autorun_origins entries must be origins"),
            "{}",
            page.0
        );
        let not_allowed = AppConfig::from_json(
            r#"{"embed_allowed_origins": ["https://a.example"], "embed_autorun_origins": ["https://b.example"]}"#,
        )
        .unwrap_err();
        assert!(
            not_allowed.0.contains("not in embed_allowed_origins"),
            "{}",
            not_allowed.0
        );
    }

    #[test]
    fn empty_object_means_defaults() {
        let config = AppConfig::from_json("{}").unwrap();
        assert_eq!(config, AppConfig::default());
        assert_eq!(config.queue_base_url, "https://queue.fal.run");
        assert_eq!(config.rest_base_url, "https://rest.fal.ai");
        assert_eq!(config.endpoint_id, "fal-ai/wan/v2.7/reference-to-video");
        assert!(config.allow_user_key);
        assert!(!config.forward_user_key_to_proxy);
        assert!(!config.simulated);
    }

    #[test]
    fn reads_every_documented_key() {
        let config = AppConfig::from_json(
            r#"{
                "proxy_url": "/api/fal/proxy",
                "allow_user_key": false,
                "forward_user_key_to_proxy": true,
                "queue_base_url": "http://127.0.0.1:8080/sim/queue",
                "rest_base_url": "http://127.0.0.1:8080/sim/rest",
                "endpoint_id": "fal-ai/wan/v2.7/reference-to-video",
                "simulated": true,
                "embed_allowed_origins": ["https://host.example", "http://127.0.0.1:9000"]
            }"#,
        )
        .unwrap();
        assert_eq!(config.proxy_url.as_deref(), Some("/api/fal/proxy"));
        assert!(!config.allow_user_key && config.forward_user_key_to_proxy && config.simulated);
        assert_eq!(config.embed_allowed_origins.len(), 2);
    }

    #[test]
    fn refuses_typos_and_bad_values_with_a_message() {
        let e = AppConfig::from_json(r#"{"proxy_ur": "/x"}"#).unwrap_err();
        assert!(e.0.contains("proxy_ur"), "{e}");
        assert!(AppConfig::from_json("not json").is_err());
        let e = AppConfig::from_json(r#"{"queue_base_url": "ftp://x"}"#).unwrap_err();
        assert!(e.0.contains("queue_base_url"));
        let e = AppConfig::from_json(r#"{"proxy_url": "javascript:alert(1)"}"#).unwrap_err();
        assert!(e.0.contains("proxy_url"));
        let e = AppConfig::from_json(r#"{"endpoint_id": "wan"}"#).unwrap_err();
        assert!(e.0.contains("endpoint_id"));
        let e = AppConfig::from_json(r#"{"allow_user_key": false}"#).unwrap_err();
        assert!(e.0.contains("nobody can connect"));
        let e = AppConfig::from_json(r#"{"embed_allowed_origins": ["https://a.example/page"]}"#)
            .unwrap_err();
        assert!(e.0.contains("embed_allowed_origins"));
    }

    #[test]
    fn a_missing_config_means_defaults_even_behind_an_spa_fallback() {
        assert_eq!(
            AppConfig::from_response(404, None, "Not Found"),
            Ok(AppConfig::default())
        );
        let page = "<!DOCTYPE html><html>…</html>";
        assert_eq!(
            AppConfig::from_response(200, Some("text/html; charset=utf-8"), page),
            Ok(AppConfig::default())
        );
        assert_eq!(
            AppConfig::from_response(200, None, page),
            Ok(AppConfig::default())
        );
        let json = r#"{"simulated": true, "proxy_url": "./api/fal/proxy"}"#;
        let config = AppConfig::from_response(200, Some("application/json"), json).unwrap();
        assert!(config.simulated);
        let e = AppConfig::from_response(500, Some("text/plain"), "boom").unwrap_err();
        assert!(e.0.contains("HTTP 500"), "{e}");
        assert!(AppConfig::from_response(200, Some("application/json"), "{\"x\":1}").is_err());
    }

    #[test]
    fn a_proxy_url_naming_another_host_without_a_scheme_is_refused() {
        for proxy in [
            "//evil.example/fal",
            " //evil.example",
            "/\\\\evil.example/fal",
        ] {
            let json = serde_json::json!({ "proxy_url": proxy }).to_string();
            let e = AppConfig::from_json(&json).unwrap_err();
            assert!(e.0.contains("names another host"), "{proxy}: {e}");
        }
    }

    #[test]
    fn storage_hosts_are_plain_host_sources() {
        let ok = r#"{"storage_hosts": ["https://*.fal.media", "https://storage.googleapis.com", "http://127.0.0.1:9000"]}"#;
        assert_eq!(AppConfig::from_json(ok).unwrap().storage_hosts.len(), 3);
        for bad in [
            "https://*.fal.media; script-src *",
            "https://a.example/path",
            "*",
            "https://",
            "ftp://a.example",
            "https://a b",
            "https://*",
        ] {
            let json = serde_json::json!({ "storage_hosts": [bad] }).to_string();
            let e = AppConfig::from_json(&json).unwrap_err();
            assert!(e.0.contains("storage_hosts"), "{bad}: {e}");
        }
    }

    #[test]
    fn the_key_hint_names_where_the_key_really_goes() {
        let with = |json: &str| AppConfig::from_json(json).unwrap().key_destination();
        assert_eq!(
            with("{}"),
            "It is sent only to fal, straight from this browser."
        );
        assert!(
            with(r#"{"proxy_url": "/api/fal/proxy"}"#).contains("not through this site's proxy")
        );
        assert!(
            with(r#"{"proxy_url": "/p", "forward_user_key_to_proxy": true}"#)
                .starts_with("It is sent to this site's proxy")
        );
        assert!(with(r#"{"simulated": true, "proxy_url": "/p"}"#).contains("fal simulator"));
    }

    #[test]
    fn accepts_relative_and_absolute_proxy_urls() {
        for proxy in [
            "/api/fal/proxy",
            "./api/fal/proxy",
            "api/fal/proxy",
            "https://p.example/fal",
        ] {
            let json = format!(r#"{{"proxy_url": "{proxy}"}}"#);
            assert!(AppConfig::from_json(&json).is_ok(), "{proxy}");
        }
    }
}
