//! Loads the deployer's `config.json` from beside `index.html` at start-up.

use crate::core::config::runtime::{AppConfig, ConfigError};
use crate::core::fal::http::{HttpRequest, Method};

use super::fetch::{send, FetchFailure};

/// The config file's URL, relative so sub-path deployments find their own.
const CONFIG_PATH: &str = "config.json";

/// Fetches and reads `config.json`; the core decides what the answer means.
pub async fn load() -> Result<AppConfig, ConfigError> {
    // `no-cache` in spirit: the server marks config.json no-cache, and a
    // fresh value after a redeploy is the point of a runtime config.
    let request =
        HttpRequest::new(Method::Get, CONFIG_PATH).with_header("Accept", "application/json");
    match send(&request, None, None).await {
        Ok(response) => {
            AppConfig::from_response(response.status, response.header("content-type"), &response.body)
        }
        Err(FetchFailure::Aborted) | Err(FetchFailure::Network(_)) => Err(ConfigError(
            "config.json could not be fetched: the site is unreachable or you are offline. Reload to try again."
                .to_owned(),
        )),
    }
}
