//! Who may use the proxy, against the real server binary with the
//! simulator behind it: callers without access get 401 and reach "fal"
//! zero times; identities read and cancel only their own requests; bad
//! start-up input stops the server with one line naming the problem.

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use support::process::{codes_file, refusal, sim_flags as with, strs as args};
use support::process::{ServerProcess, SUBMIT};
use support::redis::free_port;

#[tokio::test]
async fn a_loop_without_access_gets_401_and_the_simulator_sees_no_call() {
    let (codes, _) = codes_file(&[("alice", "")]);
    let flags = with(&["--access-codes", codes.to_str().unwrap()]);
    let server = ServerProcess::start(&args(&flags), &[]);
    let mut seen = Vec::new();
    for round in 0..20 {
        let headers: &[(&str, &str)] = match round % 3 {
            0 => &[],
            1 => &[("x-wan-access-code", "wan_guessed")],
            _ => &[("x-wan-access-code", "")],
        };
        let (status, body) = server.submit(json!({ "prompt": "p" }), headers).await;
        seen.push(status);
        assert_eq!(body["reason"], "access_required", "{body}");
        assert!(
            body["detail"].as_str().unwrap().contains("access code"),
            "{body}"
        );
    }
    let read = server
        .proxy(
            Method::GET,
            "https://queue.fal.run/fal-ai/wan/requests/0b4e0c2e-1111-4c8e-9a57-000000000000/status",
            &[],
        )
        .send()
        .await
        .unwrap();
    seen.push(read.status().as_u16());
    assert_eq!(read.headers()["cache-control"], "no-store");
    assert!(seen.iter().all(|s| *s == 401), "{seen:?}");
    let journal = server.journal().await;
    assert_eq!(journal.len(), 21, "every refusal is journaled");
    assert!(
        journal
            .iter()
            .all(|e| e["route"] == "proxy_rejected" && e["status"] == 401),
        "nothing reached the simulated fal: {journal:?}"
    );
}

#[tokio::test]
async fn an_access_code_admits_and_is_never_logged() {
    let (codes, code) = codes_file(&[("alice", "")]);
    let flags = with(&["--access-codes", codes.to_str().unwrap()]);
    let server = ServerProcess::start(&args(&flags), &[]);
    let header = [("x-wan-access-code", code[0].as_str())];
    let (status, body) = server.submit(json!({ "prompt": "p" }), &header).await;
    assert_eq!(status, 200, "{body}");
    let status_url = body["status_url"].as_str().unwrap();
    let read = server
        .proxy(Method::GET, status_url, &header)
        .send()
        .await
        .unwrap();
    assert!(read.status().is_success(), "{}", read.status());
    assert_eq!(server.count("submit").await, 1);
    assert!(
        server.logged("access codes (1 listed)"),
        "{}",
        server.stderr()
    );
    assert!(
        !server.stderr().contains(&code[0]),
        "the code is never logged"
    );
}

#[tokio::test]
async fn trust_identity_header_without_the_header_is_401() {
    let flags = with(&["--trust-identity-header", "X-Forwarded-Email"]);
    let server = ServerProcess::start(&args(&flags), &[]);
    let (status, body) = server.submit(json!({ "prompt": "p" }), &[]).await;
    assert_eq!(status, 401);
    assert_eq!(body["reason"], "access_required");
    assert_eq!(body["mode"], "sign_in");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("x-forwarded-email"),
        "{body}"
    );
    let blank = [("x-forwarded-email", "  ")];
    assert_eq!(server.submit(json!({ "prompt": "p" }), &blank).await.0, 401);
    assert_eq!(server.count("submit").await, 0);
    let ann = [("x-forwarded-email", "ann@example.com")];
    assert_eq!(server.submit(json!({ "prompt": "p" }), &ann).await.0, 200);
    assert_eq!(server.count("submit").await, 1);
}

