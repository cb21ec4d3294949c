//! Each fault kind, set at run time through `/sim/control` (and one at
//! start-up with `--sim-fault`), and the control API's own checks.

mod support;

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use support::fal::{call, control, journal, submit, submit_url, Via, DIRECT_KEY};
use support::{client, simulator};
use wan_r2v_server::RunningServer;

async fn status_of(server: &RunningServer, url: &str) -> reqwest::Response {
    call(server, Method::GET, url, None).await
}

#[tokio::test]
async fn http_faults_answer_like_fal_then_stop() {
    let server = simulator(&[]).await;
    let submitted = submit(&server, Via::Proxy, "p").await;
    let status_url = submitted["status_url"].as_str().unwrap();
    control(&server, json!({ "faults": [
        { "route": "status", "kind": "http", "status": 429, "retry_after": 2, "times": 1 },
        { "route": "status", "kind": "http", "status": 503, "times": 1 },
        { "route": "status", "kind": "http", "status": 504, "timeout_type": "user", "times": 1 },
    ]})).await;
    let limited = status_of(&server, status_url).await;
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "2");
    let body: Value = limited.json().await.unwrap();
    assert!(
        body["detail"].is_string() && body["error_type"].is_string(),
        "{body}"
    );
    let unavailable = status_of(&server, status_url).await;
    assert_eq!(unavailable.status(), 503);
    assert_eq!(
        unavailable.headers()["x-fal-error-type"],
        "runner_scheduling_failure"
    );
    let timeout = status_of(&server, status_url).await;
    assert_eq!(timeout.headers()["x-fal-request-timeout-type"], "user");
    assert_eq!(
        status_of(&server, status_url).await.status(),
        202,
        "faults used up"
    );
    let entries = journal(&server).await;
    let faults: Vec<&Value> = entries.iter().map(|e| &e["fault"]).collect();
    assert_eq!(
        faults[1..4],
        [&json!("http"), &json!("http"), &json!("http")]
    );
    assert_eq!(faults[4], &Value::Null);
}

#[tokio::test]
async fn a_dropped_connection_gets_no_answer_and_the_next_one_does() {
    let server = simulator(&[]).await;
    control(
        &server,
        json!({ "faults": [{ "route": "submit", "kind": "drop", "times": 1 }] }),
    )
    .await;
    let url = submit_url(&server, Via::Direct);
    let dropped = client()
        .post(&url)
        .header("authorization", DIRECT_KEY)
        .json(&json!({ "prompt": "p" }))
        .send()
        .await;
    assert!(dropped.is_err(), "connection closed without a response");
    assert_eq!(
        submit(&server, Via::Direct, "p").await["status"],
        "IN_QUEUE"
    );
    let entries = journal(&server).await;
    assert_eq!(
        (entries[0]["status"].clone(), entries[0]["fault"].clone()),
        (Value::Null, json!("drop"))
    );
    // Through the proxy the browser sees the same: no answer at all.
    control(
        &server,
        json!({ "faults": [{ "route": "submit", "kind": "drop", "via": "proxy", "times": 1 }] }),
    )
    .await;
    let proxied = client()
        .post(format!("{}/api/fal/proxy", server.url()))
        .header(
            "x-fal-target-url",
            "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video",
        )
        .json(&json!({ "prompt": "p" }))
        .send()
        .await;
    assert!(proxied.is_err());
}

#[tokio::test]
async fn delays_slow_the_answer_down() {
    let server = simulator(&[]).await;
    control(
        &server,
        json!({ "faults": [{ "route": "submit", "kind": "delay", "delay_ms": 300, "times": 1 }] }),
    )
    .await;
    let started = Instant::now();
    submit(&server, Via::Direct, "p").await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    submit(&server, Via::Direct, "p").await;
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn an_outage_takes_down_queue_and_rest_for_its_window_only() {
    let server = simulator(&[]).await;
    let init = "https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3";
    let upload = call(
        &server,
        Method::POST,
        init,
        Some(json!({ "file_name": "a.png" })),
    )
    .await;
    let upload_url = upload.json::<Value>().await.unwrap()["upload_url"]
        .as_str()
        .unwrap()
        .to_owned();
    control(&server, json!({ "outage": { "seconds": 0.4 } })).await;
    let submit_during = call(
        &server,
        Method::POST,
        &submit_url(&server, Via::Proxy),
        Some(json!({ "prompt": "p" })),
    )
    .await;
    assert_eq!(submit_during.status(), 503);
    assert_eq!(
        call(&server, Method::POST, init, Some(json!({})))
            .await
            .status(),
        503
    );
    assert_eq!(
        client()
            .put(&upload_url)
            .body("x")
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "the CDN stays up"
    );
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(submit(&server, Via::Proxy, "p").await["status"], "IN_QUEUE");
}

#[tokio::test]
async fn malformed_status_bodies() {
    let server = simulator(&[]).await;
    let submitted = submit(&server, Via::Direct, "p").await;
    let id = submitted["request_id"].as_str().unwrap();
    control(&server, json!({ "faults": [{ "route": "status", "kind": "malformed", "request_id": id, "times": 1 }] })).await;
    let response = status_of(&server, submitted["status_url"].as_str().unwrap()).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    let other = submit(&server, Via::Direct, "p").await;
    control(
        &server,
        json!({ "faults": [{ "route": "status", "kind": "malformed", "request_id": id }] }),
    )
    .await;
    let unaffected = status_of(&server, other["status_url"].as_str().unwrap()).await;
    assert!(
        unaffected.json::<Value>().await.is_ok(),
        "the fault is for one job only"
    );
}

async fn open_stream(status_url: &str) -> reqwest::Response {
    client()
        .get(format!("{status_url}/stream"))
        .header("authorization", DIRECT_KEY)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_stream_can_break_off_mid_way() {
    let server = simulator(&[]).await;
    control(&server, json!({ "faults": [{ "route": "status_stream", "kind": "stream_drop", "after_events": 2 }] })).await;
    let submitted = submit(&server, Via::Direct, "p").await;
    let mut response = open_stream(submitted["status_url"].as_str().unwrap()).await;
    assert_eq!(response.status(), 200);
    let mut received = String::new();
    let error = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => received.push_str(std::str::from_utf8(&chunk).unwrap()),
            Ok(None) => panic!("the stream ended cleanly: {received}"),
            Err(error) => break error,
        }
    };
    assert_eq!(
        received.matches("data: ").count(),
        2,
        "{received} / {error}"
    );
    assert!(!received.contains("COMPLETED"));
}

