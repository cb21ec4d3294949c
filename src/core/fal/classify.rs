//! Turning an HTTP answer into a [`FalError`].
//!
//! Two things make this more than a status-code switch:
//! - fal puts the detail in the body: a `detail` array for model errors
//!   (mapped to form fields by the last element of each `loc`), a flat
//!   `{detail, error_type}` for infrastructure errors.
//! - The stock `@fal-ai/server-proxy` Express adapter pipes the upstream
//!   body without setting the status, so every answer arrives as 200. A
//!   2xx body that lacks the expected success fields is therefore read for
//!   an error shape before it is called malformed.

use serde_json::Value;

use crate::core::fal::error::{ErrorTarget, FalError, FalErrorKind, InputProblem};
use crate::core::fal::http::HttpResponse;
use crate::core::fal::http_date::parse_retry_after;
use crate::core::model::validation::Field;

/// The fal type of a content-checker refusal.
pub const CONTENT_POLICY_TYPE: &str = "content_policy_violation";

/// Classifies an answer that is an error, or a 2xx whose body did not have
/// the shape the caller expected (`expected` says what it wanted, for the
/// message when no error shape is found either).
pub fn classify(response: &HttpResponse, now_unix_secs: u64, expected: &str) -> FalError {
    let body: Option<Value> = serde_json::from_str(&response.body).ok();
    let error_type = body
        .as_ref()
        .and_then(|b| b.get("error_type"))
        .and_then(Value::as_str)
        .or_else(|| response.header("x-fal-error-type"))
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    let kind = if response.is_success() {
        kind_from_body_alone(body.as_ref(), error_type, expected)
    } else {
        kind_from_status(response, body.as_ref(), error_type)
    };
    FalError {
        kind,
        http_status: Some(response.status),
        request_id: response
            .header("x-fal-request-id")
            .filter(|id| !id.is_empty())
            .map(str::to_owned),
        retry_after: response
            .header("retry-after")
            .and_then(|v| parse_retry_after(v, now_unix_secs)),
        retryable_hint: response
            .header("x-fal-retryable")
            .or_else(|| response.header("x-fal-needs-retry"))
            .and_then(parse_flag),
    }
}

fn parse_flag(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => None,
    }
}

fn kind_from_status(
    response: &HttpResponse,
    body: Option<&Value>,
    error_type: Option<String>,
) -> FalErrorKind {
    let status = response.status;
    if let Some(refusal) = crate::core::access::refusal::read(status, body) {
        return FalErrorKind::Access(refusal);
    }
    let detail = body.and_then(detail_text);
    let proxy_string = body.and_then(Value::as_str);
    // `wan-r2v-server`'s own refusals: `{"error": "…"}`, never fal's `detail`.
    let proxy_error = body
        .and_then(Value::as_object)
        .filter(|o| !o.contains_key("detail"))
        .and_then(|o| o.get("error"))
        .and_then(Value::as_str);
    let detail = detail.or_else(|| proxy_error.map(str::to_owned));
    if let Some(kind) = model_error(body, error_type.as_deref()) {
        if (400..500).contains(&status) {
            return kind;
        }
    }
    match status {
        400 | 403 if proxy_error.is_some() => FalErrorKind::ProxyRefused,
        401 | 403 => FalErrorKind::Auth {
            by_proxy: proxy_string == Some("Unauthorized"),
        },
        404 => FalErrorKind::NotFound,
        422 => FalErrorKind::Validation(vec![InputProblem {
            target: ErrorTarget::Request,
            message: detail.unwrap_or_else(|| "The input was refused.".into()),
            error_type: "value_error".into(),
            categories: Vec::new(),
        }]),
        429 => FalErrorKind::RateLimited,
        400 if proxy_string == Some("Invalid request") => FalErrorKind::ProxyRefused,
        412 => FalErrorKind::ProxyRefused,
        504 if response
            .header("x-fal-request-timeout-type")
            .is_some_and(|t| t.eq_ignore_ascii_case("user")) =>
        {
            FalErrorKind::StartTimeout
        }
        408 | 500..=599 => FalErrorKind::Server { error_type, detail },
        _ => FalErrorKind::Rejected {
            detail: detail.or_else(|| proxy_string.map(str::to_owned)),
        },
    }
}

/// A 2xx without the expected fields: look for an error the proxy
/// relabelled as 200, by body shape only.
fn kind_from_body_alone(
    body: Option<&Value>,
    error_type: Option<String>,
    expected: &str,
) -> FalErrorKind {
    let malformed = |what: String| FalErrorKind::Malformed { what };
    let Some(body) = body else {
        return match error_type {
            Some(error_type) => FalErrorKind::Server {
                error_type: Some(error_type),
                detail: None,
            },
            None => malformed(format!("{expected}, but the answer is not JSON")),
        };
    };
    match body.as_str() {
        Some("Invalid request") => return FalErrorKind::ProxyRefused,
        Some("Unauthorized") => return FalErrorKind::Auth { by_proxy: true },
        _ => {}
    }
    if let Some(kind) = model_error(Some(body), error_type.as_deref()) {
        return kind;
    }
    if let Some(error_type) = error_type {
        return FalErrorKind::Server {
            error_type: Some(error_type),
            detail: detail_text(body),
        };
    }
    if let Some(detail) = detail_text(body) {
        // No status and no error_type: all that is left is fal's wording.
        // fal asks clients not to parse `msg`, so this is a best effort for
        // a proxy that hid the status, limited to phrases fal's own answers
        // use; anything else is shown verbatim.
        let lower = detail.to_ascii_lowercase();
        return if lower.contains("authorization")
            || lower.contains("unauthorized")
            || lower.contains("invalid key")
            || lower.contains("forbidden")
        {
            FalErrorKind::Auth { by_proxy: false }
        } else if lower.contains("not found") {
            FalErrorKind::NotFound
        } else if lower.contains("rate limit") || lower.contains("too many requests") {
            FalErrorKind::RateLimited
        } else {
            FalErrorKind::Rejected {
                detail: Some(detail),
            }
        };
    }
    malformed(format!("{expected}, but got {}", describe_shape(body)))
}

