//! The simulated status stream (each change, keep-alives, closing), the
//! synchronous fal.run call, and the request journal.

mod support;

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use support::fal::{call, get_json, journal, submit, Via, DIRECT_KEY};
use support::{client, simulator};
use wan_r2v_studio::core::model::schema::R2vOutput;

#[tokio::test]
async fn status_stream_sends_each_change_keeps_alive_and_closes() {
    let server = simulator(&[]).await;
    let submitted = submit(
        &server,
        Via::Direct,
        "[sim:position=0] [sim:queue=500ms] [sim:run=300ms]",
    )
    .await;
    let started = Instant::now();
    let mut response = client()
        .get(format!(
            "{}/stream?logs=1",
            submitted["status_url"].as_str().unwrap()
        ))
        .header("authorization", DIRECT_KEY)
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let first = response.chunk().await.unwrap().unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "the first event comes at once"
    );
    let mut text = String::from_utf8(first.to_vec()).unwrap();
    let rest = tokio::time::timeout(Duration::from_secs(5), response.bytes())
        .await
        .expect("closes after COMPLETED")
        .unwrap();
    text.push_str(std::str::from_utf8(&rest).unwrap());
    assert!(text.contains(": keep-alive\n\n"), "{text}");
    let events: Vec<Value> = text
        .split("\n\n")
        .filter_map(|e| e.strip_prefix("data: "))
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    let statuses: Vec<&str> = events
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.first(), Some(&"IN_QUEUE"));
    assert_eq!(statuses.last(), Some(&"COMPLETED"));
    assert!(statuses.contains(&"IN_PROGRESS"));
    for pair in events.windows(2) {
        assert_ne!(pair[0], pair[1], "an event only on change");
    }
}

#[tokio::test]
async fn fal_run_answers_synchronously_and_the_proxy_never_forwards_it() {
    let server = simulator(&[]).await;
    let through_proxy = call(
        &server,
        Method::POST,
        "https://fal.run/fal-ai/wan/v2.7/reference-to-video",
        Some(json!({ "prompt": "p" })),
    )
    .await;
    assert_eq!(through_proxy.status(), 403, "nothing on fal.run");
    let response = call(
        &server,
        Method::POST,
        &format!(
            "{}/sim/run/fal-ai/wan/v2.7/reference-to-video",
            server.url()
        ),
        Some(json!({ "prompt": "p" })),
    )
    .await;
    assert_eq!(response.status(), 200);
    let output: R2vOutput = response.json().await.unwrap();
    assert!(output.video.url.contains("/sim/files/output/"));
    let routes: Vec<Value> = journal(&server)
        .await
        .iter()
        .map(|e| e["route"].clone())
        .collect();
    assert_eq!(routes, [json!("proxy_rejected"), json!("run")]);
}

#[tokio::test]
async fn the_journal_records_calls_without_key_values() {
    let server = simulator(&[]).await;
    submit(&server, Via::Proxy, "p").await;
    let direct = submit(&server, Via::Direct, "p").await;
    get_json(
        &server,
        &format!("{}?logs=1", direct["status_url"].as_str().unwrap()),
    )
    .await;
    client()
        .get(format!("{}/api/fal/proxy", server.url()))
        .header("x-fal-target-url", "https://evil.example/")
        .header("authorization", "Key browser:leak-me")
        .send()
        .await
        .unwrap();
    let entries = journal(&server).await;
    let routes: Vec<&str> = entries
        .iter()
        .map(|e| e["route"].as_str().unwrap())
        .collect();
    assert_eq!(routes, ["submit", "submit", "status", "proxy_rejected"]);
    let proxied = &entries[0];
    assert_eq!(proxied["via"], "proxy");
    assert_eq!(proxied["path"], "/api/fal/proxy");
    assert_eq!(
        proxied["target_url"],
        "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video"
    );
    assert_eq!(proxied["authorization"], "absent");
    assert_eq!(proxied["upstream_authorization"], "server_key");
    assert_eq!(proxied["status"], 200);
    assert!(proxied["body_bytes"].as_u64().unwrap() > 0);
    assert_eq!(entries[1]["via"], "direct");
    assert_eq!(entries[1]["authorization"], "present");
    assert_eq!(entries[2]["request_id"], direct["request_id"]);
    assert!(entries[2]["path"]
        .as_str()
        .unwrap()
        .ends_with("/status?logs=1"));
    assert_eq!(entries[3]["status"], 403);
    assert_eq!(entries[3]["authorization"], "present");
    let text = serde_json::to_string(&entries).unwrap();
    assert!(
        !text.contains("sim-secret") && !text.contains("leak-me"),
        "{text}"
    );
    let cleared = client()
        .delete(format!("{}/sim/journal", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), 204);
    assert!(journal(&server).await.is_empty());
}

#[tokio::test]
async fn in_simulation_the_proxy_takes_the_simulators_own_base_urls() {
    // A simulated config.json gives queue_base_url = <origin>/sim/queue; an
    // app in proxy mode builds its targets from it.
    let server = simulator(&[]).await;
    let proxy = |method: Method, target: String| {
        client()
            .request(method, format!("{}/api/fal/proxy", server.url()))
            .header("x-fal-target-url", target)
    };
    let base = format!("{}/sim/queue", server.url());
    let submitted: Value = proxy(
        Method::POST,
        format!("{base}/fal-ai/wan/v2.7/reference-to-video"),
    )
    .json(&json!({ "prompt": "p" }))
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let status_url = submitted["status_url"].as_str().unwrap().to_owned();
    assert!(
        status_url.starts_with(&format!("{base}/fal-ai/wan/requests/")),
        "{status_url}"
    );
    let status = proxy(Method::GET, status_url).send().await.unwrap();
    assert_eq!(status.status(), 202);
    let initiate = format!(
        "{}/sim/rest/storage/upload/initiate?storage_type=fal-cdn-v3",
        server.url()
    );
    let upload = proxy(Method::POST, initiate)
        .json(&json!({ "file_name": "a.png" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        upload.status(),
        200,
        "no key needed: the proxy's own is used"
    );
    let elsewhere = proxy(
        Method::GET,
        "http://evil.example/sim/queue/fal-ai/wan/requests/x".into(),
    );
    assert_eq!(elsewhere.send().await.unwrap().status(), 403);
    let entries = journal(&server).await;
    assert_eq!(
        entries[0]["target_url"],
        format!("{base}/fal-ai/wan/v2.7/reference-to-video").as_str()
    );
    assert_eq!(entries[0]["via"], "proxy");
}