#[tokio::test]
async fn one_identity_cannot_read_or_cancel_anothers_request() {
    let flags = with(&[
        "--trust-identity-header",
        "X-Forwarded-Email",
        "--sim-queue",
        "30s",
    ]);
    let server = ServerProcess::start(&args(&flags), &[]);
    let ann = [("x-forwarded-email", "ann@example.com")];
    let bob = [("x-forwarded-email", "bob@example.com")];
    let (status, job) = server.submit(json!({ "prompt": "p" }), &ann).await;
    assert_eq!(status, 200);
    let url = |key: &str| job[key].as_str().unwrap().to_owned();
    let stream = format!("{}/stream?logs=1", url("status_url"));
    let calls = [
        (Method::GET, url("status_url")),
        (Method::GET, format!("{}?logs=1", url("status_url"))),
        (Method::GET, stream),
        (Method::GET, url("response_url")),
        (Method::PUT, url("cancel_url")),
    ];
    let before = server.journal().await.len();
    for (method, target) in &calls {
        let response = server
            .proxy(method.clone(), target, &bob)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "bob {method} {target}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"].as_str().unwrap().contains("not submitted"),
            "{body}"
        );
    }
    let journal = server.journal().await;
    assert!(
        journal[before..]
            .iter()
            .all(|e| e["route"] == "proxy_rejected"),
        "none of bob's calls reached the simulator: {:?}",
        &journal[before..]
    );
    let (method, target) = &calls[0];
    let own = server
        .proxy(method.clone(), target, &ann)
        .send()
        .await
        .unwrap();
    assert!(own.status().is_success(), "{}", own.status());
    let cancel = server
        .proxy(Method::PUT, &url("cancel_url"), &ann)
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), 202, "ann cancels her own job");
}

#[test]
fn a_key_reachable_from_the_network_needs_an_access_mode() {
    let key = [("FAL_KEY", "test-id:test-secret-5e5e")];
    let (code, stderr) = refusal(&["--address", "0.0.0.0"], &key);
    assert_eq!(code, 2);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].starts_with("wan-r2v-server: FAL_KEY is set and --address 0.0.0.0"));
    assert!(lines[0].contains("--access-codes") && lines[0].contains("--access open"));
    assert!(!stderr.contains("test-secret-5e5e"));
    // On loopback: today's behaviour, with one warning line.
    let dist = support::temp_path("index.html");
    std::fs::write(&dist, "<!doctype html>").unwrap();
    let dist = dist.parent().unwrap().to_str().unwrap();
    let server = ServerProcess::start(&["--dist", dist], &key);
    std::thread::sleep(std::time::Duration::from_millis(200));
    let warnings: Vec<String> = server
        .stderr()
        .lines()
        .filter(|l| l.contains("WARN"))
        .map(str::to_owned)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("FAL_KEY is used with no access mode"),
        "{warnings:?}"
    );
    // Open, on purpose: one warning saying so.
    let open = ServerProcess::start(&args(&with(&["--access", "open"])), &[]);
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(open.logged("--access open: anyone who can reach this server"));
}

#[test]
fn bad_start_up_input_is_refused_with_one_line_naming_it() {
    let bad_codes = support::temp_path("codes.toml");
    std::fs::write(
        &bad_codes,
        "[[codes]]\nname = \"a\"\ncode = \"plain-text\"\n",
    )
    .unwrap();
    let closed = format!("redis://127.0.0.1:{}", free_port());
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--access-codes", bad_codes.to_str().unwrap()],
            "--access-codes",
        ),
        (
            vec!["--access-codes", "/nonexistent/codes.toml"],
            "--access-codes",
        ),
        (
            vec!["--budget-daily", "twenty"],
            "--budget-daily: \"twenty\" is not an amount",
        ),
        (vec!["--budget-monthly=-5"], "--budget-monthly"),
        (
            vec!["--identity-budget-daily", "1.234"],
            "--identity-budget-daily",
        ),
        (vec!["--submit-rate", "lots"], "--submit-rate"),
        (
            vec!["--trust-identity-header", "bad header"],
            "--trust-identity-header",
        ),
        (vec!["--state", &closed], "Redis did not answer"),
        (vec!["--state", "postgres://db/x"], "--state"),
    ];
    for (extra, expect) in cases {
        let mut flags = vec!["--simulate"];
        flags.extend(extra.iter());
        let (code, stderr) = refusal(&flags, &[]);
        assert_eq!(code, 2, "{extra:?}: {stderr}");
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{extra:?}: {stderr}");
        assert!(lines[0].starts_with("wan-r2v-server: "), "{stderr}");
        assert!(lines[0].contains(expect), "{extra:?}: {stderr}");
    }
}

#[tokio::test]
async fn the_submit_rate_is_per_identity() {
    let flags = with(&[
        "--trust-identity-header",
        "X-Forwarded-Email",
        "--submit-rate",
        "2/min",
    ]);
    let server = ServerProcess::start(&args(&flags), &[]);
    let ann = [("x-forwarded-email", "ann@example.com")];
    let bob = [("x-forwarded-email", "bob@example.com")];
    for _ in 0..2 {
        assert_eq!(server.submit(json!({ "prompt": "p" }), &ann).await.0, 200);
    }
    let response = server
        .proxy(Method::POST, SUBMIT, &ann)
        .json(&json!({ "prompt": "p" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "30");
    assert_eq!(server.submit(json!({ "prompt": "p" }), &bob).await.0, 200);
    assert_eq!(server.count("submit").await, 3);
}