/// A `detail` array (or a content-policy error type) read as input problems.
fn model_error(body: Option<&Value>, error_type: Option<&str>) -> Option<FalErrorKind> {
    let detail = body?.get("detail")?;
    if let Some(items) = detail.as_array() {
        let problems: Vec<InputProblem> = items.iter().filter_map(input_problem).collect();
        if problems.is_empty() {
            return None;
        }
        let flagged: Vec<InputProblem> = problems
            .iter()
            .filter(|p| p.error_type == CONTENT_POLICY_TYPE)
            .cloned()
            .collect();
        return Some(if flagged.is_empty() {
            FalErrorKind::Validation(problems)
        } else {
            FalErrorKind::ContentPolicy(flagged)
        });
    }
    if error_type == Some(CONTENT_POLICY_TYPE) {
        return Some(FalErrorKind::ContentPolicy(vec![InputProblem {
            target: ErrorTarget::Request,
            message: detail.as_str().unwrap_or_default().to_owned(),
            error_type: CONTENT_POLICY_TYPE.into(),
            categories: Vec::new(),
        }]));
    }
    None
}

fn input_problem(item: &Value) -> Option<InputProblem> {
    let loc = item.get("loc")?.as_array()?;
    let categories = item
        .get("categories")
        .or_else(|| item.get("ctx").and_then(|c| c.get("categories")))
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Some(InputProblem {
        target: target_of(loc),
        message: item
            .get("msg")
            .and_then(Value::as_str)
            .unwrap_or("Invalid value.")
            .to_owned(),
        error_type: item
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("value_error")
            .to_owned(),
        categories,
    })
}

/// Maps a pydantic `loc` to what it names. The last element is the field,
/// unless it is a list index, in which case the field is the element before
/// it and the index says which reference (`["body", "reference_image_urls",
/// 1]` is reference image 2). Anything nested deeper resolves to the
/// innermost input name we know.
pub fn target_of(loc: &[Value]) -> ErrorTarget {
    let mut named: Option<(usize, &str)> = None;
    for (i, part) in loc.iter().enumerate() {
        if let Some(name) = part.as_str().filter(|n| *n != "body") {
            if known_field(name).is_some() || named.is_none_or(|(_, n)| known_field(n).is_none()) {
                named = Some((i, name));
            }
        }
    }
    let Some((at, name)) = named else {
        return ErrorTarget::Request;
    };
    let index = loc
        .get(at + 1)
        .and_then(Value::as_u64)
        .and_then(|i| usize::try_from(i).ok());
    match (name, index) {
        ("reference_image_urls", Some(i)) => ErrorTarget::Field(Field::ReferenceImage(i)),
        ("reference_video_urls", Some(i)) => ErrorTarget::Field(Field::ReferenceVideo(i)),
        _ => match known_field(name) {
            Some(field) => ErrorTarget::Field(field),
            None => ErrorTarget::Setting(name.to_owned()),
        },
    }
}

fn known_field(name: &str) -> Option<Field> {
    Some(match name {
        "prompt" => Field::Prompt,
        "negative_prompt" => Field::NegativePrompt,
        "seed" => Field::Seed,
        "reference_image_urls" | "reference_video_urls" => Field::References,
        _ => return None,
    })
}

/// `detail` as text: a string, or the `msg`s of a detail array.
fn detail_text(body: &Value) -> Option<String> {
    match body.get("detail").unwrap_or(&Value::Null) {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            let msgs: Vec<&str> = items
                .iter()
                .filter_map(|i| i.get("msg").and_then(Value::as_str))
                .collect();
            (!msgs.is_empty()).then(|| msgs.join("; "))
        }
        _ => None,
    }
    .or_else(|| {
        body.get("message")
            .and_then(Value::as_str)
            .map(str::to_owned)
    })
}

fn describe_shape(body: &Value) -> String {
    match body {
        Value::Object(map) if map.is_empty() => "an empty object".into(),
        Value::Object(map) => {
            let keys: Vec<&str> = map.keys().take(5).map(String::as_str).collect();
            format!("an object with {}", keys.join(", "))
        }
        Value::Array(_) => "a list".into(),
        Value::String(_) => "a string".into(),
        Value::Null => "null".into(),
        _ => "a bare value".into(),
    }
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