#[tokio::test]
async fn a_buffering_proxy_holds_every_event_until_the_end() {
    let server = simulator(&[]).await;
    control(
        &server,
        json!({ "faults": [{ "route": "status_stream", "kind": "buffer_stream" }] }),
    )
    .await;
    let submitted = submit(&server, Via::Direct, "[sim:queue=300ms] [sim:run=300ms]").await;
    let started = Instant::now();
    let mut response = open_stream(submitted["status_url"].as_str().unwrap()).await;
    let first = response.chunk().await.unwrap().unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(550),
        "nothing before completion"
    );
    let text = String::from_utf8(first.to_vec()).unwrap();
    assert!(
        text.starts_with("data: ") && text.contains("IN_QUEUE") && text.contains("COMPLETED"),
        "{text}"
    );
}

#[tokio::test]
async fn a_malformed_event_on_the_stream() {
    let server = simulator(&[]).await;
    control(
        &server,
        json!({ "faults": [{ "route": "status_stream", "kind": "malformed", "body": "{oops" }] }),
    )
    .await;
    let submitted = submit(&server, Via::Direct, "[sim:queue=0s] [sim:run=100ms]").await;
    let text = open_stream(submitted["status_url"].as_str().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(text.starts_with("data: {oops\n\n"), "{text}");
    assert!(text.contains("COMPLETED"));
}

#[tokio::test]
async fn start_up_faults_and_storage_faults() {
    let server = simulator(&[
        "--sim-fault",
        r#"{"route":"storage_initiate","kind":"http","status":500,"times":1}"#,
    ])
    .await;
    let init = "https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3";
    let first = call(&server, Method::POST, init, Some(json!({}))).await;
    assert_eq!(first.status(), 500);
    assert_eq!(first.headers()["x-fal-error-type"], "internal_server_error");
    let second = call(&server, Method::POST, init, Some(json!({}))).await;
    let upload_url = second.json::<Value>().await.unwrap()["upload_url"]
        .as_str()
        .unwrap()
        .to_owned();
    control(
        &server,
        json!({ "faults": [{ "route": "upload", "kind": "http", "status": 502, "times": 1 }] }),
    )
    .await;
    assert_eq!(
        client()
            .put(&upload_url)
            .body("x")
            .send()
            .await
            .unwrap()
            .status(),
        502
    );
    assert_eq!(
        client()
            .put(&upload_url)
            .body("x")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn control_refuses_typos_and_reports_state() {
    let server = simulator(&[]).await;
    let url = format!("{}/sim/control", server.url());
    for bad in [
        json!({ "fault": [] }),
        json!({ "faults": [{ "route": "stauts", "kind": "http" }] }),
        json!({ "faults": [{ "route": "status", "kind": "explode" }] }),
        json!({ "timings": { "queue": 1 } }),
        json!({ "complete": "no-such-job" }),
    ] {
        let status = client()
            .post(&url)
            .json(&bad)
            .send()
            .await
            .unwrap()
            .status();
        assert!(status == 400 || status == 404, "{bad} gave {status}");
    }
    let state = control(
        &server,
        json!({
            "timings": { "queue_ms": 1000 },
            "faults": [{ "route": "result", "kind": "http", "times": 3 }],
        }),
    )
    .await;
    assert_eq!(state["timings"]["queue_ms"], 1000);
    assert_eq!(state["faults"][0]["times_left"], 3);
    let state = control(&server, json!({ "reset": true })).await;
    assert_eq!(state["timings"]["queue_ms"], 300, "back to the flags");
    assert_eq!(state["faults"], json!([]));
}
