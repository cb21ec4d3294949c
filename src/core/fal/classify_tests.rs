//! Tests for [`super::classify`], with fal's real answer shapes.

use std::time::Duration;

use serde_json::json;

use super::*;
use crate::core::fal::error::NetworkFailure;

/// 2026-11-24T09:51:49Z.
const NOW: u64 = 1_795_513_909;

fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body).with_header("content-type", "application/json")
}

fn kind(response: &HttpResponse) -> FalErrorKind {
    classify(response, NOW, "expected a status object").kind
}

/// fal's 422 for this model: pydantic errors with `loc`, `msg`, `type`,
/// `ctx` and `input`, including an array index and a non-text setting.
const VALIDATION_BODY: &str = r#"{"detail":[
  {"loc":["body","prompt"],"msg":"String should have at most 5000 characters","type":"string_too_long","ctx":{"max_length":5000},"input":"..."},
  {"loc":["body","reference_image_urls",1],"msg":"Input should be a valid URL","type":"url_parsing","input":"cat.png"},
  {"loc":["body","reference_video_urls",0],"msg":"Video is longer than 30 seconds","type":"video_too_long"},
  {"loc":["body","duration"],"msg":"Input should be '2', '3', '4', '5', '6', '7', '8', '9' or '10'","type":"enum","ctx":{"expected":"'2', '3'"}},
  {"loc":["body"],"msg":"At least one reference is required","type":"value_error"}
]}"#;

const CONTENT_POLICY_BODY: &str = r#"{"detail":[{"loc":["body","reference_image_urls",0],"msg":"The content was flagged by a content checker.","type":"content_policy_violation","url":"https://docs.fal.ai/errors#content_policy_violation","input":"https://v3.fal.media/files/a.png","categories":["sexual"]}]}"#;

const TIMEOUT_BODY: &str = r#"{"detail":"Request timed out","error_type":"request_timeout"}"#;

#[test]
fn validation_detail_maps_to_fields_by_the_last_loc_element() {
    let FalErrorKind::Validation(problems) = kind(&answer(422, VALIDATION_BODY)) else {
        panic!("not a validation error");
    };
    let targets: Vec<ErrorTarget> = problems.iter().map(|p| p.target.clone()).collect();
    assert_eq!(
        targets,
        vec![
            ErrorTarget::Field(Field::Prompt),
            ErrorTarget::Field(Field::ReferenceImage(1)),
            ErrorTarget::Field(Field::ReferenceVideo(0)),
            ErrorTarget::Setting("duration".into()),
            ErrorTarget::Request,
        ]
    );
    assert_eq!(problems[0].error_type, "string_too_long");
    assert_eq!(
        problems[0].message,
        "String should have at most 5000 characters"
    );
}

#[test]
fn loc_mapping_handles_indexes_nesting_and_unknown_names() {
    let cases = [
        (
            json!(["body", "negative_prompt"]),
            ErrorTarget::Field(Field::NegativePrompt),
        ),
        (json!(["body", "seed"]), ErrorTarget::Field(Field::Seed)),
        (
            json!(["body", "reference_image_urls"]),
            ErrorTarget::Field(Field::References),
        ),
        (
            json!(["body", "reference_video_urls", 2]),
            ErrorTarget::Field(Field::ReferenceVideo(2)),
        ),
        (
            json!(["body", "reference_image_urls", 3, "url"]),
            ErrorTarget::Field(Field::ReferenceImage(3)),
        ),
        (
            json!(["body", "aspect_ratio"]),
            ErrorTarget::Setting("aspect_ratio".into()),
        ),
        (
            json!(["body", "prompt", "extra"]),
            ErrorTarget::Field(Field::Prompt),
        ),
        (json!(["body"]), ErrorTarget::Request),
        (json!([]), ErrorTarget::Request),
        (json!(["body", 0]), ErrorTarget::Request),
    ];
    for (loc, expected) in cases {
        assert_eq!(target_of(loc.as_array().unwrap()), expected, "{loc}");
    }
}

#[test]
fn content_policy_says_which_input_was_flagged() {
    let error = classify(&answer(422, CONTENT_POLICY_BODY), NOW, "x");
    let FalErrorKind::ContentPolicy(problems) = &error.kind else {
        panic!("not content policy: {error:?}");
    };
    assert_eq!(
        problems[0].target,
        ErrorTarget::Field(Field::ReferenceImage(0))
    );
    assert_eq!(problems[0].categories, ["sexual"]);
    assert!(error
        .message()
        .starts_with("fal's content checker flagged reference image 1 (sexual)."));

    let flat = r#"{"detail":"Output video was flagged","error_type":"content_policy_violation"}"#;
    assert!(matches!(
        kind(&answer(422, flat)),
        FalErrorKind::ContentPolicy(_)
    ));
    let in_ctx = r#"{"detail":[{"loc":["body","prompt"],"msg":"flagged","type":"content_policy_violation","ctx":{"categories":["violence"]}}]}"#;
    let FalErrorKind::ContentPolicy(p) = kind(&answer(422, in_ctx)) else {
        panic!()
    };
    assert_eq!(
        (p[0].target.clone(), p[0].categories.clone()),
        (
            ErrorTarget::Field(Field::Prompt),
            vec!["violence".to_owned()]
        )
    );
}

