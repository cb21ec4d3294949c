//! A page on another site, or a file uploaded to look like a page, gets
//! nothing from the simulator that a page of the studio's own origin has:
//! uploaded files are downloads unless they are images or video, never
//! sniffed, sandboxed if opened; control and journal answer no other site.

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use support::fal::{call, submit, Via};
use support::{client, simulator};

const INITIATE: &str = "https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3";

/// Uploads `bytes` as `mime` through the proxy; the file's answer.
async fn upload_and_get(
    server: &wan_r2v_server::RunningServer,
    name: &str,
    mime: &str,
) -> reqwest::Response {
    let initiated: Value = call(
        server,
        Method::POST,
        INITIATE,
        Some(json!({ "content_type": mime, "file_name": name })),
    )
    .await
    .json()
    .await
    .unwrap();
    let put = client()
        .put(initiated["upload_url"].as_str().unwrap())
        .header("content-type", mime)
        .body("<script>parent.postMessage(localStorage.getItem('k'),'*')</script>")
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    client()
        .get(initiated["file_url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .map_or("", |v| v.to_str().unwrap())
}

#[tokio::test]
async fn uploaded_files_cannot_act_as_pages_of_this_origin() {
    let server = simulator(&[]).await;
    for (name, mime) in [
        ("page.html", "text/html"),
        ("page.xhtml", "application/xhtml+xml"),
        ("vector.svg", "image/svg+xml"),
        ("blob.bin", "application/octet-stream"),
    ] {
        let file = upload_and_get(&server, name, mime).await;
        assert_eq!(file.status(), 200, "{mime}");
        assert_eq!(
            header(&file, "content-disposition"),
            format!("attachment; filename=\"{name}\""),
            "{mime}"
        );
        assert_eq!(header(&file, "x-content-type-options"), "nosniff", "{mime}");
        assert_eq!(
            header(&file, "content-security-policy"),
            "sandbox",
            "{mime}"
        );
    }
    for (name, mime) in [("photo.png", "image/png"), ("clip.mp4", "video/mp4")] {
        let file = upload_and_get(&server, name, mime).await;
        assert_eq!(header(&file, "content-type"), mime);
        assert!(
            header(&file, "content-disposition").starts_with("inline"),
            "{mime} is shown in place"
        );
        assert_eq!(header(&file, "x-content-type-options"), "nosniff", "{mime}");
        assert_eq!(
            header(&file, "content-security-policy"),
            "sandbox",
            "{mime}"
        );
    }
    // The output video too.
    let job = submit(&server, Via::Direct, "p [sim:queue=0ms] [sim:run=0ms]").await;
    let id = job["request_id"].as_str().unwrap();
    let video = client()
        .get(format!("{}/sim/files/output/{id}.mp4", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(video.status(), 200);
    assert_eq!(header(&video, "x-content-type-options"), "nosniff");
    assert_eq!(header(&video, "content-security-policy"), "sandbox");
}

#[tokio::test]
async fn control_and_journal_answer_no_other_site() {
    let server = simulator(&[]).await;
    let control = format!("{}/sim/control", server.url());
    let journal = format!("{}/sim/journal", server.url());
    let evil = "http://evil.example";

    let preflight = client()
        .request(Method::OPTIONS, &control)
        .header("origin", evil)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 403, "a cross-site preflight is refused");
    assert!(preflight
        .headers()
        .get("access-control-allow-origin")
        .is_none());

    // A "simple" request: text/plain, so a browser sends it with no preflight.
    let fault = json!({ "faults": [{ "route": "submit", "kind": "http", "status": 503 }] });
    let simple = client()
        .post(&control)
        .header("origin", evil)
        .header("content-type", "text/plain")
        .body(fault.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(simple.status(), 403);
    assert!(simple
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    for (method, url) in [
        (Method::GET, &journal),
        (Method::DELETE, &journal),
        (Method::GET, &control),
    ] {
        let answer = client()
            .request(method.clone(), url)
            .header("origin", evil)
            .header("sec-fetch-site", "cross-site")
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 403, "{method} {url}");
        assert!(answer
            .headers()
            .get("access-control-allow-origin")
            .is_none());
    }
    let state: Value = client()
        .get(&control)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state["faults"],
        json!([]),
        "the cross-site request changed nothing"
    );

    // This server's own pages, and tools, are answered (with no CORS).
    let own = client()
        .post(&control)
        .header("origin", server.url())
        .header("sec-fetch-site", "same-origin")
        .json(&json!({ "clear_faults": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    assert!(own.headers().get("access-control-allow-origin").is_none());
    let tool = client().get(&journal).send().await.unwrap();
    assert_eq!(tool.status(), 200);
    assert!(tool.headers().get("access-control-allow-origin").is_none());
}
