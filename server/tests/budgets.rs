//! Budgets in dollars, against the real server binary with the simulator
//! behind it: reservations as fal bills (reference videos made by ffmpeg
//! and measured by the server itself), refusals that reach nothing, and
//! releases when fal refuses a submit or a job is cancelled in the queue.

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Method;
use serde_json::{json, Value};
use support::process::{codes_file, ffmpeg_video, sim_flags, strs, ServerProcess};

/// The next UTC midnight, as the 402 answer names it.
fn tomorrow() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 86_400
        + 1;
    let seconds = days * 86_400;
    let out = std::process::Command::new("date")
        .args(["-u", "-d", &format!("@{seconds}"), "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn job(seconds: u32) -> Value {
    json!({ "prompt": "a cat", "duration": seconds })
}

#[tokio::test]
async fn a_code_over_its_daily_budget_gets_402_and_no_submit_reaches_the_simulator() {
    let (codes, code) = codes_file(&[("alice", "daily_usd = 1"), ("bob", "")]);
    let flags = sim_flags(&["--access-codes", codes.to_str().unwrap()]);
    let server = ServerProcess::start(&strs(&flags), &[]);
    let alice = [("x-wan-access-code", code[0].as_str())];
    for _ in 0..2 {
        assert_eq!(server.submit(job(5), &alice).await.0, 200);
    }
    let (status, body) = server.submit(job(5), &alice).await;
    assert_eq!(status, 402, "{body}");
    assert_eq!(
        body["budget"],
        json!({
            "scope": "identity_daily",
            "limit_usd": 1.0,
            "spent_usd": 1.0,
            "cost_usd": 0.5,
            "resets_at": tomorrow(),
        })
    );
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("$1.00 of $1.00 spent today"), "{detail}");
    assert!(detail.contains("resets at 00:00 UTC"), "{detail}");
    assert_eq!(
        server.count("submit").await,
        2,
        "the third never reached fal"
    );
    // Another code's budget is its own (bob has none).
    let bob = [("x-wan-access-code", code[1].as_str())];
    assert_eq!(server.submit(job(10), &bob).await.0, 200);
}

#[tokio::test]
async fn a_5_s_job_with_a_3_s_reference_reserves_80_cents() {
    let dir = support::temp_path("videos");
    std::fs::create_dir_all(&dir).unwrap();
    let video = std::fs::read(ffmpeg_video(&dir, 3, false)).unwrap();
    let flags = sim_flags(&["--budget-daily", "1.00"]);
    let server = ServerProcess::start(&strs(&flags), &[]);
    let url = server.upload(video, "reference.mp4", &[]).await;
    let body = json!({ "prompt": "a cat", "duration": 5, "reference_video_urls": [url] });
    let (status, answer) = server.submit(body, &[]).await;
    assert_eq!(status, 200, "{answer}");
    let log = server.stderr();
    assert!(
        log.contains("reserved $0.80 (5 s output + 3 s of reference video = 8 s × $0.10 = $0.80)"),
        "{log}"
    );
    let (status, over) = server.submit(job(5), &[]).await;
    assert_eq!(status, 402);
    assert_eq!(over["budget"]["spent_usd"], 0.8, "{over}");
    assert_eq!(over["budget"]["scope"], "global_daily");
    assert_eq!(server.count("submit").await, 1);
}

#[tokio::test]
async fn a_reference_read_over_http_takes_at_most_two_ranged_gets() {
    let dir = support::temp_path("videos");
    std::fs::create_dir_all(&dir).unwrap();
    // Another origin serves the videos: the server must fetch them.
    let host = ServerProcess::start(&strs(&sim_flags(&[])), &[]);
    let moov_last = host
        .upload(
            std::fs::read(ffmpeg_video(&dir, 3, false)).unwrap(),
            "late.mp4",
            &[],
        )
        .await;
    let moov_first = host
        .upload(
            std::fs::read(ffmpeg_video(&dir, 2, true)).unwrap(),
            "early.mp4",
            &[],
        )
        .await;
    let flags = sim_flags(&["--budget-daily", "5"]);
    let probe_loopback = [("WAN_R2V_PROBE_ALLOW_LOOPBACK", "true")];
    let server = ServerProcess::start(&strs(&flags), &probe_loopback);
    let refs = |url: &str| json!({ "prompt": "p", "duration": 5, "reference_video_urls": [url] });
    assert_eq!(server.submit(refs(&moov_last), &[]).await.0, 200);
    assert_eq!(
        host.count("file").await,
        2,
        "the start, then the header at the end"
    );
    assert_eq!(server.submit(refs(&moov_last), &[]).await.0, 200);
    assert_eq!(
        host.count("file").await,
        2,
        "a known length is not fetched again"
    );
    assert_eq!(server.submit(refs(&moov_first), &[]).await.0, 200);
    assert_eq!(
        host.count("file").await,
        3,
        "a header at the start takes one read"
    );
    let log = server.stderr();
    assert_eq!(log.matches("8 s × $0.10 = $0.80").count(), 2, "{log}");
    assert!(log.contains("7 s × $0.10 = $0.70"), "{log}");

    // Without the test flag, the same loopback http URL is refused, naming it.
    let strict = ServerProcess::start(&strs(&flags), &[]);
    let (status, body) = strict.submit(refs(&moov_first), &[]).await;
    assert_eq!(status, 422, "{body}");
    let item = &body["detail"][0];
    assert_eq!(item["loc"], json!(["body", "reference_video_urls", 0]));
    let msg = item["msg"].as_str().unwrap();
    assert!(msg.starts_with("Video 1 (http://127.0.0.1:"), "{msg}");
    assert!(msg.contains("not an https address"), "{msg}");
    assert_eq!(strict.count("submit").await, 0);
    assert_eq!(host.count("file").await, 3, "nothing was fetched");
}

