//! The app's `config.json`: generated from the flags (so the app finds this
//! server's proxy and knows whether fal is simulated), or a deployer's own
//! file. Either way it is checked with the app's `AppConfig` rules, so the
//! server never hands the app a config it would refuse.

use std::path::{Path, PathBuf};

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use wan_r2v_studio::core::config::runtime::AppConfig;

use crate::public_origin::request_origin;
use crate::start_error::StartError;

/// The proxy path as the app reads it: relative to index.html, so the app
/// works from a sub-path too.
pub const PROXY_URL: &str = "./api/fal/proxy";

/// Where config.json comes from.
#[derive(Debug, Clone)]
pub enum AppConfigSource {
    /// `--app-config` or `dist/config.json`, served as written.
    File { path: PathBuf, text: String },
    /// Built per request from the flags.
    Generated(GeneratedConfig),
}

/// The flags that shape a generated config.json.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneratedConfig {
    pub simulated: bool,
    pub allow_user_key: bool,
    pub forward_user_key: bool,
}

impl GeneratedConfig {
    /// The config for a page served from `origin`. In simulation, a user's
    /// own key goes to this server's `/sim/queue` and `/sim/rest`, never to
    /// fal; if the origin is unknown, own keys are switched off instead.
    pub fn render(&self, origin: Option<&str>) -> serde_json::Value {
        let mut config = json!({
            "proxy_url": PROXY_URL,
            "allow_user_key": self.allow_user_key,
            "forward_user_key_to_proxy": self.forward_user_key,
            "simulated": self.simulated,
        });
        if self.simulated {
            match origin {
                Some(origin) => {
                    config["queue_base_url"] = json!(format!("{origin}/sim/queue"));
                    config["rest_base_url"] = json!(format!("{origin}/sim/rest"));
                }
                None => config["allow_user_key"] = json!(false),
            }
        }
        config
    }
}

impl AppConfigSource {
    /// Picks the source: `--app-config`, else `dist/config.json`, else
    /// generated. A file that the app would refuse stops the server here,
    /// with the app's own message, rather than in every visitor's browser.
    pub fn choose(
        app_config: Option<&Path>,
        dist: &Path,
        generated: GeneratedConfig,
    ) -> Result<Self, StartError> {
        let dist_config = dist.join("config.json");
        let path = match app_config {
            Some(path) => path.to_path_buf(),
            None if dist_config.is_file() => dist_config,
            None => return Ok(AppConfigSource::Generated(generated)),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(source) => return Err(StartError::ReadAppConfig { path, source }),
        };
        if let Err(reason) = AppConfig::from_json(&text) {
            let reason = reason.to_string();
            return Err(StartError::AppConfig { path, reason });
        }
        Ok(AppConfigSource::File { path, text })
    }

    /// The `/config.json` response: never cached, so a redeploy with new
    /// settings takes effect on the next page load.
    pub fn respond(&self, headers: &HeaderMap, public_url: Option<&str>) -> Response {
        let body = match self {
            AppConfigSource::File { text, .. } => text.clone(),
            AppConfigSource::Generated(generated) => generated
                .render(request_origin(headers, public_url).as_deref())
                .to_string(),
        };
        (
            StatusCode::OK,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ],
            body,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_generated() -> Vec<GeneratedConfig> {
        let mut all = Vec::new();
        for simulated in [false, true] {
            for allow_user_key in [false, true] {
                for forward_user_key in [false, true] {
                    all.push(GeneratedConfig {
                        simulated,
                        allow_user_key,
                        forward_user_key,
                    });
                }
            }
        }
        all
    }

    #[test]
    fn every_generated_config_is_one_the_app_accepts() {
        for generated in every_generated() {
            for origin in [None, Some("http://127.0.0.1:8080")] {
                let text = generated.render(origin).to_string();
                let config = AppConfig::from_json(&text)
                    .unwrap_or_else(|e| panic!("{generated:?} {origin:?}: {e}"));
                assert_eq!(config.simulated, generated.simulated);
                assert_eq!(config.proxy_url.as_deref(), Some(PROXY_URL));
                assert_eq!(config.forward_user_key_to_proxy, generated.forward_user_key);
            }
        }
    }

    #[test]
    fn simulation_points_own_keys_at_the_simulator_never_at_fal() {
        let generated = GeneratedConfig {
            simulated: true,
            allow_user_key: true,
            forward_user_key: false,
        };
        let config =
            AppConfig::from_json(&generated.render(Some("http://127.0.0.1:9")).to_string())
                .unwrap();
        assert_eq!(config.queue_base_url, "http://127.0.0.1:9/sim/queue");
        assert_eq!(config.rest_base_url, "http://127.0.0.1:9/sim/rest");
        assert!(config.allow_user_key);
        let config = AppConfig::from_json(&generated.render(None).to_string()).unwrap();
        assert!(
            !config.allow_user_key,
            "no origin: no own key, not real fal"
        );
        let real = GeneratedConfig {
            simulated: false,
            ..generated
        };
        let config =
            AppConfig::from_json(&real.render(Some("http://127.0.0.1:9")).to_string()).unwrap();
        assert_eq!(config.queue_base_url, "https://queue.fal.run");
    }

    #[test]
    fn a_file_the_app_would_refuse_stops_start_up() {
        let dir = std::env::temp_dir().join(format!("wan-r2v-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bad = dir.join("bad.json");
        std::fs::write(&bad, r#"{"proxy_ur": "/x"}"#).unwrap();
        let generated = every_generated()[0];
        let err = AppConfigSource::choose(Some(&bad), &dir, generated).unwrap_err();
        assert!(
            matches!(&err, StartError::AppConfig { reason, .. } if reason.contains("proxy_ur")),
            "{err}"
        );
        let good = dir.join("good.json");
        std::fs::write(&good, r#"{"simulated": true}"#).unwrap();
        assert!(matches!(
            AppConfigSource::choose(Some(&good), &dir, generated),
            Ok(AppConfigSource::File { .. })
        ));
        assert!(matches!(
            AppConfigSource::choose(None, &dir, generated),
            Ok(AppConfigSource::Generated(_))
        ));
        std::fs::write(dir.join("config.json"), r#"{"allow_user_key": true}"#).unwrap();
        assert!(matches!(
            AppConfigSource::choose(None, &dir, generated),
            Ok(AppConfigSource::File { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
