//! The proxy against a local fake fal: pass-through of status, headers and
//! bodies, streaming, refusals, limits, CORS, and surviving upstream drops.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use serde_json::{json, Value};
use support::{client, serve_router, server, Seen, SeenLog, KEY};
use tokio::sync::Notify;
use wan_r2v_server::RunningServer;

const PROXY: &str = "/api/fal/proxy";
const SUBMIT: &str = "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video";

#[derive(Clone)]
struct Fake {
    seen: SeenLog,
    /// Lets the SSE route wait until the test has read the first event.
    first_event_read: Arc<Notify>,
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

async fn proxy_to_fake(extra: &[&str]) -> (RunningServer, Fake) {
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

fn call(server: &RunningServer, method: reqwest::Method, target: &str) -> reqwest::RequestBuilder {
    client()
        .request(method, format!("{}{PROXY}", server.url()))
        .header("x-fal-target-url", target)
}

#[tokio::test]
async fn passes_status_codes_bodies_and_headers_through() {
    let (server, _fake) = proxy_to_fake(&[]).await;
    for code in [200u16, 202, 401, 422, 429, 500] {
        let target = format!("https://queue.fal.run/status/{code}");
        let response = call(&server, reqwest::Method::GET, &target)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), code);
        let headers = response.headers().clone();
        assert_eq!(headers["x-fal-request-id"], "req-123");
        assert_eq!(headers["x-custom-upstream"], "kept");
        assert!(
            headers.get("set-cookie").is_none(),
            "fal's cookies are not ours"
        );
        assert!(headers.get("access-control-allow-origin").is_none());
        if code == 429 {
            assert_eq!(headers["retry-after"], "7");
        }
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body,
            json!({ "detail": format!("upstream said {code}"), "code": code })
        );
    }
}

#[tokio::test]
async fn forwards_fal_headers_and_the_server_key_not_the_browsers() {
    let (server, fake) = proxy_to_fake(&[]).await;
    let response = call(
        &server,
        reqwest::Method::POST,
        &format!("{SUBMIT}?fal_webhook=x"),
    )
    .header("x-fal-queue-priority", "low")
    .header("authorization", "Key user-id:user-secret")
    .header("cookie", "session=browser")
    .json(&json!({ "prompt": "p" }))
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({ "prompt": "p" })
    );
    let seen = fake.seen.lock().unwrap().pop().unwrap();
    assert_eq!(seen.method, "POST");
    assert_eq!(
        seen.path,
        "/queue.fal.run/fal-ai/wan/v2.7/reference-to-video"
    );
    assert_eq!(seen.query.as_deref(), Some("fal_webhook=x"));
    assert_eq!(seen.headers["authorization"], format!("Key {KEY}").as_str());
    assert_eq!(seen.headers["x-fal-queue-priority"], "low");
    assert_eq!(seen.headers["content-type"], "application/json");
    assert_eq!(
        seen.headers["accept"], "*/*",
        "the browser's Accept, passed on"
    );
    assert!(seen.headers.get("cookie").is_none());
    assert!(seen.headers["x-fal-client-proxy"]
        .to_str()
        .unwrap()
        .starts_with("wan-r2v-server/"));
}

#[tokio::test]
async fn forwards_the_users_key_only_when_told_to() {
    let (server, fake) = proxy_to_fake(&["--forward-user-key"]).await;
    let target = "https://queue.fal.run/fal-ai/wan/requests/r1/cancel";
    let response = call(&server, reqwest::Method::PUT, target)
        .header("authorization", "Key user-id:user-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let seen = fake.seen.lock().unwrap().pop().unwrap();
    assert_eq!(seen.headers["authorization"], "Key user-id:user-secret");
    assert!(seen.body.is_empty());
    // Without one, the server's key is used.
    call(
        &server,
        reqwest::Method::GET,
        target.trim_end_matches("/cancel"),
    )
    .send()
    .await
    .unwrap();
    let seen = fake.seen.lock().unwrap().pop().unwrap();
    assert_eq!(seen.headers["authorization"], format!("Key {KEY}").as_str());
}

#[tokio::test]
async fn streams_sse_as_it_arrives_without_forcing_json() {
    let (server, fake) = proxy_to_fake(&[]).await;
    let mut response = call(&server, reqwest::Method::GET, "https://queue.fal.run/sse")
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let first = tokio::time::timeout(Duration::from_secs(3), response.chunk())
        .await
        .expect("the first event arrives before the upstream sends the second")
        .unwrap()
        .unwrap();
    assert_eq!(&first[..], b"data: {\"status\":\"IN_QUEUE\"}\n\n");
    fake.first_event_read.notify_one();
    let rest = tokio::time::timeout(Duration::from_secs(3), response.bytes())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&rest[..], b"data: {\"status\":\"COMPLETED\"}\n\n");
    let seen = fake.seen.lock().unwrap().clone();
    assert!(
        seen.is_empty(),
        "the SSE route does not record; nothing else was called"
    );
}

