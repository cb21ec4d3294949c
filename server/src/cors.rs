//! CORS: the proxy answers only the origins a deployer lists (it spends the
//! server's key); the simulator's direct routes answer any origin, as fal's
//! hosts do for browsers holding their own key.

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};
use wan_r2v_studio::core::url;

use crate::start_error::StartError;

/// Response headers a cross-origin page must be able to read: fal's request
/// id, error classification, retry hints, and multipart part ETags.
const EXPOSED: [&str; 9] = [
    "x-fal-request-id",
    "x-fal-error-type",
    "x-fal-request-timeout-type",
    "x-fal-retryable",
    "retry-after",
    "etag",
    "content-range",
    "accept-ranges",
    "content-length",
];

fn exposed() -> Vec<HeaderName> {
    EXPOSED.iter().map(|h| HeaderName::from_static(h)).collect()
}

/// Checks `--allow-origin` values: `*` or `scheme://host[:port]`.
pub fn check_origins(origins: &[String]) -> Result<Vec<HeaderValue>, StartError> {
    origins
        .iter()
        .filter(|o| *o != "*")
        .map(|origin| {
            let parsed = url::parse(origin)
                .ok()
                .filter(|u| (u.scheme == "http" || u.scheme == "https") && u.rest.is_empty());
            parsed
                .and_then(|u| HeaderValue::from_str(&u.origin()).ok())
                .ok_or_else(|| StartError::AllowOrigin {
                    origin: origin.clone(),
                })
        })
        .collect()
}

/// The proxy's CORS layer, or `None` when no origin is allowed (same-origin
/// use only; browsers then refuse cross-origin calls on their own).
pub fn proxy_cors(origins: &[String]) -> Result<Option<CorsLayer>, StartError> {
    if origins.is_empty() {
        return Ok(None);
    }
    let allow_origin = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(check_origins(origins)?)
    };
    Ok(Some(
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::GET, Method::POST, Method::PUT])
            .allow_headers(AllowHeaders::mirror_request())
            .expose_headers(exposed())
            .max_age(Duration::from_secs(600)),
    ))
}

/// The simulator's CORS layer: any origin. `Authorization` is not covered by
/// `Access-Control-Allow-Headers: *`, so request headers are mirrored.
pub fn simulator_cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::DELETE,
        ])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers(exposed())
        .max_age(Duration::from_secs(600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_must_be_bare_origins() {
        assert!(
            check_origins(&["https://a.example".into(), "http://127.0.0.1:9000".into()]).is_ok()
        );
        assert!(check_origins(&["*".into()]).unwrap().is_empty());
        assert!(check_origins(&["https://a.example/".into()]).is_err());
        assert!(check_origins(&["a.example".into()]).is_err());
        assert!(check_origins(&["ftp://a.example".into()]).is_err());
    }
}
