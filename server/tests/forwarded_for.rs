//! `--trust-forwarded-for`: the client is exactly the last `X-Forwarded-For`
//! entry (the reverse proxy's), whatever the caller put before it, with or
//! without a port, IPv6 bracketed or not; an entry that does not parse is
//! refused; IPv6 clients share a rate limit and an identity per /64.

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use support::{client, server};

const FORBIDDEN_TARGET: &str = "https://queue.fal.run/fal-ai/flux/dev";
const SUBMIT: &str = "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video";

/// A proxy call that passes the rate limit and is then refused (403): so
/// 403 means "admitted by the limiter", 429 "limited", 400 "refused first".
async fn status_as(server: &wan_r2v_server::RunningServer, forwarded: &str) -> u16 {
    client()
        .post(format!("{}/api/fal/proxy", server.url()))
        .header("x-fal-target-url", FORBIDDEN_TARGET)
        .header("x-forwarded-for", forwarded)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_last_entry_is_the_client_whatever_came_before() {
    // One call per client, refilled only after about 17 minutes.
    let server = server(
        &[
            "--simulate",
            "--trust-forwarded-for",
            "--rate-limit",
            "0.001",
            "--rate-burst",
            "1",
        ],
        None,
    )
    .await;
    for (first, again) in [
        ("198.51.100.1", "203.0.113.50, 198.51.100.1"),
        // With a port: the caller's own entries must not become the key.
        (
            "203.0.113.60, 198.51.100.2:4711",
            "203.0.113.61, 198.51.100.2:5000",
        ),
        ("203.0.113.70, [2001:db8:7::1]:443", "2001:db8:7::1"),
        // IPv6 clients are grouped by /64.
        (
            "2001:db8:1:2::1",
            "203.0.113.80, [2001:db8:1:2:ffff:ffff:ffff:fffe]",
        ),
    ] {
        assert_eq!(status_as(&server, first).await, 403, "{first}");
        assert_eq!(
            status_as(&server, again).await,
            429,
            "{again} is the same client"
        );
    }
    // Another /64, another client.
    assert_eq!(status_as(&server, "2001:db8:1:3::1").await, 403);

    for unparsable in [
        "198.51.100.9, not-an-ip",
        "198.51.100.9, ",
        "198.51.100.9:99999",
        "[2001:db8::1",
        "unknown",
    ] {
        let response = client()
            .post(format!("{}/api/fal/proxy", server.url()))
            .header("x-fal-target-url", FORBIDDEN_TARGET)
            .header("x-forwarded-for", unparsable)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{unparsable}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"].as_str().unwrap().contains("X-Forwarded-For"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn in_open_mode_an_ipv6_client_is_one_identity_per_64() {
    let server = server(
        &[
            "--simulate",
            "--access",
            "open",
            "--trust-forwarded-for",
            "--rate-limit",
            "0",
        ],
        None,
    )
    .await;
    let proxy = format!("{}/api/fal/proxy", server.url());
    let submitted: Value = client()
        .post(&proxy)
        .header("x-fal-target-url", SUBMIT)
        .header("x-forwarded-for", "2001:db8:aa:bb::1")
        .json(&json!({ "prompt": "mine" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let status_url = submitted["status_url"].as_str().unwrap();
    let read_as = |forwarded: &'static str| {
        client()
            .request(Method::GET, &proxy)
            .header("x-fal-target-url", status_url)
            .header("x-forwarded-for", forwarded)
            .send()
    };
    let same_network = read_as("[2001:db8:aa:bb:1234::9]:50000").await.unwrap();
    assert!(
        same_network.status().is_success(),
        "{}",
        same_network.status()
    );
    let other_network = read_as("2001:db8:aa:bc::1").await.unwrap();
    assert_eq!(
        other_network.status(),
        403,
        "another /64 is another identity"
    );
}
