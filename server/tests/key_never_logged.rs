//! The key and access codes in no log line (captured at TRACE level, every
//! crate's logs included) and in no response, across successes, refusals
//! and failures.
//! A test binary of its own, because it installs the global subscriber.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::response::IntoResponse;
use axum::routing::any;
use axum::Router;
use support::{client, serve_router, server, KEY};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const USER_KEY: &str = "user-key-id:user-key-secret-77aa";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_is_in_no_log_line_and_no_response() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let upstream = Router::new().route(
        "/{*path}",
        any(|request: axum::extract::Request| async move {
            // Request r1's stream drops, its cancel is slow, its result 422.
            let path = request.uri().path().to_owned();
            if path.ends_with("/stream") {
                return wan_r2v_server::serve::dropped_connection();
            }
            if path.ends_with("/cancel") {
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            }
            let code = if path.ends_with("/r1") { 422 } else { 200 };
            let status = axum::http::StatusCode::from_u16(code).unwrap();
            (status, [("x-fal-request-id", "r1")], r#"{"detail":"x"}"#).into_response()
        }),
    );
    let (upstream_url, _task) = serve_router(upstream).await;
    let proxy = server(
        &[
            "--allow-upstream-override-for-tests",
            "--upstream-override",
            &upstream_url,
            "--upstream-timeout",
            "300ms",
            "--rate-burst",
            "12",
            "--rate-limit",
            "0.1",
        ],
        Some(KEY),
    )
    .await;
    let forwarding = server(
        &[
            "--allow-upstream-override-for-tests",
            "--upstream-override",
            &upstream_url,
            "--forward-user-key",
        ],
        Some(KEY),
    )
    .await;
    let (code, entry) = wan_r2v_server::access::codes::new_code("logged").unwrap();
    let codes = support::temp_path("codes.toml");
    std::fs::write(&codes, entry).unwrap();
    let guarded = server(
        &[
            "--allow-upstream-override-for-tests",
            "--upstream-override",
            &upstream_url,
            "--upstream-timeout",
            "300ms",
            "--access-codes",
            codes.to_str().unwrap(),
            "--budget-daily",
            "5",
        ],
        Some(KEY),
    )
    .await;

    let mut seen = String::new();
    let targets = [
        (
            "POST",
            "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video",
        ),
        (
            "GET",
            "https://queue.fal.run/fal-ai/wan/requests/r1/status?logs=1",
        ),
        ("GET", "https://queue.fal.run/fal-ai/wan/requests/r1"),
        (
            "GET",
            "https://queue.fal.run/fal-ai/wan/requests/r1/status/stream",
        ),
        ("PUT", "https://queue.fal.run/fal-ai/wan/requests/r1/cancel"),
        ("GET", "https://evil.example/x"),
        ("GET", "not a url"),
        ("DELETE", "https://queue.fal.run/x"),
        ("POST", "https://queue.fal.run/other/model"),
    ];
    let wrong_code = "wan_not-a-code-0d0d";
    for (server, access) in [
        (&proxy, None),
        (&forwarding, None),
        (&guarded, Some(code.as_str())),
        (&guarded, Some(wrong_code)),
    ] {
        for _round in 0..2 {
            for (method, target) in targets {
                let mut request = client()
                    .request(
                        method.parse().unwrap(),
                        format!("{}/api/fal/proxy", server.url()),
                    )
                    .header("x-fal-target-url", target);
                if let Some(access) = access {
                    request = request.header("x-wan-access-code", access);
                }
                let response = request
                    .header("authorization", format!("Key {USER_KEY}"))
                    .body(r#"{"prompt":"p"}"#)
                    .send()
                    .await
                    .unwrap();
                seen.push_str(&format!("{} {:?}\n", response.status(), response.headers()));
                seen.push_str(&response.text().await.unwrap_or_default());
            }
        }
    }
    assert!(seen.contains("429"), "the rate limit was hit too: {seen}");
    assert!(
        seen.contains("401"),
        "a wrong access code was refused: {seen}"
    );

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("forwarded"), "capture works: {logs}");
    assert!(
        logs.contains("hyper") || logs.contains("reqwest"),
        "other crates' traces captured"
    );
    for secret in [
        KEY,
        "test-key-secret-4b1d",
        USER_KEY,
        "user-key-secret-77aa",
        code.as_str(),
        &code[4..],
        wrong_code,
    ] {
        assert!(!logs.contains(secret), "{secret} appears in the logs");
        assert!(!seen.contains(secret), "{secret} appears in a response");
    }
}
