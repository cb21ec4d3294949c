//! The simulator's memory stays bounded whatever uploaders do: parts of
//! multipart uploads count against `--sim-storage`, abandoned uploads make
//! room, a body is weighed against the key, the signature and the size
//! before it is read, and journal entries have a size limit. Measured on
//! the real server process (its VmRSS).

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::client;
use support::process::{sim_flags, strs, ServerProcess};
use support::raw_http::{connect, send, status_within};

const KEY: &str = "Key sim-id:sim-secret";
const MIB: usize = 1 << 20;

/// Initiates an upload directly, with a key; returns the upload URL.
async fn initiate(server: &ServerProcess, multipart: bool) -> String {
    let kind = if multipart {
        "initiate-multipart"
    } else {
        "initiate"
    };
    let answer: Value = client()
        .post(format!(
            "{}/sim/rest/storage/upload/{kind}?storage_type=fal-cdn-v3",
            server.url
        ))
        .header("authorization", KEY)
        .json(&json!({ "content_type": "video/mp4", "file_name": "big.mp4" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["upload_url"].as_str().unwrap().to_owned()
}

fn part_url(upload_url: &str, n: u32) -> String {
    let (path, query) = upload_url.split_once('?').unwrap();
    format!("{path}/{n}?{query}")
}

#[tokio::test]
async fn uploading_and_abandoning_far_more_than_the_cap_keeps_memory_bounded() {
    let cap = 32 * MIB as u64;
    let flags = sim_flags(&["--sim-storage", "32MiB", "--sim-max-upload", "16MiB"]);
    let server = ServerProcess::start(&strs(&flags), &[]);
    let chunk = vec![7u8; 8 * MIB];
    // One upload first, so the baseline includes what any upload allocates.
    let warm = initiate(&server, false).await;
    let put = client()
        .put(&warm)
        .body(chunk.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let baseline = server.rss();

    let mut uploaded = 0;
    for round in 0..20 {
        // A multipart upload of two 8 MiB parts, never completed.
        let upload = initiate(&server, true).await;
        for n in 1..=2 {
            let put = client()
                .put(part_url(&upload, n))
                .body(chunk.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(put.status(), 200, "round {round}, part {n}");
            uploaded += chunk.len();
        }
        // Upload addresses handed out and never used.
        for _ in 0..50 {
            initiate(&server, round % 2 == 0).await;
        }
        // A stored file every other round.
        if round % 2 == 1 {
            let single = initiate(&server, false).await;
            let put = client()
                .put(&single)
                .body(chunk.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(put.status(), 200);
            uploaded += chunk.len();
        }
    }
    let grown = server.rss().saturating_sub(baseline);
    assert!(uploaded as u64 > 7 * cap, "uploaded {uploaded} bytes");
    // What the storage holds (at most the cap), plus as much again that the
    // allocator keeps in per-thread arenas once freed, plus a request in
    // flight. Without the bound this grows with every upload (370 MiB here).
    let bound = 2 * cap + 32 * MIB as u64;
    eprintln!(
        "RSS {} MiB at the start, grew by {} MiB after {} MiB uploaded",
        baseline >> 20,
        grown >> 20,
        uploaded >> 20
    );
    assert!(
        grown < bound,
        "RSS grew by {} MiB after {} MiB uploaded and abandoned (bound {} MiB)",
        grown >> 20,
        uploaded >> 20,
        bound >> 20
    );
}

#[tokio::test]
async fn bodies_are_refused_before_they_are_read() {
    let flags = sim_flags(&["--sim-max-upload", "16MiB"]);
    let server = ServerProcess::start(&strs(&flags), &[]);
    let upload = initiate(&server, false).await;
    let path = upload.trim_start_matches(&server.url).to_owned();
    let unsigned = path.split('?').next().unwrap().to_owned();
    let host = format!("Host: {}", server.authority());
    let quick = Duration::from_secs(3);
    // Each declares a body, sends a few bytes of it, and waits: the answer
    // must come without the rest.
    for (what, head, expected) in [
        (
            "a submit without a key",
            vec![
                "POST /sim/queue/fal-ai/wan/v2.7/reference-to-video HTTP/1.1".to_owned(),
                "Content-Type: application/json".to_owned(),
                "Content-Length: 900000".to_owned(),
            ],
            401,
        ),
        (
            "an upload without its signature",
            vec![
                format!("PUT {unsigned} HTTP/1.1"),
                "Content-Length: 8000000".to_owned(),
            ],
            403,
        ),
        (
            "an upload declared over --sim-max-upload",
            vec![
                format!("PUT {path} HTTP/1.1"),
                "Content-Length: 17000000".to_owned(),
            ],
            413,
        ),
        (
            "a submit over the JSON limit",
            vec![
                "POST /sim/queue/fal-ai/wan/v2.7/reference-to-video HTTP/1.1".to_owned(),
                format!("Authorization: {KEY}"),
                "Content-Length: 5000000".to_owned(),
            ],
            413,
        ),
    ] {
        let mut stream = connect(server.authority());
        let mut lines: Vec<&str> = head.iter().map(String::as_str).collect();
        lines.push(&host);
        send(&mut stream, &lines, b"{\"prompt\":");
        let (status, took) = status_within(&mut stream, quick);
        assert_eq!(status, Some(expected), "{what} (after {took:?})");
    }
}

#[tokio::test]
async fn journal_entries_have_a_size_limit() {
    let server = ServerProcess::start(&strs(&sim_flags(&[])), &[]);
    let long = "a".repeat(16 * 1024);
    let response = client()
        .get(format!(
            "{}/sim/queue/fal-ai/wan/requests/{long}/status",
            server.url
        ))
        .header("authorization", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let journal = server.journal().await;
    let entry = journal.last().expect("the call was journaled");
    let path = entry["path"].as_str().unwrap();
    let target = entry["target_url"].as_str().unwrap();
    assert!(
        path.len() <= 1024 && path.ends_with('…'),
        "{} bytes",
        path.len()
    );
    assert!(target.len() <= 1024, "{} bytes", target.len());
}
