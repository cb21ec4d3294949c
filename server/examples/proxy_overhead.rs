//! Prints what the proxy adds to a request, and how fast the simulator
//! answers status polls. Not a test: figures depend on the machine.
//!
//!     cargo run --release -p wan-r2v-server --example proxy_overhead
//!
//! Everything runs on 127.0.0.1: a fake fal, the proxy in front of it, and
//! the simulator.

use std::time::{Duration, Instant};

use axum::routing::any;
use axum::Router;
use clap::Parser;
use wan_r2v_server::{start, Cli, FalKey};

const ROUNDS: usize = 2_000;

fn cli(args: &[&str]) -> Cli {
    let state = std::env::temp_dir().join(format!("wan-r2v-bench-{}.sqlite3", std::process::id()));
    let state = state.to_string_lossy().into_owned();
    let mut all = vec!["wan-r2v-server", "--port", "0", "--rate-limit", "0"];
    all.extend(["--state", state.as_str()]);
    all.extend_from_slice(args);
    let mut cli = Cli::try_parse_from(all).expect("flags");
    cli.fal_key = FalKey::new("bench-id:bench-secret");
    cli
}

/// Sends `ROUNDS` sequential requests built by `request`; returns sorted latencies.
async fn measure(request: impl Fn() -> reqwest::RequestBuilder) -> Vec<Duration> {
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let response = request().send().await.expect("request");
        let _ = response.bytes().await.expect("body");
        times.push(started.elapsed());
    }
    times.sort();
    times
}

fn report(name: &str, times: &[Duration]) {
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize].as_secs_f64() * 1e6;
    println!(
        "{name:<40} p50 {:>7.0} µs   p90 {:>7.0} µs   p99 {:>7.0} µs   ({} requests)",
        at(0.5),
        at(0.9),
        at(0.99),
        times.len()
    );
}

#[tokio::main]
async fn main() {
    let upstream = Router::new().route(
        "/{*path}",
        any(|| async {
            (
                [("x-fal-request-id", "r")],
                r#"{"status":"IN_QUEUE","request_id":"r","queue_position":0}"#,
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(wan_r2v_server::serve::serve(listener, upstream));

    let proxy = start(cli(&[
        "--allow-upstream-override-for-tests",
        "--upstream-override",
        &upstream_url,
    ]))
    .await
    .unwrap();
    let sim = start(cli(&["--simulate", "--sim-queue", "10m"]))
        .await
        .unwrap();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();

    let direct_url = format!("{upstream_url}/queue.fal.run/fal-ai/wan/requests/r/status");
    let proxy_url = format!("{}/api/fal/proxy", proxy.url());
    let status_target = "https://queue.fal.run/fal-ai/wan/requests/r/status";
    // The proxy lets an identity read only what it submitted: submit "r".
    client
        .post(&proxy_url)
        .header(
            "x-fal-target-url",
            "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video",
        )
        .json(&serde_json::json!({ "prompt": "bench" }))
        .send()
        .await
        .unwrap();
    // Warm up connections.
    for _ in 0..50 {
        let _ = client.get(&direct_url).send().await;
        let _ = client
            .get(&proxy_url)
            .header("x-fal-target-url", status_target)
            .send()
            .await;
    }
    let direct = measure(|| client.get(&direct_url)).await;
    let proxied = measure(|| {
        client
            .get(&proxy_url)
            .header("x-fal-target-url", status_target)
    })
    .await;

    let submit = client
        .post(format!(
            "{}/sim/queue/fal-ai/wan/v2.7/reference-to-video",
            sim.url()
        ))
        .header("authorization", "Key a:b")
        .json(&serde_json::json!({ "prompt": "bench" }))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let status_url = format!("{}?logs=1", submit["status_url"].as_str().unwrap());
    let simulated = measure(|| client.get(&status_url).header("authorization", "Key a:b")).await;

    report("fake fal, called directly", &direct);
    report("fake fal, through /api/fal/proxy", &proxied);
    let added = proxied[ROUNDS / 2].saturating_sub(direct[ROUNDS / 2]);
    println!(
        "{:<40} {:>7.0} µs at the median",
        "proxy overhead",
        added.as_secs_f64() * 1e6
    );
    report("simulator status poll (direct route)", &simulated);
}
