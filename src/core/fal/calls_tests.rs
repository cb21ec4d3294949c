//! Tests for [`super`]: every call's method, URL, headers and body.

use serde_json::{json, Value};

use super::*;
use crate::core::fal::endpoint::ReturnedUrls;

const ID: &str = "764cabcf-b745-4b3e-ae38-1200304cf45b";

fn queue() -> QueueEndpoint {
    QueueEndpoint::new(
        "https://queue.fal.run",
        "fal-ai/wan/v2.7/reference-to-video",
    )
    .unwrap()
}

fn urls() -> RequestUrls {
    queue().urls_for(ID, &ReturnedUrls::default()).unwrap()
}

fn rest() -> BaseUrl {
    BaseUrl::parse("https://rest.fal.ai").unwrap()
}

fn json_body(call: &FalCall) -> Value {
    match &call.request.body {
        Body::Json(text) => serde_json::from_str(text).unwrap(),
        other => panic!("not JSON: {other:?}"),
    }
}

#[test]
fn submit_posts_the_input_to_the_full_endpoint_id() {
    let input = R2vInput {
        prompt: "Image 1 waves at Video 1".into(),
        reference_image_urls: vec!["https://v3.fal.media/files/a.png".into()],
        ..R2vInput::default()
    };
    let call = submit(&queue(), &input);
    assert_eq!(call.kind, CallKind::Submit);
    assert_eq!(call.kind.route(), Route::Fal);
    assert_eq!(call.request.method, Method::Post);
    assert_eq!(
        call.request.url,
        "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video"
    );
    assert_eq!(
        call.request.headers,
        vec![
            ("Accept".to_owned(), "application/json".to_owned()),
            ("Content-Type".to_owned(), "application/json".to_owned()),
            ("x-fal-queue-priority".to_owned(), "normal".to_owned()),
        ]
    );
    assert_eq!(json_body(&call)["prompt"], "Image 1 waves at Video 1");
    assert_eq!(json_body(&call)["duration"], 5);
    assert_eq!(call.request.body, Body::Json(input.to_json()));
}

#[test]
fn request_level_calls_use_owner_and_alias_only() {
    let base = format!("https://queue.fal.run/fal-ai/wan/requests/{ID}");
    let status = status(&urls());
    assert_eq!(
        (status.request.method, status.request.url.as_str()),
        (Method::Get, format!("{base}/status?logs=1").as_str())
    );
    assert_eq!(status.request.header("accept"), Some("application/json"));
    assert_eq!(status.request.body, Body::None);

    let stream = status_stream(&urls());
    assert_eq!(stream.request.url, format!("{base}/status/stream?logs=1"));
    assert_eq!(stream.request.header("Accept"), Some("text/event-stream"));
    assert_eq!(stream.kind, CallKind::StatusStream);

    let result = result(&urls());
    assert_eq!(
        (result.request.method, result.request.url.clone()),
        (Method::Get, base.clone())
    );

    let cancel = cancel(&urls());
    assert_eq!(cancel.request.method, Method::Put);
    assert_eq!(cancel.request.url, format!("{base}/cancel"));
    assert_eq!(
        cancel.request.body,
        Body::None,
        "fal-js sends no body on cancel"
    );
    for call in [status, stream, result, cancel] {
        assert!(!call.request.url.contains("v2.7"), "{}", call.request.url);
        assert_eq!(call.kind.route(), Route::Fal);
    }
}

#[test]
fn status_keeps_a_query_the_returned_url_had() {
    let returned = ReturnedUrls {
        status_url: Some(format!(
            "https://queue.fal.run/fal-ai/wan/requests/{ID}/status?region=eu"
        )),
        ..ReturnedUrls::default()
    };
    let urls = queue().urls_for(ID, &returned).unwrap();
    assert!(status(&urls)
        .request
        .url
        .ends_with("/status?region=eu&logs=1"));
    assert!(status_stream(&urls)
        .request
        .url
        .ends_with("/status/stream?region=eu&logs=1"));
}

#[test]
fn test_connection_asks_for_a_request_that_cannot_exist() {
    let call = test_connection(&queue());
    assert_eq!(call.kind, CallKind::TestConnection);
    assert_eq!(call.request.method, Method::Get);
    assert_eq!(
        call.request.url,
        "https://queue.fal.run/fal-ai/wan/requests/00000000-0000-0000-0000-000000000000/status"
    );
    assert_eq!(call.request.body, Body::None);
}

