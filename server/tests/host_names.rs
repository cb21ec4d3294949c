//! DNS rebinding: the server answers only the host names it serves, and
//! any other `Host` gets 421 before the proxy or the simulator sees the
//! request (the simulator's journal stays empty, its state unchanged).

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use support::{client, server, simulator};

const SUBMIT: &str = "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video";

/// `method path` on `server` with this `Host`; the status.
async fn status_with_host(
    server: &wan_r2v_server::RunningServer,
    method: Method,
    path: &str,
    host: &str,
) -> u16 {
    let mut request = client()
        .request(method.clone(), format!("{}{path}", server.url()))
        .header("host", host);
    if path == "/api/fal/proxy" {
        request = request
            .header("x-fal-target-url", SUBMIT)
            .json(&json!({ "prompt": "rebound" }));
    }
    if path == "/sim/control" && method == Method::POST {
        let fault = json!({ "faults": [{ "route": "submit", "kind": "http", "status": 503 }] });
        request = request.json(&fault);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn a_rebound_host_name_reaches_nothing() {
    let server = simulator(&[]).await;
    let port = server.addr.port();
    let evil = format!("evil.example:{port}");
    let rebound = format!("127.0.0.1.nip.io:{port}");
    for host in [&evil, &rebound] {
        for (method, path) in [
            (Method::GET, "/"),
            (Method::GET, "/config.json"),
            (Method::POST, "/api/fal/proxy"),
            (Method::POST, "/sim/control"),
            (Method::GET, "/sim/journal"),
            (Method::GET, "/sim/queue/fal-ai/wan/requests/x/status"),
        ] {
            let status = status_with_host(&server, method.clone(), path, host).await;
            assert_eq!(status, 421, "{method} {path} with Host {host}");
        }
    }
    let journal: Vec<Value> = client()
        .get(format!("{}/sim/journal", server.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        journal,
        Vec::<Value>::new(),
        "neither proxy nor simulator saw a call"
    );
    let state: Value = client()
        .get(format!("{}/sim/control", server.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["faults"], json!([]));

    // The names it serves: its address, localhost, with or without a port.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_owned(),
        format!("LocalHost.:{port}"),
    ] {
        let status = status_with_host(&server, Method::POST, "/api/fal/proxy", &host).await;
        assert_eq!(status, 200, "Host {host}");
    }
}

#[tokio::test]
async fn public_url_and_allow_host_add_names() {
    let server = server(
        &[
            "--simulate",
            "--public-url",
            "https://studio.example",
            "--allow-host",
            "r2v.internal",
            "--allow-host",
            "[fd00::7]",
        ],
        None,
    )
    .await;
    for host in [
        "studio.example",
        "r2v.internal:8080",
        "[fd00::7]:80",
        "localhost",
    ] {
        let status = status_with_host(&server, Method::GET, "/config.json", host).await;
        assert_eq!(status, 200, "Host {host}");
    }
    for host in ["evil.example", "studio.example.evil.example", "[fd00::8]"] {
        let status = status_with_host(&server, Method::GET, "/config.json", host).await;
        assert_eq!(status, 421, "Host {host}");
    }
}

#[tokio::test]
async fn an_allow_host_that_is_not_a_name_stops_start_up() {
    let cli = <wan_r2v_server::Cli as clap::Parser>::try_parse_from([
        "wan-r2v-server",
        "--simulate",
        "--port",
        "0",
        "--allow-host",
        "https://studio.example/",
    ])
    .unwrap();
    let refused = wan_r2v_server::start(cli).await.unwrap_err();
    assert!(refused.to_string().contains("--allow-host"), "{refused}");
}
