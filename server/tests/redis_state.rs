//! The state stores behind one trait, and Redis shared by replicas: a real
//! `redis-server` on a free loopback port, real server processes. One
//! global budget holds under concurrent submits to two servers; losing
//! Redis refuses submits (503) while reads still pass.

mod support;

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::json;
use support::process::{sim_flags, strs, ServerProcess};
use support::redis::Redis;
use wan_r2v_server::state::embedded::EmbeddedStore;
use wan_r2v_server::state::redis_store::RedisStore;
use wan_r2v_server::state::{Counter, Ownership, Rate, Reservation, Reserved, Scope, StateStore};

fn reservation(cents: u64, limit: Option<u64>) -> Reservation {
    let counter = |scope, key: &str, limit| Counter {
        scope,
        key: key.to_owned(),
        limit,
        ttl_secs: 600,
    };
    Reservation {
        cents,
        counters: vec![
            counter(Scope::GlobalDaily, "spend:all:day:test", limit),
            counter(Scope::IdentityDaily, "spend:ip:1:day:test", None),
        ],
    }
}

/// What every store must do, the same way.
async fn conformance(store: Arc<dyn StateStore>) {
    let fifty = reservation(50, Some(100));
    assert_eq!(store.reserve(&fifty).await.unwrap(), Reserved::Yes);
    assert_eq!(store.reserve(&fifty).await.unwrap(), Reserved::Yes);
    match store.reserve(&reservation(1, Some(100))).await.unwrap() {
        Reserved::Over { counter, spent } => {
            assert_eq!((counter.scope, spent), (Scope::GlobalDaily, 100));
        }
        Reserved::Yes => panic!("over the limit"),
    }
    store.release(&fifty).await.unwrap();
    let owner = Ownership {
        identity: "code:alice".into(),
        reservation: Some(fifty.clone()),
    };
    store.record_owner("req-1", &owner).await.unwrap();
    assert_eq!(store.owner("req-1").await.unwrap(), Some(owner));
    assert_eq!(store.owner("req-2").await.unwrap(), None);
    assert!(
        store.release_request("req-1").await.unwrap(),
        "released once"
    );
    assert!(!store.release_request("req-1").await.unwrap(), "not twice");
    assert!(!store.release_request("req-2").await.unwrap());
    // 100 - 50 - 50 = 0 spent: a full 100 fits again, 101 does not.
    assert_eq!(
        store.reserve(&reservation(100, Some(100))).await.unwrap(),
        Reserved::Yes
    );
    store.release(&reservation(100, None)).await.unwrap();
    store.release(&reservation(100, None)).await.unwrap();
    assert!(
        matches!(
            store.reserve(&reservation(101, Some(100))).await.unwrap(),
            Reserved::Over { spent: 0, .. }
        ),
        "a release never takes a counter below zero"
    );
    let rate = Rate {
        per_second: 1.0,
        burst: 2,
    };
    assert!(store.take_token("b", rate).await.unwrap().is_ok());
    assert!(store.take_token("b", rate).await.unwrap().is_ok());
    let wait = store.take_token("b", rate).await.unwrap().unwrap_err();
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_secs(1),
        "{wait:?}"
    );
    assert!(store.take_token("other", rate).await.unwrap().is_ok());
}

#[tokio::test]
async fn both_stores_keep_the_same_contract() {
    let path = support::temp_path("state.sqlite3");
    conformance(Arc::new(EmbeddedStore::open(&path).unwrap())).await;
    let redis = Redis::start();
    conformance(Arc::new(RedisStore::connect(&redis.url()).await.unwrap())).await;
}

