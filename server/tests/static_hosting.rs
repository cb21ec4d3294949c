//! Serving a built dist/: MIME types, compression, cache headers, the SPA
//! fallback, and config.json (generated, from dist/, or --app-config).

mod support;

use std::path::PathBuf;

use serde_json::Value;
use support::server;
use wan_r2v_server::RunningServer;
use wan_r2v_studio::core::config::runtime::AppConfig;

const WASM: &str = "wan-r2v-studio-0123456789abcdef_bg.wasm";
const JS: &str = "wan-r2v-studio-0123456789abcdef.js";

fn dist(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wan-r2v-dist-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        format!(
            "<!doctype html><title>studio</title><script src=\"./{JS}\"></script>{}",
            " ".repeat(2000)
        ),
    )
    .unwrap();
    std::fs::write(dir.join(WASM), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join(JS), "export default 1;".repeat(200)).unwrap();
    dir
}

async fn serve(dir: &std::path::Path, extra: &[&str]) -> RunningServer {
    let mut args = vec!["--simulate", "--dist", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    server(&args, None).await
}

async fn get(
    server: &RunningServer,
    path: &str,
    accept_encoding: Option<&str>,
) -> reqwest::Response {
    let mut request = support::raw_client().get(format!("{}{path}", server.url()));
    if let Some(encoding) = accept_encoding {
        request = request.header("accept-encoding", encoding);
    }
    request.send().await.unwrap()
}

/// A hashed script: served as JavaScript and cached for a year.
fn assert_cached_script(js: &reqwest::Response) {
    assert!(js.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    assert_eq!(
        js.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn serves_wasm_js_and_html_with_the_right_types_and_caching() {
    let dir = dist("types");
    let server = serve(&dir, &[]).await;
    let wasm = get(&server, &format!("/{WASM}"), None).await;
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(
        wasm.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let js = get(&server, &format!("/{JS}"), None).await;
    assert_cached_script(&js);
    for path in ["/", "/index.html"] {
        let html = get(&server, path, None).await;
        assert_eq!(html.headers()["cache-control"], "no-cache", "{path}");
        assert!(html.text().await.unwrap().contains("<title>studio</title>"));
    }
}

#[tokio::test]
async fn compresses_with_brotli_or_gzip_when_asked() {
    let dir = dist("compress");
    let server = serve(&dir, &[]).await;
    let br = get(&server, &format!("/{JS}"), Some("br")).await;
    assert_eq!(br.headers()["content-encoding"], "br");
    let gzip = get(&server, "/", Some("gzip")).await;
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    let plain = get(&server, "/", None).await;
    assert!(plain.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn sends_the_builds_precompressed_copies_while_they_are_fresh() {
    let dir = dist("precompressed");
    // Marked bodies (not real brotli), so the test sees which file was sent.
    std::fs::write(dir.join(format!("{JS}.br")), "precompressed js").unwrap();
    std::fs::write(dir.join(format!("{JS}.gz")), "precompressed js gz").unwrap();
    std::fs::write(dir.join("index.html.br"), "precompressed page").unwrap();
    let server = serve(&dir, &[]).await;

    let js = get(&server, &format!("/{JS}"), Some("br")).await;
    assert_eq!(js.headers()["content-encoding"], "br");
    assert_cached_script(&js);
    assert_eq!(js.bytes().await.unwrap(), "precompressed js");
    let gz = get(&server, &format!("/{JS}"), Some("gzip")).await;
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.bytes().await.unwrap(), "precompressed js gz");
    let plain = get(&server, &format!("/{JS}"), None).await;
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), "export default 1;".repeat(200));
    for page in ["/", "/history/some-job"] {
        let html = get(&server, page, Some("br")).await;
        assert_eq!(html.bytes().await.unwrap(), "precompressed page", "{page}");
    }

    // The page edited after the build (scripts/add-csp-meta does this): its
    // old copy must not be sent; the current page is compressed instead.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>edited</title>".repeat(100),
    )
    .unwrap();
    for page in ["/", "/history/some-job"] {
        let html = get(&server, page, Some("br")).await;
        assert_eq!(html.headers()["content-encoding"], "br");
        let body = html.bytes().await.unwrap();
        assert_ne!(body, "precompressed page", "{page}");
        let mut text = String::new();
        std::io::Read::read_to_string(&mut brotli_decoder(&body), &mut text).unwrap();
        assert!(text.contains("<title>edited</title>"), "{page}");
    }
}

fn brotli_decoder(body: &[u8]) -> impl std::io::Read + '_ {
    brotli_decompressor::Decompressor::new(body, 4096)
}

#[tokio::test]
async fn page_routes_fall_back_to_index_but_missing_assets_are_404() {
    let dir = dist("spa");
    let server = serve(&dir, &[]).await;
    let page = get(&server, "/history/some-job", None).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-cache");
    assert!(page.text().await.unwrap().contains("<title>studio</title>"));
    for missing in [
        "/wan-r2v-studio-ffffffffffffffff_bg.wasm",
        "/gone.js",
        "/favicon.ico",
    ] {
        assert_eq!(get(&server, missing, None).await.status(), 404, "{missing}");
    }
}

#[tokio::test]
async fn generated_config_is_valid_for_the_app_and_says_simulated() {
    let dir = dist("config");
    let server = serve(&dir, &["--forward-user-key"]).await;
    let response = get(&server, "/config.json", None).await;
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert_eq!(response.headers()["content-type"], "application/json");
    let text = response.text().await.unwrap();
    let config = AppConfig::from_json(&text).unwrap();
    assert!(config.simulated && config.forward_user_key_to_proxy);
    assert_eq!(config.proxy_url.as_deref(), Some("./api/fal/proxy"));
    assert_eq!(config.queue_base_url, format!("{}/sim/queue", server.url()));
    assert_eq!(config.rest_base_url, format!("{}/sim/rest", server.url()));

    let proxy_mode = support::server(
        &["--dist", dir.to_str().unwrap(), "--allow-user-key", "false"],
        Some(support::KEY),
    )
    .await;
    let text = get(&proxy_mode, "/config.json", None)
        .await
        .text()
        .await
        .unwrap();
    let config = AppConfig::from_json(&text).unwrap();
    assert!(!config.simulated && !config.allow_user_key);
    assert_eq!(config.queue_base_url, "https://queue.fal.run");
    assert!(!text.contains(support::KEY));
}

#[tokio::test]
async fn a_deployers_config_wins() {
    let dir = dist("own-config");
    std::fs::write(
        dir.join("config.json"),
        r#"{"allow_user_key": true, "simulated": true}"#,
    )
    .unwrap();
    let server = serve(&dir, &[]).await;
    let body: Value = get(&server, "/config.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body,
        serde_json::json!({ "allow_user_key": true, "simulated": true })
    );
    let file = dir.join("override.json");
    std::fs::write(&file, r#"{"proxy_url": "https://proxy.example/fal"}"#).unwrap();
    let server = serve(&dir, &["--app-config", file.to_str().unwrap()]).await;
    let body: Value = get(&server, "/config.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["proxy_url"], "https://proxy.example/fal");
    std::fs::write(&file, r#"{"proxy_url": 3}"#).unwrap();
    let mut cli = <wan_r2v_server::Cli as clap::Parser>::try_parse_from([
        "wan-r2v-server",
        "--simulate",
        "--port",
        "0",
        "--app-config",
        file.to_str().unwrap(),
    ])
    .unwrap();
    cli.fal_key = None;
    let err = wan_r2v_server::start(cli).await.unwrap_err();
    assert!(
        matches!(&err, wan_r2v_server::StartError::AppConfig { reason, .. }
            if reason.contains("config.json is not valid")),
        "{err}"
    );
}
