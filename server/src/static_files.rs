//! Serving trunk's `dist/`: hashed assets cached for a year, everything else
//! revalidated, and unknown page paths answered with index.html so a
//! reload on a client-side route works. A missing `*.wasm` or `*.js` stays a
//! 404: answering HTML there would make the browser report a baffling MIME
//! error instead of a missing file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};
use wan_r2v_studio::core::config::csp::content_security_policy;
use wan_r2v_studio::core::config::runtime::AppConfig;

use crate::app_config::{AppConfigSource, PROXY_URL};

/// Cache-Control for files whose name carries a content hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache-Control for everything else (index.html, config.json, ...).
pub const NO_CACHE: &str = "no-cache";

/// The directory being served.
#[derive(Debug, Clone)]
pub struct StaticFiles {
    pub dist: PathBuf,
    /// The Content-Security-Policy for the config.json this server hands
    /// out (docs/deploying.md); sent with every file, the page's is the one
    /// that counts.
    pub csp: HeaderValue,
}

impl StaticFiles {
    pub fn new(dist: PathBuf, config: &AppConfigSource) -> Self {
        let policy = content_security_policy(&policy_config(config));
        Self {
            dist,
            csp: HeaderValue::from_str(&policy).expect("the policy is plain ASCII"),
        }
    }
}

/// The config the policy is computed for. A generated config points the app
/// at this server (its proxy, or in simulation its /sim bases), all covered
/// by 'self'; a deployer's file was checked at start-up.
fn policy_config(source: &AppConfigSource) -> AppConfig {
    match source {
        AppConfigSource::File { text, .. } => AppConfig::from_json(text).unwrap_or_default(),
        AppConfigSource::Generated(_) => AppConfig {
            proxy_url: Some(PROXY_URL.to_owned()),
            ..AppConfig::default()
        },
    }
}

/// True for trunk's hashed names: `name-<hex hash>.ext` or
/// `name-<hex hash>_bg.wasm` (the hash is at least 8 hex digits).
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if !name.contains('.') {
        return false;
    }
    name.match_indices('-').any(|(i, _)| {
        let hex: String = name[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        let next = name[i + 1 + hex.len()..].chars().next();
        hex.len() >= 8 && matches!(next, Some('.') | Some('_'))
    })
}

/// Whether a path that matched no file should get index.html: page routes
/// (no extension, or `.html`), not assets.
pub fn wants_spa_fallback(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    !name.contains('.') || name.ends_with(".html")
}

/// Whether the `.br` / `.gz` copies that scripts/precompress.mjs wrote next
/// to the file behind `path` may be sent in its place: none is older than
/// the file. A page edited after the build (scripts/add-csp-meta, a
/// deployer's hand) must not be answered with its old compressed copy; the
/// compression layer then compresses the current file instead.
pub fn precompressed_copies_are_fresh(dist: &Path, path: &str) -> bool {
    let relative = path.trim_start_matches('/');
    if relative.split('/').any(|part| part == "..") {
        return false;
    }
    let mut file = dist.join(relative);
    if relative.is_empty() || relative.ends_with('/') {
        file = file.join("index.html");
    }
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let Some(original) = modified(&file) else {
        return false;
    };
    ["br", "gz"].iter().all(|ext| {
        let mut copy = file.clone().into_os_string();
        copy.push(".");
        copy.push(ext);
        match std::fs::metadata(&copy) {
            Err(_) => true,
            Ok(meta) => meta.modified().is_ok_and(|m| m >= original),
        }
    })
}

/// The fallback handler for every path no other route took.
pub async fn serve_static(State(files): State<Arc<StaticFiles>>, request: Request) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return crate::json_error::json_error(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{method} is not allowed here"),
        );
    }
    let path = request.uri().path().to_owned();
    let accept_encoding = request.headers().get(header::ACCEPT_ENCODING).cloned();
    let mut dir = ServeDir::new(&files.dist);
    if precompressed_copies_are_fresh(&files.dist, &path) {
        dir = dir.precompressed_br().precompressed_gzip();
    }
    let served = dir
        .oneshot(request)
        .await
        .unwrap_or_else(|never| match never {})
        .map(Body::new);
    let (response, cache) = if served.status() == StatusCode::NOT_FOUND && wants_spa_fallback(&path)
    {
        let mut index = Request::builder()
            .method(method)
            .uri("/index.html")
            .body(Body::empty())
            .expect("static request");
        if let Some(accept) = accept_encoding {
            index.headers_mut().insert(header::ACCEPT_ENCODING, accept);
        }
        let mut file = ServeFile::new(files.dist.join("index.html"));
        if precompressed_copies_are_fresh(&files.dist, "/index.html") {
            file = file.precompressed_br().precompressed_gzip();
        }
        let response = file
            .oneshot(index)
            .await
            .unwrap_or_else(|never| match never {})
            .map(Body::new);
        if response.status() == StatusCode::NOT_FOUND {
            let message = format!(
                "{} has no index.html: build the app first (trunk build --release)",
                files.dist.display()
            );
            return (StatusCode::NOT_FOUND, message).into_response();
        }
        (response, NO_CACHE)
    } else if is_hashed_asset(&path) {
        (served, IMMUTABLE)
    } else {
        (served, NO_CACHE)
    };
    let mut response = response;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, files.csp.clone());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("/wan-r2v-studio-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_asset("/wan-r2v-studio-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_asset("/tools/app-00ff00ff00ff00ff.css"));
        // The release build's parts loaded on demand and their link module
        // (scripts/split-wasm.mjs).
        assert!(is_hashed_asset(
            "/wan-r2v-studio-part-jobs-5c45acbb8c52021f.wasm"
        ));
        assert!(is_hashed_asset(
            "/wan-r2v-studio-shared-11-a352fb4ef3a143c6.wasm"
        ));
        assert!(is_hashed_asset("/wan-r2v-studio-parts-c8c11859e173640a.js"));
        assert!(!is_hashed_asset("/wan-r2v-studio-part-jobs.wasm"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/config.json"));
        assert!(!is_hashed_asset("/wan-r2v-studio.js"));
        assert!(!is_hashed_asset("/wan-r2v-studio-1a2b3c4d"));
        assert!(!is_hashed_asset("/my-file.png"));
    }

    #[test]
    fn falls_back_for_pages_not_assets() {
        assert!(wants_spa_fallback("/"));
        assert!(wants_spa_fallback("/history/abc"));
        assert!(wants_spa_fallback("/about.html"));
        assert!(!wants_spa_fallback("/missing-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(!wants_spa_fallback("/app.js"));
        assert!(!wants_spa_fallback("/favicon.ico"));
    }
}
