//! The simulated queue over HTTP, through the proxy and directly: the job
//! lifecycle, the sub-path rule, validation, keys, cancel, error results
//! and expiry.

mod support;

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use support::fal::{
    call, control, get_json, poll_to_completion, queue_base, submit, submit_url, Via,
};
use support::{client, simulator};
use wan_r2v_server::simulator::output::OUTPUT_MP4;
use wan_r2v_studio::core::model::schema::R2vOutput;

async fn lifecycle(via: Via) {
    let server = simulator(&[]).await;
    let submitted = submit(&server, via, "Image 1 waves").await;
    let id = submitted["request_id"].as_str().unwrap().to_owned();
    let base = format!("{}/fal-ai/wan/requests/{id}", queue_base(&server, via));
    assert_eq!(submitted["status"], "IN_QUEUE");
    assert_eq!(submitted["queue_position"], 2);
    assert_eq!(submitted["response_url"], base.as_str());
    assert_eq!(submitted["status_url"], format!("{base}/status").as_str());
    assert_eq!(submitted["cancel_url"], format!("{base}/cancel").as_str());

    let early = call(&server, Method::GET, &base, None).await;
    assert_eq!(early.status(), 400, "a result before completion is refused");

    let seen = poll_to_completion(&server, &format!("{base}/status")).await;
    let (last_code, last) = seen.last().unwrap().clone();
    let positions: Vec<u64> = seen
        .iter()
        .filter(|(_, b)| b["status"] == "IN_QUEUE")
        .map(|(_, b)| b["queue_position"].as_u64().unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] >= w[1]),
        "positions count down: {positions:?}"
    );
    assert!(
        positions.contains(&2) && positions.contains(&0),
        "{positions:?}"
    );
    let log_counts: Vec<usize> = seen
        .iter()
        .filter(|(_, b)| b["status"] == "IN_PROGRESS")
        .map(|(_, b)| b["logs"].as_array().unwrap().len())
        .collect();
    assert!(
        log_counts.windows(2).all(|w| w[0] <= w[1]),
        "logs grow: {log_counts:?}"
    );
    assert!(
        log_counts.last().unwrap() > log_counts.first().unwrap(),
        "{log_counts:?}"
    );
    for (code, body) in &seen[..seen.len() - 1] {
        assert_eq!(*code, 202, "{body}");
        assert_eq!(body["status_url"], format!("{base}/status").as_str());
    }
    assert_eq!(last_code, 200);
    let log = &last["logs"][0];
    assert_eq!(
        (log["level"].as_str(), log["source"].as_str()),
        (Some("INFO"), Some("USER"))
    );
    assert!(log["timestamp"].as_str().unwrap().ends_with('Z'));
    assert!(last["metrics"]["inference_time"].as_f64().unwrap() > 0.3);
    assert!(last.get("error").is_none());

    let result = call(&server, Method::GET, &base, None).await;
    assert_eq!(result.status(), 200);
    assert_eq!(result.headers()["x-fal-request-id"], id.as_str());
    let output: R2vOutput = result.json().await.unwrap();
    assert_eq!(output.video.content_type.as_deref(), Some("video/mp4"));
    assert_eq!(output.actual_prompt.as_deref(), Some("Image 1 waves"));
    assert!(output
        .video
        .url
        .starts_with(&format!("{}/sim/files/", server.url())));
    let video = client()
        .get(&output.video.url)
        .header("range", "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(video.status(), 206);
    assert_eq!(video.headers()["content-type"], "video/mp4");
    assert_eq!(
        video.headers()["content-range"],
        format!("bytes 0-99/{}", OUTPUT_MP4.len()).as_str()
    );
    assert_eq!(video.headers()["access-control-allow-origin"], "*");
    assert_eq!(&video.bytes().await.unwrap()[..], &OUTPUT_MP4[..100]);
}

#[tokio::test]
async fn job_lifecycle_directly() {
    lifecycle(Via::Direct).await;
}

