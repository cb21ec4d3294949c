//! Shared test plumbing: start the server in-process on 127.0.0.1:0, a
//! client that never uses a system proxy, and a fake fal upstream.
#![allow(dead_code)]

pub mod fake_fal;
pub mod fal;
pub mod process;
pub mod raw_http;
pub mod redis;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::HeaderMap;
use axum::Router;
use clap::Parser;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use wan_r2v_server::{start, Cli, FalKey, RunningServer};

pub const KEY: &str = "test-key-id:test-key-secret-4b1d";

/// Starts the server with these flags (plus `--port 0`) and `FAL_KEY` = `key`.
pub async fn server(args: &[&str], key: Option<&str>) -> RunningServer {
    let mut all = vec!["wan-r2v-server", "--port", "0"];
    if !args.contains(&"--dist") {
        all.extend(["--dist", "/nonexistent-dist"]);
    }
    let state = temp_path("state.sqlite3");
    if !args.contains(&"--state") {
        all.extend(["--state", state.to_str().unwrap()]);
    }
    all.extend_from_slice(args);
    let mut cli = Cli::try_parse_from(all).expect("flags parse");
    cli.fal_key = key.and_then(FalKey::new);
    start(cli).await.expect("server starts")
}

/// Starts the simulator with fast timings.
pub async fn simulator(args: &[&str]) -> RunningServer {
    let mut all = vec![
        "--simulate",
        "--sim-queue",
        "300ms",
        "--sim-queue-position",
        "2",
        "--sim-run",
        "600ms",
        "--sim-log-interval",
        "100ms",
        "--sim-keepalive",
        "150ms",
        "--sim-cancel-delay",
        "100ms",
        "--rate-limit",
        "0",
    ];
    all.extend_from_slice(args);
    server(&all, None).await
}

/// A path no other test uses, under the system's temporary folder.
pub fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "wan-r2v-test-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// A client that leaves bodies as sent (no transparent decompression), so
/// `content-encoding` can be checked.
pub fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .no_gzip()
        .no_brotli()
        .no_deflate()
        .build()
        .unwrap()
}

/// What the fake upstream saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

pub type SeenLog = Arc<Mutex<Vec<Seen>>>;

/// Serves `router` on 127.0.0.1:0 with the server's own accept loop (so a
/// handler can drop a connection), returning its base URL.
pub async fn serve_router(router: Router) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let task = tokio::spawn(wan_r2v_server::serve::serve(listener, router));
    (format!("http://{addr}"), task)
}