#[test]
fn a_string_detail_on_422_is_a_request_level_problem() {
    let FalErrorKind::Validation(p) = kind(&answer(422, r#"{"detail":"Unsupported video codec"}"#))
    else {
        panic!()
    };
    assert_eq!(p[0].target, ErrorTarget::Request);
    assert_eq!(p[0].message, "Unsupported video codec");
}

#[test]
fn infrastructure_errors_keep_error_type_from_body_or_header() {
    let error = classify(
        &answer(504, TIMEOUT_BODY)
            .with_header("X-Fal-Error-Type", "request_timeout")
            .with_header("x-fal-request-id", "764cabcf-b745"),
        NOW,
        "x",
    );
    assert_eq!(
        error.kind,
        FalErrorKind::Server {
            error_type: Some("request_timeout".into()),
            detail: Some("Request timed out".into()),
        }
    );
    assert_eq!(error.request_id.as_deref(), Some("764cabcf-b745"));
    assert_eq!(error.http_status, Some(504));

    let nginx = HttpResponse::new(
        503,
        "<html><body>503 Service Temporarily Unavailable</body></html>",
    )
    .with_header("X-Fal-Error-Type", "runner_scheduling_failure")
    .with_header("X-Fal-Retryable", "true");
    let error = classify(&nginx, NOW, "x");
    assert_eq!(
        error.kind,
        FalErrorKind::Server {
            error_type: Some("runner_scheduling_failure".into()),
            detail: None,
        }
    );
    assert_eq!(error.retryable_hint, Some(true));
    let old_header = HttpResponse::new(500, "").with_header("X-Fal-Needs-Retry", "0");
    assert_eq!(classify(&old_header, NOW, "x").retryable_hint, Some(false));
}

#[test]
fn a_user_start_timeout_is_its_own_case() {
    let user = answer(504, TIMEOUT_BODY).with_header("X-Fal-Request-Timeout-Type", "user");
    assert_eq!(kind(&user), FalErrorKind::StartTimeout);
    let other = answer(504, TIMEOUT_BODY).with_header("X-Fal-Request-Timeout-Type", "system");
    assert!(matches!(kind(&other), FalErrorKind::Server { .. }));
}

#[test]
fn auth_not_found_and_other_statuses() {
    let missing = answer(401, r#"{"detail":"Authorization header is required"}"#);
    assert_eq!(kind(&missing), FalErrorKind::Auth { by_proxy: false });
    assert_eq!(
        kind(&answer(403, r#"{"detail":"Forbidden"}"#)),
        FalErrorKind::Auth { by_proxy: false }
    );
    assert_eq!(
        kind(&answer(401, r#""Unauthorized""#)),
        FalErrorKind::Auth { by_proxy: true }
    );
    assert_eq!(
        kind(&answer(404, r#"{"detail":"Request not found"}"#)),
        FalErrorKind::NotFound
    );
    assert_eq!(
        kind(&answer(400, r#""Invalid request""#)),
        FalErrorKind::ProxyRefused
    );
    assert_eq!(
        kind(&answer(412, "Invalid target URL")),
        FalErrorKind::ProxyRefused
    );
    assert_eq!(
        kind(&answer(413, r#"{"detail":"Request body too large"}"#)),
        FalErrorKind::Rejected {
            detail: Some("Request body too large".into())
        }
    );
    assert_eq!(
        kind(&answer(405, r#""Method not allowed""#)),
        FalErrorKind::Rejected {
            detail: Some("Method not allowed".into())
        }
    );
    assert!(matches!(
        kind(&answer(500, "oops")),
        FalErrorKind::Server { .. }
    ));
    assert!(matches!(
        kind(&answer(408, "")),
        FalErrorKind::Server { .. }
    ));
}

#[test]
fn rate_limits_read_retry_after_in_both_forms() {
    let seconds =
        answer(429, r#"{"detail":"Rate limit exceeded"}"#).with_header("Retry-After", "17");
    let error = classify(&seconds, NOW, "x");
    assert_eq!(error.kind, FalErrorKind::RateLimited);
    assert_eq!(error.retry_after, Some(Duration::from_secs(17)));

    let date = answer(429, "").with_header("retry-after", "Tue, 24 Nov 2026 09:53:49 GMT");
    assert_eq!(
        classify(&date, NOW, "x").retry_after,
        Some(Duration::from_secs(120))
    );
    let junk = answer(429, "").with_header("Retry-After", "later");
    assert_eq!(classify(&junk, NOW, "x").retry_after, None);
}

/// `@fal-ai/server-proxy`'s Express adapter answers 200 for everything: the
/// error must still be recognised from the body (and the copied headers).
#[test]
fn errors_relabelled_as_200_by_a_proxy_are_classified_by_shape() {
    assert!(
        matches!(kind(&answer(200, VALIDATION_BODY)), FalErrorKind::Validation(p) if p.len() == 5)
    );
    assert!(matches!(
        kind(&answer(200, CONTENT_POLICY_BODY)),
        FalErrorKind::ContentPolicy(_)
    ));
    assert_eq!(
        kind(&answer(200, TIMEOUT_BODY)),
        FalErrorKind::Server {
            error_type: Some("request_timeout".into()),
            detail: Some("Request timed out".into()),
        }
    );
    assert_eq!(
        kind(&answer(200, r#""Invalid request""#)),
        FalErrorKind::ProxyRefused
    );
    assert_eq!(
        kind(&answer(200, r#""Unauthorized""#)),
        FalErrorKind::Auth { by_proxy: true }
    );
    assert_eq!(
        kind(&answer(
            200,
            r#"{"detail":"Authorization header is required"}"#
        )),
        FalErrorKind::Auth { by_proxy: false }
    );
    assert_eq!(
        kind(&answer(200, r#"{"detail":"Request not found"}"#)),
        FalErrorKind::NotFound
    );
    assert_eq!(
        kind(&answer(200, r#"{"detail":"Something else went wrong"}"#)),
        FalErrorKind::Rejected {
            detail: Some("Something else went wrong".into())
        }
    );
    let header_only = answer(200, "<html>Bad Gateway</html>")
        .with_header("x-fal-error-type", "runner_disconnected");
    assert_eq!(
        kind(&header_only),
        FalErrorKind::Server {
            error_type: Some("runner_disconnected".into()),
            detail: None,
        }
    );
}

#[test]
fn a_2xx_without_the_expected_shape_or_an_error_shape_is_malformed() {
    assert_eq!(
        kind(&answer(200, "<html>hello</html>")),
        FalErrorKind::Malformed {
            what: "expected a status object, but the answer is not JSON".into()
        }
    );
    assert_eq!(
        kind(&answer(200, r#"{"foo":1,"bar":2}"#)),
        FalErrorKind::Malformed {
            what: "expected a status object, but got an object with bar, foo".into()
        }
    );
    assert!(matches!(
        kind(&answer(202, "[]")),
        FalErrorKind::Malformed { .. }
    ));
    assert!(
        matches!(kind(&answer(200, "{}")), FalErrorKind::Malformed { what } if what.contains("empty object"))
    );
}

#[test]
fn network_failures_are_built_by_the_web_layer() {
    let error = FalError::network(NetworkFailure::Offline);
    assert_eq!(error.http_status, None);
    assert!(matches!(
        error.kind,
        FalErrorKind::Network(NetworkFailure::Offline)
    ));
}

#[test]
fn other_body_shapes_are_described_or_read() {
    let message = answer(400, r#"{"message":"Bad input"}"#);
    assert_eq!(
        kind(&message),
        FalErrorKind::Rejected {
            detail: Some("Bad input".into())
        }
    );
    for (body, shape) in [
        (r#""hello""#, "a string"),
        ("null", "null"),
        ("42", "a bare value"),
    ] {
        assert_eq!(
            kind(&answer(200, body)),
            FalErrorKind::Malformed {
                what: format!("expected a status object, but got {shape}")
            }
        );
    }
    // A detail array without loc is not a field error: shown as text.
    let odd = answer(400, r#"{"detail":[{"msg":"no loc here"}]}"#);
    assert_eq!(
        kind(&odd),
        FalErrorKind::Rejected {
            detail: Some("no loc here".into())
        }
    );
}

#[test]
fn wan_r2v_servers_own_refusals_are_proxy_refusals_not_key_problems() {
    let forbidden = HttpResponse::new(
        403,
        r#"{"error":"target host evil.example is not allowed"}"#,
    );
    assert_eq!(
        classify(&forbidden, 0, "x").kind,
        FalErrorKind::ProxyRefused
    );
    let missing = HttpResponse::new(400, r#"{"error":"x-fal-target-url is missing"}"#);
    assert_eq!(classify(&missing, 0, "x").kind, FalErrorKind::ProxyRefused);
    // fal's own 403 (a detail body) is still about the key.
    let fal = HttpResponse::new(403, r#"{"detail":"Forbidden"}"#);
    assert!(matches!(
        classify(&fal, 0, "x").kind,
        FalErrorKind::Auth { .. }
    ));
    // The proxy's other answers keep their meaning, with its words as detail.
    let too_big = HttpResponse::new(413, r#"{"error":"request body over 1 MiB"}"#);
    assert_eq!(
        classify(&too_big, 0, "x").kind,
        FalErrorKind::Rejected {
            detail: Some("request body over 1 MiB".into())
        }
    );
    let down = HttpResponse::new(502, r#"{"error":"fal could not be reached"}"#);
    assert!(matches!(
        classify(&down, 0, "x").kind,
        FalErrorKind::Server { detail: Some(d), .. } if d == "fal could not be reached"
    ));
}
