//! Tests for [`super`]: thresholds, parts, etags, routes.

use serde_json::json;

use super::*;
use crate::core::fal::calls::{CallKind, Route};
use crate::core::fal::error::FalErrorKind;
use crate::core::fal::http::{Body, Method};

const NOW: u64 = 1_795_513_909;
const MIB: u64 = 1024 * 1024;

fn file(size: u64) -> LocalFile {
    LocalFile {
        name: "dance.mp4".into(),
        content_type: "video/mp4".into(),
        size,
    }
}

fn plan(size: u64) -> UploadPlan {
    UploadPlan::new(&file(size), NonZeroUsize::new(3).unwrap())
}

fn rest() -> BaseUrl {
    BaseUrl::parse("https://rest.fal.ai").unwrap()
}

fn target() -> UploadTarget {
    UploadTarget {
        upload_url: "https://v3.fal.media/files/upload/abc?sig=x".into(),
        file_url: "https://v3.fal.media/files/koala/dance.mp4".into(),
    }
}

fn part(n: u32, etag: &str) -> CompletedPart {
    CompletedPart {
        part_number: n,
        etag: etag.into(),
    }
}

#[test]
fn up_to_90_mib_is_one_put() {
    for size in [0, 1, 20_000_000, 90 * MIB] {
        let plan = plan(size);
        assert!(!plan.is_multipart(), "{size}");
        let initiate = plan.initiate(&rest());
        assert_eq!(initiate.kind, CallKind::StorageInitiate);
        assert_eq!(
            initiate.kind.route(),
            Route::Fal,
            "initiate goes through a proxy"
        );
        let transfers = plan.transfers(&target()).unwrap();
        assert_eq!(transfers.len(), 1);
        let put = &transfers[0];
        assert_eq!(
            put.kind.route(),
            Route::StorageDirect,
            "bytes go straight to storage"
        );
        assert_eq!(put.request.method, Method::Put);
        assert_eq!(put.request.url, target().upload_url);
        assert_eq!(put.request.header("Content-Type"), Some("video/mp4"));
        assert_eq!(put.request.body.len(), size);
    }
}

#[test]
fn above_90_mib_goes_in_10_mib_parts_numbered_from_1() {
    let size = 90 * MIB + 1;
    let plan = plan(size);
    assert!(plan.is_multipart());
    assert_eq!(plan.parts.len(), 10);
    assert_eq!(
        plan.parts[0],
        PartRange {
            part_number: 1,
            start: 0,
            end: 10 * MIB
        }
    );
    assert_eq!(
        plan.parts[9],
        PartRange {
            part_number: 10,
            start: 90 * MIB,
            end: size
        },
        "the last part is shorter"
    );
    for pair in plan.parts.windows(2) {
        assert_eq!(pair[0].end, pair[1].start, "no gap, no overlap");
        assert_eq!(pair[0].part_number + 1, pair[1].part_number);
    }
    let initiate = plan.initiate(&rest());
    assert_eq!(initiate.kind, CallKind::InitiateMultipart);
    assert_eq!(initiate.kind.route(), Route::Fal);

    let transfers = plan.transfers(&target()).unwrap();
    assert_eq!(transfers.len(), 10);
    assert_eq!(
        transfers[9].request.url,
        "https://v3.fal.media/files/upload/abc/10?sig=x"
    );
    assert_eq!(
        transfers[9].request.body,
        Body::FileSlice {
            start: 90 * MIB,
            end: size,
            content_type: None
        }
    );
    assert!(transfers
        .iter()
        .all(|c| c.kind.route() == Route::StorageDirect));
    assert_eq!(plan.concurrency.get(), 3);
}

#[test]
fn a_100_mb_video_is_ten_parts() {
    let plan = plan(100_000_000);
    assert_eq!(plan.parts.len(), 10);
    assert_eq!(
        plan.parts[9].end - plan.parts[9].start,
        100_000_000 - 9 * 10 * MIB
    );
    let exact = UploadPlan::new(&file(100 * MIB), NonZeroUsize::MIN);
    assert_eq!(exact.parts.len(), 10);
    assert_eq!(exact.parts[9].end, 100 * MIB);
}

#[test]
fn fills_in_a_missing_type_and_name() {
    let nameless = LocalFile {
        name: " ".into(),
        content_type: "".into(),
        size: 5,
    };
    let plan = UploadPlan::new(&nameless, NonZeroUsize::MIN);
    assert_eq!(plan.content_type, "application/octet-stream");
    assert_eq!(plan.file_name, "upload.bin");
    for (content_type, name) in [
        ("image/png", "upload.png"),
        ("image/jpeg", "upload.jpg"),
        ("video/quicktime", "upload.mov"),
        ("image/svg+xml", "upload.svg"),
        ("video/mp4; codecs=avc1", "upload.mp4"),
    ] {
        let f = LocalFile {
            content_type: content_type.into(),
            ..nameless.clone()
        };
        assert_eq!(UploadPlan::new(&f, NonZeroUsize::MIN).file_name, name);
    }
    let initiate = plan.initiate(&rest());
    let Body::Json(body) = &initiate.request.body else {
        panic!()
    };
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(body).unwrap(),
        json!({"content_type": "application/octet-stream", "file_name": "upload.bin"})
    );
}

