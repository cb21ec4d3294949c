//! The proxy against a local fake fal: status codes, headers and bodies
//! pass through, the right headers and key go upstream, and streams arrive
//! as they are sent.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::fake_fal::{call, own, proxy_to_fake, status_of, PROXY, SUBMIT};
use support::KEY;

#[tokio::test]
async fn passes_status_codes_bodies_and_headers_through() {
    let (server, fake) = proxy_to_fake(&[]).await;
    for code in [200u16, 202, 401, 422, 429, 500] {
        own(&server, &fake, &format!("status-{code}")).await;
        let target = status_of(&format!("status-{code}"));
        let response = call(&server, reqwest::Method::GET, &target)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), code);
        let headers = response.headers().clone();
        assert_eq!(headers["cache-control"], "no-store", "never cached");
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
    let webhook = call(
        &server,
        reqwest::Method::POST,
        &format!("{SUBMIT}?fal_webhook=x"),
    )
    .json(&json!({ "prompt": "p" }))
    .send()
    .await
    .unwrap();
    assert_eq!(webhook.status(), 403, "the app submits with no query");
    let response = call(&server, reqwest::Method::POST, SUBMIT)
        .header("x-fal-queue-priority", "low")
        .header("authorization", "Key user-id:user-secret")
        .header("cookie", "session=browser")
        .header("x-wan-access-code", "wan_for-the-proxy-only")
        .json(&json!({ "prompt": "p" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(
        response.json::<Value>().await.unwrap()["echo"],
        json!({ "prompt": "p" })
    );
    let mut seen_all = fake.seen.lock().unwrap().clone();
    assert_eq!(
        seen_all.len(),
        1,
        "the refused webhook submit never reached fal"
    );
    let seen = seen_all.pop().unwrap();
    assert_eq!(seen.method, "POST");
    assert_eq!(
        seen.path,
        "/queue.fal.run/fal-ai/wan/v2.7/reference-to-video"
    );
    assert_eq!(seen.query, None);
    assert!(
        seen.headers.get("x-wan-access-code").is_none(),
        "the access code is for the proxy only"
    );
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
    own(&server, &fake, "r1").await;
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
    own(&server, &fake, "sse").await;
    let stream = "https://queue.fal.run/fal-ai/wan/requests/sse/status/stream";
    let mut response = call(&server, reqwest::Method::GET, stream)
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
    own(&server, &fake, "r").await;
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
    own(&server, &fake, "gzip").await;
    let response = support::raw_client()
        .get(format!("{}{PROXY}", server.url()))
        .header("x-fal-target-url", status_of("gzip"))
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