#[tokio::test]
async fn job_lifecycle_through_the_proxy() {
    lifecycle(Via::Proxy).await;
}

#[tokio::test]
async fn results_expire_after_the_window() {
    let server = simulator(&["--sim-result-ttl", "300ms"]).await;
    let id = submit(&server, Via::Direct, "p").await["request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    control(&server, json!({ "complete": id })).await;
    let url = format!("{}/sim/queue/fal-ai/wan/requests/{id}", server.url());
    assert_eq!(get_json(&server, &url).await.0, 200);
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(
        get_json(&server, &url).await,
        (404, json!({ "detail": "Request not found" }))
    );
    assert_eq!(get_json(&server, &format!("{url}/status")).await.0, 404);
    let video = client()
        .get(format!("{}/sim/files/output/{id}.mp4", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(video.status(), 200, "the CDN file outlives the result");
}

#[tokio::test]
async fn urls_that_keep_the_sub_path_fail_like_fal() {
    let server = simulator(&[]).await;
    for via in [Via::Direct, Via::Proxy] {
        let id = submit(&server, via, "p").await["request_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let wrong = format!(
            "{}/fal-ai/wan/v2.7/reference-to-video/requests/{id}",
            queue_base(&server, via)
        );
        for (method, url) in [
            (Method::GET, format!("{wrong}/status")),
            (Method::GET, wrong.clone()),
            (Method::PUT, format!("{wrong}/cancel")),
        ] {
            let response = call(&server, method, &url, None).await;
            // fal answers 405; the proxy does not forward calls the app
            // never makes, so it refuses them itself.
            let expected = if via == Via::Direct { 405 } else { 403 };
            assert_eq!(response.status(), expected, "{url}");
        }
    }
}

#[tokio::test]
async fn invalid_input_gets_fals_422_with_the_field() {
    let server = simulator(&[]).await;
    for via in [Via::Direct, Via::Proxy] {
        let url = submit_url(&server, via);
        for (body, loc) in [
            (json!({}), json!(["body", "prompt"])),
            (json!({ "prompt": "" }), json!(["body", "prompt"])),
            (
                json!({ "prompt": "p", "duration": 11 }),
                json!(["body", "duration"]),
            ),
            (
                json!({ "prompt": "p", "reference_image_urls": ["file:///etc/passwd"] }),
                json!(["body", "reference_image_urls", 0]),
            ),
            (
                json!({ "prompt": "p [sim:typo]" }),
                json!(["body", "prompt"]),
            ),
        ] {
            let response = call(&server, Method::POST, &url, Some(body.clone())).await;
            assert_eq!(response.status(), 422, "{body}");
            let answer: Value = response.json().await.unwrap();
            assert_eq!(answer["detail"][0]["loc"], loc, "{answer}");
            assert!(answer["detail"][0]["msg"].is_string());
        }
    }
    let other = call(
        &server,
        Method::POST,
        "https://queue.fal.run/fal-ai/wan/v2.6/x",
        Some(json!({})),
    )
    .await;
    assert_eq!(other.status(), 403, "the proxy refuses other endpoints");
    let direct_other = call(
        &server,
        Method::POST,
        &format!("{}/sim/queue/fal-ai/flux/dev", server.url()),
        Some(json!({ "prompt": "p" })),
    )
    .await;
    assert_eq!(direct_other.status(), 404);
}

#[tokio::test]
async fn direct_routes_need_a_fal_shaped_key_and_answer_cors() {
    let server = simulator(&[]).await;
    let url = submit_url(&server, Via::Direct);
    for auth in [
        None,
        Some("Bearer x"),
        Some("Key nocolon"),
        Some("Key invalid:whatever"),
    ] {
        let mut request = client().post(&url).json(&json!({ "prompt": "p" }));
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401, "{auth:?}");
        let body: Value = response.json().await.unwrap();
        assert!(body["detail"].is_string(), "{body}");
    }
    let preflight = client()
        .request(Method::OPTIONS, &url)
        .header("origin", "http://elsewhere.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    assert!(preflight.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("authorization"));
    // Through the proxy no key is needed from the browser: the server's is used.
    assert_eq!(submit(&server, Via::Proxy, "p").await["status"], "IN_QUEUE");
}

#[tokio::test]
async fn cancel_outcomes() {
    let server = simulator(&[]).await;
    let base = |id: &Value| {
        format!(
            "{}/sim/queue/fal-ai/wan/requests/{}",
            server.url(),
            id.as_str().unwrap()
        )
    };

    let queued = submit(&server, Via::Direct, "[sim:queue=5s]").await["request_id"].clone();
    assert_eq!(
        cancel(&server, base(&queued)).await,
        (202, json!({ "status": "CANCELLATION_REQUESTED" }))
    );
    assert_eq!(
        get_json(&server, &format!("{}/status", base(&queued)))
            .await
            .0,
        404,
        "removed"
    );

    let running =
        submit(&server, Via::Direct, "[sim:queue=0s] [sim:run=5s]").await["request_id"].clone();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        cancel(&server, base(&running)).await,
        (202, json!({ "status": "CANCELLATION_REQUESTED" }))
    );
    let seen = poll_to_completion(&server, &format!("{}/status", base(&running))).await;
    let last = &seen.last().unwrap().1;
    assert_eq!(last["error_type"], "request_cancelled");
    let (code, result) = get_json(&server, &base(&running)).await;
    assert_eq!(
        (code, result["error_type"].as_str()),
        (400, Some("request_cancelled"))
    );
    assert_eq!(
        cancel(&server, base(&running)).await,
        (400, json!({ "status": "ALREADY_COMPLETED" }))
    );

    let unknown = format!("{}/sim/queue/fal-ai/wan/requests/nope", server.url());
    assert_eq!(
        cancel(&server, unknown).await,
        (404, json!({ "status": "NOT_FOUND" }))
    );
}

async fn cancel(server: &wan_r2v_server::RunningServer, url: String) -> (u16, Value) {
    let response = call(server, Method::PUT, &format!("{url}/cancel"), None).await;
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn prompt_words_end_jobs_with_error_results() {
    let server = simulator(&[]).await;
    let fast = "[sim:queue=0s] [sim:run=50ms]";
    for (word, code, check) in [
        ("[sim:content-policy]", 422, json!(["body", "prompt"])),
        (
            "[sim:content-policy-video]",
            422,
            json!(["body", "reference_video_urls", 0]),
        ),
        ("[sim:result-422]", 422, json!(["body", "prompt"])),
        ("[sim:result-500]", 500, Value::Null),
    ] {
        let submitted = submit(&server, Via::Proxy, &format!("{word} {fast}")).await;
        let status_url = submitted["status_url"].as_str().unwrap();
        let seen = poll_to_completion(&server, status_url).await;
        assert!(
            seen.last().unwrap().1["error"].is_string(),
            "{word}: COMPLETED carries the error"
        );
        let response = call(
            &server,
            Method::GET,
            submitted["response_url"].as_str().unwrap(),
            None,
        )
        .await;
        assert_eq!(response.status().as_u16(), code, "{word}");
        let headers = response.headers().clone();
        let body: Value = response.json().await.unwrap();
        if code == 422 {
            assert_eq!(body["detail"][0]["loc"], check, "{word}: {body}");
            assert_eq!(headers["x-fal-retryable"], "false");
        } else {
            assert_eq!(body["error_type"], "internal_server_error");
            assert_eq!(headers["x-fal-error-type"], "internal_server_error");
        }
    }
    let submitted = submit(
        &server,
        Via::Direct,
        &format!("[sim:content-policy] {fast}"),
    )
    .await;
    poll_to_completion(&server, submitted["status_url"].as_str().unwrap()).await;
    let (_, body) = get_json(&server, submitted["response_url"].as_str().unwrap()).await;
    assert_eq!(body["detail"][0]["type"], "content_policy_violation");
}
