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

/// The request id in `/queue.fal.run/fal-ai/wan/requests/<id>/...`.
fn request_id(path: &str) -> Option<&str> {
    path.strip_prefix("/queue.fal.run/fal-ai/wan/requests/")?
        .split('/')
        .next()
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
    if parts.method == "POST" && path.starts_with("/queue.fal.run/") {
        // A submit: the prompt names the request id, so a test can submit
        // (and own) exactly the request it then reads.
        let echo: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let id = echo["prompt"].as_str().unwrap_or("r1").to_owned();
        let answer = json!({ "status": "IN_QUEUE", "request_id": id, "echo": echo });
        return ([("content-type", "application/json")], answer.to_string()).into_response();
    }
    if let Some(code) = request_id(path).and_then(|id| id.strip_prefix("status-")) {
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
    if request_id(path) == Some("echo-auth") {
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
        path: "/queue.fal.run/fal-ai/wan/requests/gzip/status".into(),
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
    let r = "/queue.fal.run/fal-ai/wan/requests";
    let router = Router::new()
        .route(&format!("{r}/sse/status/stream"), get(sse))
        .route(
            &format!("{r}/drop/status"),
            any(|| async { wan_r2v_server::serve::dropped_connection() }),
        )
        .route(&format!("{r}/slow/status"), get(slow))
        .route(
            &format!("{r}/gzip/status"),
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
        "--allow-upstream-override-for-tests",
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

/// The status URL of request `id` (the fake answers by id: `status-503`,
/// `drop`, `slow`, `gzip`, `echo-auth`, or anything else with 200).
pub fn status_of(id: &str) -> String {
    format!("https://queue.fal.run/fal-ai/wan/requests/{id}/status")
}

/// Submits request `id` through the proxy, so this client's identity owns
/// it and may read it; clears it from what the fake saw.
pub async fn own(server: &RunningServer, fake: &Fake, id: &str) {
    let response = call(server, reqwest::Method::POST, SUBMIT)
        .json(&json!({ "prompt": id }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "submitting {id}");
    fake.seen.lock().unwrap().clear();
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
