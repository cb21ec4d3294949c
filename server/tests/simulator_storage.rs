//! Simulated storage over HTTP: initiate (through the proxy and directly),
//! the byte PUT, multipart parts and complete, expiry, and the files.

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use support::fal::{call, control, journal};
use support::{client, simulator};

const INITIATE: &str = "https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3";
const INITIATE_MULTIPART: &str =
    "https://rest.fal.ai/storage/upload/initiate-multipart?storage_type=fal-cdn-v3";

async fn initiate(
    server: &wan_r2v_server::RunningServer,
    url: &str,
    name: &str,
    mime: &str,
) -> (String, String) {
    let response = call(
        server,
        Method::POST,
        url,
        Some(json!({ "content_type": mime, "file_name": name })),
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let upload = body["upload_url"].as_str().unwrap().to_owned();
    let file = body["file_url"].as_str().unwrap().to_owned();
    assert!(
        upload.starts_with(&format!("{}/sim/storage/", server.url())),
        "{upload}"
    );
    assert!(
        file.starts_with(&format!("{}/sim/files/", server.url())),
        "{file}"
    );
    (upload, file)
}

/// fal-js's part URL: `{origin}{pathname}/{n}{search}`.
fn part_url(upload_url: &str, suffix: &str) -> String {
    let (path, query) = upload_url.split_once('?').unwrap();
    format!("{path}/{suffix}?{query}")
}

#[tokio::test]
async fn single_upload_round_trip_through_the_proxy() {
    let server = simulator(&[]).await;
    let (upload, file) = initiate(&server, INITIATE, "ref image.png", "image/png").await;
    assert!(file.ends_with("/ref_image.png"));
    let bytes: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let put = client()
        .put(&upload)
        .header("content-type", "image/png")
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let got = client().get(&file).send().await.unwrap();
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.headers()["accept-ranges"], "bytes");
    assert_eq!(got.bytes().await.unwrap().to_vec(), bytes);
    let range = client()
        .get(&file)
        .header("range", "bytes=-10")
        .send()
        .await
        .unwrap();
    assert_eq!(range.status(), 206);
    assert_eq!(
        range.bytes().await.unwrap().to_vec(),
        bytes[4990..].to_vec()
    );
    let head = client().head(&file).send().await.unwrap();
    assert_eq!(head.headers()["content-length"], "5000");
    let beyond = client()
        .get(&file)
        .header("range", "bytes=9000-")
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), 416);

    let entries = journal(&server).await;
    let upload_entry = entries.iter().find(|e| e["route"] == "upload").unwrap();
    assert_eq!(
        upload_entry["authorization"], "absent",
        "bytes go without a key"
    );
    assert_eq!(upload_entry["body_bytes"], 5000);
    assert_eq!(entries[0]["route"], "storage_initiate");
    assert_eq!(entries[0]["target_url"], INITIATE);
}

#[tokio::test]
async fn an_authorization_header_on_the_byte_put_is_recorded() {
    let server = simulator(&[]).await;
    let (upload, _) = initiate(&server, INITIATE, "a.png", "image/png").await;
    client()
        .put(&upload)
        .header("authorization", "Key leaked:key")
        .body("x")
        .send()
        .await
        .unwrap();
    let entries = journal(&server).await;
    let entry = entries.iter().find(|e| e["route"] == "upload").unwrap();
    assert_eq!(entry["authorization"], "present");
    assert!(!serde_json::to_string(&entries)
        .unwrap()
        .contains("leaked:key"));
}

#[tokio::test]
async fn direct_initiate_needs_a_key_and_checks_storage_type() {
    let server = simulator(&[]).await;
    let url = format!(
        "{}/sim/rest/storage/upload/initiate?storage_type=fal-cdn-v3",
        server.url()
    );
    let anonymous = client().post(&url).json(&json!({})).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    initiate(&server, &url, "v.mp4", "video/mp4").await;
    let wrong_type = call(
        &server,
        Method::POST,
        &url.replace("fal-cdn-v3", "gcs"),
        Some(json!({})),
    )
    .await;
    assert_eq!(wrong_type.status(), 400);
}

#[tokio::test]
async fn multipart_round_trip_checks_every_part() {
    let server = simulator(&[]).await;
    let (upload, file) = initiate(&server, INITIATE_MULTIPART, "big.mp4", "video/mp4").await;
    let parts: Vec<Vec<u8>> = vec![vec![1; 3000], vec![2; 3000], vec![3; 100]];
    let mut listed = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let n = i + 1;
        let response = client()
            .put(part_url(&upload, &n.to_string()))
            .body(part.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let header_etag = response.headers()["etag"].to_str().unwrap().to_owned();
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["partNumber"], n);
        assert_eq!(
            header_etag.trim_matches('"'),
            body["etag"].as_str().unwrap()
        );
        listed.push(json!({ "partNumber": n, "etag": body["etag"] }));
    }
    let complete_url = part_url(&upload, "complete");
    let wrong_etag =
        json!({ "parts": [listed[0], { "partNumber": 2, "etag": "nope" }, listed[2]] });
    let response = client()
        .post(&complete_url)
        .json(&wrong_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let missing = json!({ "parts": [listed[0], listed[1], { "partNumber": 4, "etag": "x" }] });
    assert_eq!(
        client()
            .post(&complete_url)
            .json(&missing)
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
    let unordered = json!({ "parts": [listed[1], listed[0]] });
    assert_eq!(
        client()
            .post(&complete_url)
            .json(&unordered)
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        client().get(&file).send().await.unwrap().status(),
        404,
        "not yet complete"
    );

    let response = client()
        .post(&complete_url)
        .json(&json!({ "parts": listed }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap()["file_url"],
        file.as_str()
    );
    let got = client().get(&file).send().await.unwrap();
    assert_eq!(got.headers()["content-type"], "video/mp4");
    assert_eq!(got.bytes().await.unwrap().to_vec(), parts.concat());
    let again = client()
        .post(&complete_url)
        .json(&json!({ "parts": listed }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        200,
        "a retried complete gives the same file"
    );

    // A client that appends the part number after the query string misses.
    let misplaced = format!("{upload}/1");
    assert!(client()
        .put(&misplaced)
        .body("x")
        .send()
        .await
        .unwrap()
        .status()
        .is_client_error());
    let routes: Vec<String> = journal(&server)
        .await
        .iter()
        .map(|e| e["route"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        routes.contains(&"upload_part".to_owned())
            && routes.contains(&"upload_complete".to_owned())
    );
}

#[tokio::test]
async fn upload_urls_expire_and_need_their_signature() {
    let server = simulator(&[]).await;
    control(&server, json!({ "timings": { "upload_ttl_ms": 150 } })).await;
    let (upload, _) = initiate(&server, INITIATE, "a.png", "image/png").await;
    let unsigned = upload.split('?').next().unwrap().to_owned();
    assert_eq!(
        client()
            .put(&unsigned)
            .body("x")
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let late = client().put(&upload).body("x").send().await.unwrap();
    assert_eq!(late.status(), 403);
    assert_eq!(
        late.json::<Value>().await.unwrap()["detail"],
        "Request has expired"
    );
}

#[tokio::test]
async fn uploads_over_the_limit_are_refused() {
    let server = simulator(&["--sim-max-upload", "1KiB"]).await;
    let (upload, _) = initiate(&server, INITIATE, "a.png", "image/png").await;
    let response = client()
        .put(&upload)
        .body(vec![0u8; 2048])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}