#[tokio::test]
async fn sse_request_keeps_its_accept_header() {
    let (server, fake) = proxy_to_fake(&[]).await;
    call(
        &server,
        reqwest::Method::GET,
        "https://queue.fal.run/fal-ai/wan/requests/r/status/stream",
    )
    .header("accept", "text/event-stream")
    .send()
    .await
    .unwrap();
    let seen = fake.seen.lock().unwrap().pop().unwrap();
    assert_eq!(seen.headers["accept"], "text/event-stream");
}

#[tokio::test]
async fn decompresses_and_drops_content_encoding() {
    let (server, fake) = proxy_to_fake(&[]).await;
    let response = support::raw_client()
        .get(format!("{}{PROXY}", server.url()))
        .header("x-fal-target-url", "https://queue.fal.run/gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("content-encoding").is_none());
    assert_eq!(response.text().await.unwrap(), "x".repeat(4096));
    let asked = fake.seen.lock().unwrap().pop().unwrap().headers["accept-encoding"].clone();
    assert!(
        asked.to_str().unwrap().contains("gzip"),
        "fal was asked to compress: {asked:?}"
    );
}

async fn error_of(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["error"].as_str().expect("{\"error\": ...}").to_owned(),
    )
}

#[tokio::test]
async fn refuses_missing_invalid_and_forbidden_targets() {
    let (server, fake) = proxy_to_fake(&[]).await;
    let url = format!("{}{PROXY}", server.url());
    let missing = client().get(&url).send().await.unwrap();
    assert_eq!(error_of(missing).await.0, 400);
    for (target, code) in [
        ("not a url", 400),
        ("https://evil.example/x", 403),
        ("http://queue.fal.run/x", 403),
        ("https://queue.fal.run@evil.example/x", 403),
        ("https://queue.fal.run:444/x", 403),
        ("https://rest.fal.ai/tokens/", 403),
        ("https://queue.fal.run/fal-ai/../x", 403),
    ] {
        let response = call(&server, reqwest::Method::GET, target)
            .send()
            .await
            .unwrap();
        let (status, message) = error_of(response).await;
        assert_eq!(status, code, "{target}: {message}");
    }
    let other_model = call(
        &server,
        reqwest::Method::POST,
        "https://queue.fal.run/fal-ai/flux/dev",
    )
    .json(&json!({}))
    .send()
    .await
    .unwrap();
    assert_eq!(error_of(other_model).await.0, 403);
    let delete = client()
        .delete(&url)
        .header("x-fal-target-url", SUBMIT)
        .send()
        .await
        .unwrap();
    assert_eq!(delete.headers()["allow"], "GET, POST, PUT");
    assert_eq!(error_of(delete).await.0, 405);
    assert!(
        fake.seen.lock().unwrap().is_empty(),
        "nothing refused reached fal"
    );
}