#[test]
fn storage_initiate_calls_go_to_the_rest_host() {
    let single = storage_initiate(&rest(), "image/png", "cat.png");
    assert_eq!(single.request.method, Method::Post);
    assert_eq!(
        single.request.url,
        "https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3"
    );
    assert_eq!(
        json_body(&single),
        json!({"content_type": "image/png", "file_name": "cat.png"})
    );
    assert_eq!(single.kind.route(), Route::Fal);

    let prefixed = BaseUrl::parse("http://127.0.0.1:8080/sim/rest").unwrap();
    let multi = initiate_multipart(&prefixed, "video/mp4", "clip \"1\".mp4");
    assert_eq!(
        multi.request.url,
        "http://127.0.0.1:8080/sim/rest/storage/upload/initiate-multipart?storage_type=fal-cdn-v3"
    );
    assert_eq!(json_body(&multi)["file_name"], "clip \"1\".mp4");
    assert_eq!(multi.kind, CallKind::InitiateMultipart);
    assert_eq!(multi.kind.route(), Route::Fal);
}

#[test]
fn byte_uploads_go_straight_to_the_upload_url() {
    let upload_url = "https://v3.fal.media/files/upload/abc?X-Goog-Signature=s1&X-Goog-Expires=120";
    let put = upload_file(upload_url, 1234, "image/png").unwrap();
    assert_eq!(put.kind.route(), Route::StorageDirect);
    assert_eq!(put.request.method, Method::Put);
    assert_eq!(put.request.url, upload_url);
    assert_eq!(put.request.header("content-type"), Some("image/png"));
    assert_eq!(
        put.request.body,
        Body::FileSlice {
            start: 0,
            end: 1234,
            content_type: Some("image/png".into())
        }
    );

    let part = upload_part(upload_url, 3, 20, 30).unwrap();
    assert_eq!(part.kind.route(), Route::StorageDirect);
    assert_eq!(
        part.request.url,
        "https://v3.fal.media/files/upload/abc/3?X-Goog-Signature=s1&X-Goog-Expires=120"
    );
    assert!(
        part.request.headers.is_empty(),
        "parts carry no Content-Type"
    );
    assert_eq!(
        part.request.body,
        Body::FileSlice {
            start: 20,
            end: 30,
            content_type: None
        }
    );

    let parts = [
        CompletedPart {
            part_number: 1,
            etag: "\"e1\"".into(),
        },
        CompletedPart {
            part_number: 2,
            etag: "e2".into(),
        },
    ];
    let complete = complete_multipart(upload_url, &parts).unwrap();
    assert_eq!(complete.kind.route(), Route::StorageDirect);
    assert_eq!(complete.request.method, Method::Post);
    assert_eq!(
        complete.request.url,
        "https://v3.fal.media/files/upload/abc/complete?X-Goog-Signature=s1&X-Goog-Expires=120"
    );
    assert_eq!(
        json_body(&complete),
        json!({"parts": [{"partNumber": 1, "etag": "\"e1\""}, {"partNumber": 2, "etag": "e2"}]})
    );
    assert_eq!(
        complete.request.header("Content-Type"),
        Some("application/json")
    );
}

#[test]
fn part_urls_without_a_query_or_with_a_trailing_slash() {
    let part = upload_part("http://127.0.0.1:8080/sim/upload/u1/", 1, 0, 10).unwrap();
    assert_eq!(part.request.url, "http://127.0.0.1:8080/sim/upload/u1/1");
    let complete = complete_multipart("http://127.0.0.1:8080/sim/upload/u1", &[]).unwrap();
    assert_eq!(
        complete.request.url,
        "http://127.0.0.1:8080/sim/upload/u1/complete"
    );
}

#[test]
fn unusable_upload_urls_are_refused() {
    for bad in ["javascript:alert(1)", "/relative", "", "ftp://x/y"] {
        assert!(upload_file(bad, 1, "image/png").is_err(), "{bad}");
        assert!(upload_part(bad, 1, 0, 1).is_err(), "{bad}");
        let error = complete_multipart(bad, &[]).unwrap_err();
        assert!(error.to_string().contains("unusable upload address"));
    }
}