#[tokio::test]
async fn two_servers_sharing_redis_keep_one_global_budget_under_concurrent_submits() {
    let redis = Redis::start();
    let flags = sim_flags(&["--budget-daily", "2", "--state", &redis.url()]);
    let a = ServerProcess::start(&strs(&flags), &[]);
    let b = ServerProcess::start(&strs(&flags), &[]);
    assert!(a.logged(&format!("state: Redis at {}", redis.url())));
    let submits = (0..10).map(|i| {
        let server = if i % 2 == 0 { &a } else { &b };
        server.submit(json!({ "prompt": "p", "duration": 5 }), &[])
    });
    let answers = join_all(submits).await;
    let accepted = answers.iter().filter(|(s, _)| *s == 200).count();
    let refused = answers.iter().filter(|(s, _)| *s == 402).count();
    assert_eq!((accepted, refused), (4, 6), "{answers:?}");
    assert_eq!(a.count("submit").await + b.count("submit").await, 4);
    for (status, body) in &answers {
        if *status == 402 {
            assert_eq!(body["budget"]["limit_usd"], 2.0);
            assert_eq!(body["budget"]["spent_usd"], 2.0);
        }
    }
}

#[tokio::test]
async fn ownership_is_shared_between_replicas() {
    let redis = Redis::start();
    let flags = sim_flags(&[
        "--trust-identity-header",
        "X-Forwarded-Email",
        "--state",
        &redis.url(),
    ]);
    let a = ServerProcess::start(&strs(&flags), &[]);
    let b = ServerProcess::start(&strs(&flags), &[]);
    let ann = [("x-forwarded-email", "ann@example.com")];
    let bob = [("x-forwarded-email", "bob@example.com")];
    let (_, job) = a.submit(json!({ "prompt": "p" }), &ann).await;
    let status_url = job["status_url"].as_str().unwrap();
    let by_bob = b.proxy(Method::GET, status_url, &bob).send().await.unwrap();
    assert_eq!(by_bob.status(), 403, "replica b knows the request is ann's");
    let by_ann = b.proxy(Method::GET, status_url, &ann).send().await.unwrap();
    // b's own simulator never saw the job (real fal would answer it): what
    // matters is that the proxy let ann through.
    assert_eq!(by_ann.status(), 404);
    assert_eq!(b.count("status").await, 1);
}

#[tokio::test]
async fn losing_redis_refuses_submits_and_cancels_but_reads_still_pass() {
    let redis = Redis::start();
    let flags = sim_flags(&[
        "--budget-daily",
        "5",
        "--state",
        &redis.url(),
        "--sim-queue",
        "30s",
    ]);
    let server = ServerProcess::start(&strs(&flags), &[]);
    let (status, job) = server.submit(json!({ "prompt": "p" }), &[]).await;
    assert_eq!(status, 200);
    let port = redis.port;
    redis.stop();
    let (status, body) = server.submit(json!({ "prompt": "p" }), &[]).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["reason"], "state_unavailable");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("cannot start a job"),
        "{body}"
    );
    assert_eq!(server.count("submit").await, 1, "nothing submitted blind");
    for key in ["status_url", "response_url"] {
        let read = server
            .proxy(Method::GET, job[key].as_str().unwrap(), &[])
            .send()
            .await
            .unwrap();
        // Queued: status 202, result 400 "still in progress": fal's answers.
        assert!(
            [200, 202, 400].contains(&read.status().as_u16()),
            "{key}: {}",
            read.status()
        );
        assert_eq!(read.headers()["cache-control"], "no-store");
    }
    let stream = format!("{}/stream", job["status_url"].as_str().unwrap());
    let mut events = server
        .proxy(Method::GET, &stream, &[])
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 200);
    let first = tokio::time::timeout(Duration::from_secs(5), events.chunk())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&first).contains("IN_QUEUE"));
    let cancel = server
        .proxy(Method::PUT, job["cancel_url"].as_str().unwrap(), &[])
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), 503);

    // Redis back: submits work again (after the one-second pause).
    let _redis = Redis::start_on(port);
    let mut statuses = Vec::new();
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let (status, _) = server.submit(json!({ "prompt": "p" }), &[]).await;
        statuses.push(status);
        if status == 200 {
            break;
        }
    }
    assert_eq!(statuses.last(), Some(&200), "{statuses:?}");
}