#[tokio::test]
async fn a_reference_that_is_not_a_video_is_refused_before_submit() {
    let flags = sim_flags(&["--budget-daily", "5"]);
    let server = ServerProcess::start(&strs(&flags), &[]);
    let png = server
        .upload(b"\x89PNG\r\n\x1a\nnot a video".to_vec(), "x.png", &[])
        .await;
    let body = json!({ "prompt": "p", "reference_video_urls": [png] });
    let (status, answer) = server.submit(body, &[]).await;
    assert_eq!(status, 422, "{answer}");
    let msg = answer["detail"][0]["msg"].as_str().unwrap();
    assert!(msg.contains("Video 1") && msg.contains("x.png"), "{msg}");
    assert!(msg.contains("Not an MP4 or MOV file"), "{msg}");
    assert_eq!(server.count("submit").await, 0);
}

#[tokio::test]
async fn a_submit_fal_refuses_gives_its_reservation_back() {
    let flags = sim_flags(&["--budget-daily", "1"]);
    let server = ServerProcess::start(&strs(&flags), &[]);
    // fal refuses an empty prompt (422) and, here once, answers 503.
    let invalid = json!({ "prompt": "", "duration": 10 });
    assert_eq!(server.submit(invalid, &[]).await.0, 422);
    let fault =
        json!({ "faults": [{ "route": "submit", "kind": "http", "status": 503, "times": 1 }] });
    let control = support::client()
        .post(format!("{}/sim/control", server.url))
        .json(&fault)
        .send()
        .await
        .unwrap();
    assert_eq!(control.status(), 200);
    assert_eq!(server.submit(job(10), &[]).await.0, 503);
    // Both released: the whole dollar is still there.
    assert_eq!(server.submit(job(10), &[]).await.0, 200);
    assert_eq!(server.submit(job(2), &[]).await.0, 402);
    assert!(server.logged("fal refused the submit; released $1.00"));
}

#[tokio::test]
async fn a_cancel_while_queued_gives_the_reservation_back_and_one_while_running_does_not() {
    let flags = sim_flags(&[
        "--budget-daily",
        "1",
        "--sim-queue",
        "30s",
        "--sim-cancel-delay",
        "100ms",
    ]);
    let server = ServerProcess::start(&strs(&flags), &[]);
    let (status, queued) = server.submit(job(10), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(
        server.submit(job(2), &[]).await.0,
        402,
        "the dollar is reserved"
    );
    let cancel = server
        .proxy(Method::PUT, queued["cancel_url"].as_str().unwrap(), &[])
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), 202);
    // The job left the queue: a second cancel finds nothing.
    let again = server
        .proxy(Method::PUT, queued["cancel_url"].as_str().unwrap(), &[])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    // The next job waits in the queue for 300 ms only.
    let control = support::client()
        .post(format!("{}/sim/control", server.url))
        .json(&json!({ "timings": { "queue_ms": 300, "run_ms": 30_000 } }))
        .send()
        .await
        .unwrap();
    assert_eq!(control.status(), 200);
    let (status, running) = server.submit(job(5), &[]).await;
    assert_eq!(status, 200, "released: {running}");
    let status_url = running["status_url"].as_str().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut cancelled_running = false;
    while std::time::Instant::now() < deadline {
        let body: Value = server
            .proxy(Method::GET, status_url, &[])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if body["status"] == "IN_PROGRESS" {
            let cancel = server
                .proxy(Method::PUT, running["cancel_url"].as_str().unwrap(), &[])
                .send()
                .await
                .unwrap();
            assert_eq!(cancel.status(), 202);
            cancelled_running = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(cancelled_running, "the job started running");
    let (status, over) = server.submit(job(6), &[]).await;
    assert_eq!(status, 402, "a job cancelled while running stays counted");
    assert_eq!(over["budget"]["spent_usd"], 0.5);
}

#[tokio::test]
async fn a_restart_keeps_the_days_spend() {
    let state = support::temp_path("state.sqlite3");
    let state = state.to_str().unwrap();
    let flags = sim_flags(&["--budget-daily", "1", "--state", state]);
    let first = ServerProcess::start(&strs(&flags), &[]);
    assert!(first.logged(&format!("state: SQLite file {state}")));
    assert_eq!(first.submit(job(5), &[]).await.0, 200);
    first.stop();
    let second = ServerProcess::start(&strs(&flags), &[]);
    let (status, body) = second.submit(job(6), &[]).await;
    assert_eq!(status, 402, "{body}");
    assert_eq!(body["budget"]["spent_usd"], 0.5);
    assert_eq!(
        second.submit(job(5), &[]).await.0,
        200,
        "exactly $1.00 fits"
    );
}
