//! Talking to the simulator the two ways the app does: through the proxy
//! (fal URLs in `x-fal-target-url`) or directly with a key.
#![allow(dead_code)]

use std::time::Duration;

use reqwest::{Method, Response};
use serde_json::{json, Value};
use wan_r2v_server::RunningServer;

use super::client;

pub const SUBMIT_PATH: &str = "fal-ai/wan/v2.7/reference-to-video";
pub const DIRECT_KEY: &str = "Key sim-id:sim-secret-9f9f";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Proxy,
    Direct,
}

/// Calls a fal URL (`https://queue.fal.run/...`, through the proxy) or a
/// direct simulator URL (`http://127.0.0.1:N/sim/...`, with a key).
pub async fn call(
    server: &RunningServer,
    method: Method,
    url: &str,
    body: Option<Value>,
) -> Response {
    let request = if url.starts_with("https://") {
        client()
            .request(method, format!("{}/api/fal/proxy", server.url()))
            .header("x-fal-target-url", url)
    } else {
        client()
            .request(method, url)
            .header("authorization", DIRECT_KEY)
    };
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    request.send().await.expect("request sent")
}

/// The submit URL for `via`.
pub fn submit_url(server: &RunningServer, via: Via) -> String {
    match via {
        Via::Proxy => format!("https://queue.fal.run/{SUBMIT_PATH}"),
        Via::Direct => format!("{}/sim/queue/{SUBMIT_PATH}", server.url()),
    }
}

/// The queue base answers point at for `via`.
pub fn queue_base(server: &RunningServer, via: Via) -> String {
    match via {
        Via::Proxy => "https://queue.fal.run".to_owned(),
        Via::Direct => format!("{}/sim/queue", server.url()),
    }
}

/// Submits a prompt; returns the submit answer.
pub async fn submit(server: &RunningServer, via: Via, prompt: &str) -> Value {
    let response = call(
        server,
        Method::POST,
        &submit_url(server, via),
        Some(json!({ "prompt": prompt })),
    )
    .await;
    assert_eq!(response.status(), 200, "submit");
    response.json().await.unwrap()
}

/// GET and JSON body with status.
pub async fn get_json(server: &RunningServer, url: &str) -> (u16, Value) {
    let response = call(server, Method::GET, url, None).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Polls `status_url` until COMPLETED; returns every (code, body) seen.
pub async fn poll_to_completion(server: &RunningServer, status_url: &str) -> Vec<(u16, Value)> {
    let mut seen = Vec::new();
    let url = format!("{status_url}?logs=1");
    for _ in 0..400 {
        let (code, body) = get_json(server, &url).await;
        let done = body["status"] == "COMPLETED";
        seen.push((code, body));
        if done {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("job never completed: {:?}", seen.last());
}

/// POSTs to `/sim/control`, asserting it was accepted.
pub async fn control(server: &RunningServer, body: Value) -> Value {
    let response = client()
        .post(format!("{}/sim/control", server.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let answer: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "control refused {body}: {answer}");
    answer
}

pub async fn journal(server: &RunningServer) -> Vec<Value> {
    client()
        .get(format!("{}/sim/journal", server.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