#[test]
fn reads_the_initiate_answer() {
    let body =
        json!({"upload_url": target().upload_url, "file_url": target().file_url}).to_string();
    assert_eq!(
        UploadPlan::parse_initiate(&HttpResponse::new(200, body), NOW),
        Ok(target())
    );
    let denied = UploadPlan::parse_initiate(
        &HttpResponse::new(401, r#"{"detail":"Authorization header is required"}"#),
        NOW,
    )
    .unwrap_err();
    assert_eq!(denied.kind, FalErrorKind::Auth { by_proxy: false });
    // The stock proxy refuses initiate-multipart (not in its allow-list).
    let refused = UploadPlan::parse_initiate(&HttpResponse::new(400, r#""Invalid request""#), NOW)
        .unwrap_err();
    assert_eq!(refused.kind, FalErrorKind::ProxyRefused);
    let hostile = json!({"upload_url": "javascript:alert(1)", "file_url": target().file_url});
    let error = UploadPlan::parse_initiate(&HttpResponse::new(200, hostile.to_string()), NOW);
    assert!(matches!(
        error.unwrap_err().kind,
        FalErrorKind::Malformed { .. }
    ));
    let missing = UploadPlan::parse_initiate(
        &HttpResponse::new(200, r#"{"upload_url":"https://x/y"}"#),
        NOW,
    );
    assert!(missing
        .unwrap_err()
        .message()
        .contains("expected an upload address"));
}

#[test]
fn etags_come_from_the_body_or_the_etag_header() {
    let body = HttpResponse::new(
        200,
        r#"{"partNumber":2,"etag":"\"9b2cf535f27731c974343645a3985328\""}"#,
    );
    assert_eq!(
        UploadPlan::parse_part(2, &body, NOW),
        Ok(part(2, "\"9b2cf535f27731c974343645a3985328\""))
    );
    let header = HttpResponse::new(200, "").with_header("ETag", "\"abc\"");
    assert_eq!(
        UploadPlan::parse_part(3, &header, NOW),
        Ok(part(3, "\"abc\""))
    );
    let both = HttpResponse::new(200, r#"{"etag":"from-body"}"#).with_header("ETag", "from-header");
    assert_eq!(
        UploadPlan::parse_part(1, &both, NOW),
        Ok(part(1, "from-body"))
    );
    let wrong_number =
        HttpResponse::new(200, r#"{"partNumber":5,"etag":"x"}"#).with_header("etag", "h");
    assert_eq!(
        UploadPlan::parse_part(1, &wrong_number, NOW),
        Ok(part(1, "h"))
    );
    let none = UploadPlan::parse_part(4, &HttpResponse::new(200, "{}"), NOW).unwrap_err();
    assert!(none.message().contains("part 4"));
    let failed = UploadPlan::parse_part(4, &HttpResponse::new(503, ""), NOW).unwrap_err();
    assert!(matches!(failed.kind, FalErrorKind::Server { .. }));
}

#[test]
fn complete_lists_every_part_in_order() {
    let plan = plan(95 * MIB);
    assert_eq!(plan.parts.len(), 10);
    let mut received: Vec<CompletedPart> =
        (1..=10).rev().map(|n| part(n, &format!("e{n}"))).collect();
    let call = plan.complete(&target(), &received).unwrap();
    assert_eq!(call.kind, CallKind::CompleteMultipart);
    assert_eq!(
        call.kind.route(),
        Route::StorageDirect,
        "fal-js sends complete directly"
    );
    assert_eq!(
        call.request.url,
        "https://v3.fal.media/files/upload/abc/complete?sig=x"
    );
    let Body::Json(body) = &call.request.body else {
        panic!()
    };
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["parts"][0], json!({"partNumber": 1, "etag": "e1"}));
    assert_eq!(body["parts"][9], json!({"partNumber": 10, "etag": "e10"}));

    received.pop();
    assert!(
        plan.complete(&target(), &received).is_err(),
        "a part is missing"
    );
    received.push(part(2, "again"));
    assert!(
        plan.complete(&target(), &received).is_err(),
        "a part is duplicated"
    );
}

#[test]
fn transfer_answers_and_bad_upload_urls() {
    assert_eq!(
        UploadPlan::parse_transfer(&HttpResponse::new(200, ""), NOW),
        Ok(())
    );
    assert_eq!(
        UploadPlan::parse_transfer(&HttpResponse::new(204, ""), NOW),
        Ok(())
    );
    let expired = UploadPlan::parse_transfer(
        &HttpResponse::new(403, "<Error>SignatureDoesNotMatch</Error>"),
        NOW,
    );
    assert!(matches!(
        expired.unwrap_err().kind,
        FalErrorKind::Auth { .. }
    ));
    let bad = UploadTarget {
        upload_url: "not a url".into(),
        file_url: target().file_url,
    };
    assert!(plan(10).transfers(&bad).is_err());
    assert!(plan(95 * MIB).transfers(&bad).is_err());
}

#[test]
fn the_benchmark_setting_chooses_parts_in_flight_within_bounds() {
    let chosen = |setting: Option<&str>| part_concurrency(setting).get();
    assert_eq!(chosen(None), DEFAULT_PART_CONCURRENCY);
    assert_eq!(chosen(Some("1")), 1);
    assert_eq!(chosen(Some(" 8 ")), 8);
    for refused in ["0", "9", "-1", "three", ""] {
        assert_eq!(
            chosen(Some(refused)),
            DEFAULT_PART_CONCURRENCY,
            "{refused:?}"
        );
    }
}
