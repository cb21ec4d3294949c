//! A fake fal for the proxy tests: records what it is sent and answers
//! with chosen statuses, an SSE stream it paces, drops, delays and gzip.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::Notify;
use wan_r2v_server::RunningServer;

use super::{client, serve_router, server, Seen, SeenLog, KEY};

pub const PROXY: &str = "/api/fal/proxy";
pub const SUBMIT: &str = "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video";

#[derive(Clone)]
pub struct Fake {
    pub seen: SeenLog,
    /// Lets the SSE route wait until the test has read the first event.
    pub first_event_read: Arc<Notify>,
}

async fn record(State(fake): State<Fake>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    fake.seen.lock().unwrap().push(Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers.clone(),
        body: body.to_vec(),
    });
    let path = parts.uri.path();
    if let Some(code) = path.strip_prefix("/queue.fal.run/status/") {
        let code: u16 = code.parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-fal-request-id", "req-123".parse().unwrap());
        headers.insert("x-custom-upstream", "kept".parse().unwrap());
        headers.insert("access-control-allow-origin", "*".parse().unwrap());
        headers.insert("set-cookie", "fal=1".parse().unwrap());
        if code == 429 {
            headers.insert("retry-after", "7".parse().unwrap());
        }
        let body = json!({ "detail": format!("upstream said {code}"), "code": code });
        return (
            StatusCode::from_u16(code).unwrap(),
            headers,
            body.to_string(),
        )
            .into_response();
    }
    if path == "/queue.fal.run/echo-auth" {
        // A misbehaving upstream that reflects the Authorization header.
        let auth = parts.headers.get("authorization").cloned().unwrap();
        return ([("x-echo", auth)], "{}").into_response();
    }
    (StatusCode::OK, [("content-type", "application/json")], body).into_response()
}

async fn sse(State(fake): State<Fake>) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::spawn(async move {
        let _ = tx
            .send(Ok(Bytes::from("data: {\"status\":\"IN_QUEUE\"}\n\n")))
            .await;
        // The second event is sent only once the test has read the first:
        // a buffering proxy would make the test time out.
        fake.first_event_read.notified().await;
        let _ = tx
            .send(Ok(Bytes::from("data: {\"status\":\"COMPLETED\"}\n\n")))
            .await;
    });
    let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    ([("content-type", "text/event-stream")], body).into_response()
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

async fn gzip_body(State(fake): State<Fake>, headers: HeaderMap) -> String {
    fake.seen.lock().unwrap().push(Seen {
        method: "GET".into(),
        path: "/queue.fal.run/gzip".into(),
        query: None,
        headers,
        body: Vec::new(),
    });
    "x".repeat(4096)
}

async fn fake_upstream() -> (String, Fake) {
    let fake = Fake {
        seen: Arc::new(Mutex::new(Vec::new())),
        first_event_read: Arc::new(Notify::new()),
    };
    let router = Router::new()
        .route("/queue.fal.run/sse", get(sse))
        .route(
            "/queue.fal.run/drop",
            any(|| async { wan_r2v_server::serve::dropped_connection() }),
        )
        .route("/queue.fal.run/slow", get(slow))
        .route(
            "/queue.fal.run/gzip",
            get(gzip_body).layer(tower_http::compression::CompressionLayer::new()),
        )
        .route("/{*path}", any(record))
        .with_state(fake.clone());
    let (url, task) = serve_router(router).await;
    std::mem::forget(task);
    (url, fake)
}

pub async fn proxy_to_fake(extra: &[&str]) -> (RunningServer, Fake) {
    let (upstream, fake) = fake_upstream().await;
    let mut args = vec![
        "--upstream-override",
        upstream.as_str(),
        "--upstream-timeout",
        "500ms",
    ];
    args.extend_from_slice(extra);
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    (server(&args, Some(KEY)).await, fake)
}

pub fn call(
    server: &RunningServer,
    method: reqwest::Method,
    target: &str,
) -> reqwest::RequestBuilder {
    client()
        .request(method, format!("{}{PROXY}", server.url()))
        .header("x-fal-target-url", target)
}

/// A refusal's status and `error` message.
pub async fn error_of(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["error"].as_str().expect("{\"error\": ...}").to_owned(),
    )
}
