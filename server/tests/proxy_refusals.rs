//! What the proxy refuses and survives: bad targets, methods, body and rate
//! limits, upstream drops and timeouts, foreign origins, key echoes.

mod support;

use axum::body::Bytes;
use serde_json::json;
use support::client;
use support::fake_fal::{call, error_of, own, proxy_to_fake, status_of, PROXY, SUBMIT};
use support::{server, KEY};

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
        ("https://fal.run/fal-ai/wan/v2.7/reference-to-video", 403),
        ("https://queue.fal.run/fal-ai/wan/requests/r1/logs", 403),
        ("https://queue.fal.run/fal-ai/flux/requests/r1/status", 403),
        (
            "https://rest.fal.ai/storage/upload/complete-multipart?storage_type=fal-cdn-v3",
            403,
        ),
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
    let (server, fake) = proxy_to_fake(&[]).await;
    for id in ["drop", "slow", "status-202"] {
        own(&server, &fake, id).await;
    }
    let dropped = call(&server, reqwest::Method::GET, &status_of("drop"))
        .send()
        .await
        .unwrap();
    let (status, message) = error_of(dropped).await;
    assert_eq!(
        (status, message.as_str()),
        (502, "the connection to fal dropped")
    );
    let slow = call(&server, reqwest::Method::GET, &status_of("slow"))
        .send()
        .await
        .unwrap();
    let (status, message) = error_of(slow).await;
    assert_eq!(status, 502);
    assert!(message.contains("did not answer"), "{message}");
    let ok = call(&server, reqwest::Method::GET, &status_of("status-202"))
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
    let server = server(
        &[
            "--allow-upstream-override-for-tests",
            "--upstream-override",
            &base,
        ],
        Some(KEY),
    )
    .await;
    let response = call(&server, reqwest::Method::POST, SUBMIT)
        .json(&json!({ "prompt": "p" }))
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
    let (server, fake) = proxy_to_fake(&["--rate-limit", "0.5", "--rate-burst", "3"]).await;
    own(&server, &fake, "status-200").await;
    let target = &status_of("status-200");
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
    let (server, fake) = proxy_to_fake(&["--allow-origin", "http://app.example"]).await;
    own(&server, &fake, "status-200").await;
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
    let response = call(&server, reqwest::Method::GET, &status_of("status-200"))
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
    let stranger = call(&server, reqwest::Method::GET, &status_of("status-200"))
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
    own(&server, &fake, "echo-auth").await;
    let response = call(&server, reqwest::Method::GET, &status_of("echo-auth"))
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
    assert!(matches!(err, wan_r2v_server::StartError::NoKey), "{err}");
    assert!(err.to_string().contains("FAL_KEY"), "{err}");
}