#[tokio::test]
async fn an_upstream_drop_or_timeout_is_a_502_and_the_next_request_works() {
    let (server, _fake) = proxy_to_fake(&[]).await;
    let dropped = call(&server, reqwest::Method::GET, "https://queue.fal.run/drop")
        .send()
        .await
        .unwrap();
    let (status, message) = error_of(dropped).await;
    assert_eq!(
        (status, message.as_str()),
        (502, "the connection to fal dropped")
    );
    let slow = call(&server, reqwest::Method::GET, "https://queue.fal.run/slow")
        .send()
        .await
        .unwrap();
    let (status, message) = error_of(slow).await;
    assert_eq!(status, 502);
    assert!(message.contains("did not answer"), "{message}");
    let ok = call(
        &server,
        reqwest::Method::GET,
        "https://queue.fal.run/status/202",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(ok.status(), 202);
}

#[tokio::test]
async fn an_unreachable_upstream_is_a_502() {
    // A port nothing listens on: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let server = server(&["--upstream-override", &base], Some(KEY)).await;
    let response = call(&server, reqwest::Method::GET, SUBMIT)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(response).await,
        (502, "could not connect to fal".to_owned())
    );
}

#[tokio::test]
async fn bodies_over_the_limit_get_413_even_without_content_length() {
    let (server, fake) = proxy_to_fake(&["--max-body", "1KiB"]).await;
    let big = vec![b'a'; 2048];
    let declared = call(&server, reqwest::Method::POST, SUBMIT)
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(declared).await.0, 413);
    let chunks = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from(big))]);
    let streamed = call(&server, reqwest::Method::POST, SUBMIT)
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(streamed).await.0, 413);
    let small = call(&server, reqwest::Method::POST, SUBMIT)
        .body(vec![b'a'; 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(small.status(), 200);
    assert_eq!(fake.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn rate_limits_each_client_with_retry_after() {
    let (server, _fake) = proxy_to_fake(&["--rate-limit", "0.5", "--rate-burst", "2"]).await;
    let target = "https://queue.fal.run/status/200";
    for _ in 0..2 {
        assert_eq!(
            call(&server, reqwest::Method::GET, target)
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    let limited = call(&server, reqwest::Method::GET, target)
        .send()
        .await
        .unwrap();
    assert_eq!(limited.headers()["retry-after"], "2");
    assert_eq!(error_of(limited).await.0, 429);
}

#[tokio::test]
async fn cors_only_for_listed_origins_and_exposes_the_request_id() {
    let (server, _fake) = proxy_to_fake(&["--allow-origin", "http://app.example"]).await;
    let url = format!("{}{PROXY}", server.url());
    let preflight = client()
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", "http://app.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "x-fal-target-url, content-type, authorization",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    let headers = preflight.headers();
    assert_eq!(headers["access-control-allow-origin"], "http://app.example");
    let allowed = headers["access-control-allow-headers"].to_str().unwrap();
    assert!(
        allowed.contains("x-fal-target-url") && allowed.contains("authorization"),
        "{allowed}"
    );
    let response = call(
        &server,
        reqwest::Method::GET,
        "https://queue.fal.run/status/200",
    )
    .header("origin", "http://app.example")
    .send()
    .await
    .unwrap();
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "http://app.example"
    );
    let exposed = response.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap();
    assert!(exposed.contains("x-fal-request-id"), "{exposed}");
    let stranger = call(
        &server,
        reqwest::Method::GET,
        "https://queue.fal.run/status/200",
    )
    .header("origin", "http://evil.example")
    .send()
    .await
    .unwrap();
    assert!(stranger
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[tokio::test]
async fn never_echoes_the_key_even_if_fal_reflected_it() {
    let (server, fake) = proxy_to_fake(&[]).await;
    let response = call(
        &server,
        reqwest::Method::GET,
        "https://queue.fal.run/echo-auth",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        fake.seen.lock().unwrap().len(),
        1,
        "the upstream did get the key"
    );
    assert!(response.headers().get("x-echo").is_none());
    for value in response.headers().values() {
        assert!(!String::from_utf8_lossy(value.as_bytes()).contains("secret"));
    }
}

#[tokio::test]
async fn refuses_to_start_without_a_key_unless_simulating() {
    let mut cli =
        <wan_r2v_server::Cli as clap::Parser>::try_parse_from(["wan-r2v-server", "--port", "0"])
            .unwrap();
    cli.fal_key = None;
    let err = wan_r2v_server::start(cli).await.unwrap_err();
    assert!(err.contains("FAL_KEY"), "{err}");
}
