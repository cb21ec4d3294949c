//! Reading the answers to submit, cancel and result.

use serde_json::Value;

use crate::core::fal::classify::classify;
use crate::core::fal::endpoint::{check_request_id, ReturnedUrls};
use crate::core::fal::error::FalError;
use crate::core::fal::http::HttpResponse;
use crate::core::model::schema::{OffSchema, R2vOutput, VideoFile};
use crate::core::url;

/// What a successful submit tells us. Only `request_id` is required: the
/// URLs are preferred when trustworthy (see `endpoint`), the rest is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub request_id: String,
    pub returned: ReturnedUrls,
    pub queue_position: Option<u64>,
    /// Sent with webhooks: the id of the last gateway attempt. Kept for
    /// support; never used to address the request.
    pub gateway_request_id: Option<String>,
}

/// Reads the submit answer (`{status: "IN_QUEUE", request_id, …}`).
pub fn parse_submit(response: &HttpResponse, now_unix_secs: u64) -> Result<Submitted, FalError> {
    let body: Option<Value> = serde_json::from_str(&response.body).ok();
    let request_id = body
        .as_ref()
        .and_then(|b| b.get("request_id"))
        .and_then(Value::as_str);
    let (true, Some(body), Some(request_id)) = (response.is_success(), &body, request_id) else {
        return Err(classify(response, now_unix_secs, "expected a request id"));
    };
    if check_request_id(request_id).is_err() {
        let mut error = FalError::malformed(format!(
            "the request id {request_id:?} cannot be used in a URL"
        ));
        error.http_status = Some(response.status);
        return Err(error);
    }
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
    Ok(Submitted {
        request_id: request_id.to_owned(),
        returned: ReturnedUrls {
            status_url: text("status_url"),
            response_url: text("response_url"),
            cancel_url: text("cancel_url"),
        },
        queue_position: body.get("queue_position").and_then(Value::as_u64),
        gateway_request_id: text("gateway_request_id"),
    })
}

/// What a cancel achieved. fal's docs list these four body values; which
/// HTTP code comes with each is not settled (202, 200, 400 and 404 are all
/// reported), so the body decides whenever it names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    /// `OK`: removed from the queue; it will not run or be billed.
    Cancelled,
    /// `CANCELLATION_REQUESTED`: the runner was told to stop; the job may
    /// still finish (and be billed), so keep following it.
    CancellationRequested,
    /// `ALREADY_COMPLETED`: too late; fetch the result.
    AlreadyCompleted,
    /// `NOT_FOUND`: fal does not know the request (any more).
    NotFound,
}

/// Reads a cancel answer.
pub fn parse_cancel(
    response: &HttpResponse,
    now_unix_secs: u64,
) -> Result<CancelOutcome, FalError> {
    let status = serde_json::from_str::<Value>(&response.body)
        .ok()
        .and_then(|b| b.get("status").and_then(Value::as_str).map(str::to_owned));
    match status.as_deref() {
        Some("OK") => Ok(CancelOutcome::Cancelled),
        Some("CANCELLATION_REQUESTED") => Ok(CancelOutcome::CancellationRequested),
        Some("ALREADY_COMPLETED") => Ok(CancelOutcome::AlreadyCompleted),
        Some("NOT_FOUND") => Ok(CancelOutcome::NotFound),
        // fal-js accepts any 2xx. Without a recognised body we cannot know
        // the job stopped, so we assume only that the request was taken.
        _ if response.is_success() && !looks_like_error(&response.body) => {
            Ok(CancelOutcome::CancellationRequested)
        }
        _ => Err(classify(
            response,
            now_unix_secs,
            "expected a cancel status",
        )),
    }
}

fn looks_like_error(body: &str) -> bool {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::String(_)) => true,
        Ok(value) => value.get("detail").is_some() || value.get("error_type").is_some(),
        Err(_) => false,
    }
}

/// Reads the result: the model's output, or the error the run ended with
/// (fal answers the result fetch with the model's own error).
///
/// A result is a paid video. One that does not match the schema (no
/// `seed`, say) is still read when its `video.url` is usable, with what was
/// wrong and the body as it came ([`OffSchema`]).
pub fn parse_result(response: &HttpResponse, now_unix_secs: u64) -> Result<R2vOutput, FalError> {
    if response.is_success() {
        if let Some(output) = read_output(&response.body) {
            if !url::is_web_url(&output.video.url) {
                let mut error = FalError::malformed(format!(
                    "the video address {:?} is not an http(s) link",
                    output.video.url
                ));
                error.http_status = Some(response.status);
                return Err(error);
            }
            return Ok(output);
        }
    }
    Err(classify(
        response,
        now_unix_secs,
        "expected the generated video",
    ))
}

/// Each answer fal documents to a cancel, as (HTTP status, body, outcome):
/// the parser's tests and the canceller's tests both go through all of them.
#[cfg(test)]
pub(crate) const DOCUMENTED_CANCEL_ANSWERS: [(u16, &str, CancelOutcome); 4] = [
    (
        202,
        r#"{"status":"CANCELLATION_REQUESTED"}"#,
        CancelOutcome::CancellationRequested,
    ),
    (200, r#"{"status":"OK"}"#, CancelOutcome::Cancelled),
    (
        400,
        r#"{"status":"ALREADY_COMPLETED"}"#,
        CancelOutcome::AlreadyCompleted,
    ),
    (404, r#"{"status":"NOT_FOUND"}"#, CancelOutcome::NotFound),
];
/// The output, strictly by the schema, or leniently when only the video
/// is sure. `None` when there is no video address at all.
fn read_output(body: &str) -> Option<R2vOutput> {
    let value: Value = serde_json::from_str(body).ok()?;
    let mut problems = Vec::new();
    let seed = match value.get("seed") {
        Some(seed) => seed.as_i64().or_else(|| {
            problems.push("`seed` is not a whole number".to_owned());
            None
        }),
        None => {
            problems.push("no `seed`".to_owned());
            None
        }
    };
    let video = value.get("video")?;
    let url = video.get("url")?.as_str()?.to_owned();
    let file: VideoFile = match serde_json::from_value(video.clone()) {
        Ok(file) => file,
        Err(e) => {
            problems.push(format!("`video` does not match the schema ({e})"));
            VideoFile::from_url(url)
        }
    };
    let actual_prompt = match value.get("actual_prompt") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => {
            problems.push("`actual_prompt` is not text".to_owned());
            None
        }
    };
    let off_schema = (!problems.is_empty()).then(|| OffSchema {
        problems,
        raw: body.chars().take(OffSchema::RAW_MAX_CHARS).collect(),
    });
    Some(R2vOutput {
        video: file,
        seed,
        actual_prompt,
        off_schema,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fal::error::{ErrorTarget, FalErrorKind};
    use crate::core::model::validation::Field;

    const NOW: u64 = 1_795_513_909;
    const ID: &str = "764cabcf-b745-4b3e-ae38-1200304cf45b";

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(status, body).with_header("x-fal-request-id", ID)
    }

    #[test]
    fn reads_the_submit_answer_with_its_urls() {
        let body = format!(
            r#"{{"status":"IN_QUEUE","request_id":"{ID}",
            "response_url":"https://queue.fal.run/fal-ai/wan/requests/{ID}",
            "status_url":"https://queue.fal.run/fal-ai/wan/requests/{ID}/status",
            "cancel_url":"https://queue.fal.run/fal-ai/wan/requests/{ID}/cancel",
            "queue_position":0,"gateway_request_id":"gw-1"}}"#
        );
        let submitted = parse_submit(&answer(200, &body), NOW).unwrap();
        assert_eq!(submitted.request_id, ID);
        assert_eq!(submitted.queue_position, Some(0));
        assert_eq!(submitted.gateway_request_id.as_deref(), Some("gw-1"));
        assert_eq!(
            submitted.returned.cancel_url.as_deref(),
            Some(format!("https://queue.fal.run/fal-ai/wan/requests/{ID}/cancel").as_str())
        );
        let minimal =
            parse_submit(&answer(202, &format!(r#"{{"request_id":"{ID}"}}"#)), NOW).unwrap();
        assert_eq!(minimal.returned, ReturnedUrls::default());
    }

    #[test]
    fn submit_errors_are_classified() {
        let body =
            r#"{"detail":[{"loc":["body","prompt"],"msg":"Field required","type":"missing"}]}"#;
        let error = parse_submit(&answer(422, body), NOW).unwrap_err();
        assert_eq!(error.request_id.as_deref(), Some(ID));
        let FalErrorKind::Validation(p) = &error.kind else {
            panic!("{error:?}")
        };
        assert_eq!(p[0].target, ErrorTarget::Field(Field::Prompt));
        // Through the Express proxy the same error arrives as 200.
        let wrapped = parse_submit(&answer(200, body), NOW).unwrap_err();
        assert!(matches!(wrapped.kind, FalErrorKind::Validation(_)));
        let rate = parse_submit(&answer(429, "{}"), NOW).unwrap_err();
        assert_eq!(rate.kind, FalErrorKind::RateLimited);
        let bad_id = parse_submit(&answer(200, r#"{"request_id":"../../x"}"#), NOW).unwrap_err();
        assert!(matches!(bad_id.kind, FalErrorKind::Malformed { .. }));
        let no_id = parse_submit(&answer(200, r#"{"status":"IN_QUEUE"}"#), NOW).unwrap_err();
        assert!(no_id.message().contains("expected a request id"));
    }

    #[test]
    fn cancel_outcomes_come_from_the_body_whatever_the_code() {
        let undocumented = [
            (
                200,
                r#"{"status":"ALREADY_COMPLETED"}"#,
                CancelOutcome::AlreadyCompleted,
            ),
            (202, "", CancelOutcome::CancellationRequested),
        ];
        for (code, body, expected) in DOCUMENTED_CANCEL_ANSWERS.into_iter().chain(undocumented) {
            assert_eq!(
                parse_cancel(&answer(code, body), NOW),
                Ok(expected),
                "{code} {body}"
            );
        }
        let denied = parse_cancel(&answer(401, r#"{"detail":"Unauthorized"}"#), NOW).unwrap_err();
        assert_eq!(denied.kind, FalErrorKind::Auth { by_proxy: false });
        let wrapped = parse_cancel(&answer(200, r#""Invalid request""#), NOW).unwrap_err();
        assert_eq!(wrapped.kind, FalErrorKind::ProxyRefused);
        let gone = parse_cancel(&answer(404, r#"{"detail":"Not Found"}"#), NOW).unwrap_err();
        assert_eq!(gone.kind, FalErrorKind::NotFound);
    }

    #[test]
    fn reads_the_result_or_the_error_the_run_ended_with() {
        let body = r#"{"video":{"url":"https://v3b.fal.media/files/b/koala/output.mp4","content_type":"video/mp4","file_size":4404019},"seed":42,"actual_prompt":"Image 1 walks"}"#;
        let output = parse_result(&answer(200, body), NOW).unwrap();
        assert_eq!(output.seed, Some(42));
        assert_eq!(output.off_schema, None);
        assert!(output.video.url.ends_with("output.mp4"));

        let policy = r#"{"detail":[{"loc":["body"],"msg":"Output video was flagged","type":"content_policy_violation"}]}"#;
        let error = parse_result(&answer(422, policy), NOW).unwrap_err();
        assert!(matches!(error.kind, FalErrorKind::ContentPolicy(_)));
        let expired =
            parse_result(&answer(404, r#"{"detail":"Request not found"}"#), NOW).unwrap_err();
        assert_eq!(expired.kind, FalErrorKind::NotFound);
        let server = parse_result(
            &answer(
                500,
                r#"{"detail":"CUDA out of memory","error_type":"internal_error"}"#,
            ),
            NOW,
        )
        .unwrap_err();
        assert!(matches!(server.kind, FalErrorKind::Server { .. }));
        let script = r#"{"video":{"url":"javascript:alert(1)"},"seed":1}"#;
        let error = parse_result(&answer(200, script), NOW).unwrap_err();
        assert!(matches!(error.kind, FalErrorKind::Malformed { .. }));
        let wrong = parse_result(&answer(200, r#"{"images":[]}"#), NOW).unwrap_err();
        assert!(wrong.message().contains("expected the generated video"));
    }

    #[test]
    fn a_result_off_the_schema_is_still_the_paid_video() {
        let body = r#"{"video":{"url":"https://v3b.fal.media/files/b/koala/output.mp4","width":"wide"},"actual_prompt":7}"#;
        let output = parse_result(&answer(200, body), NOW).unwrap();
        assert_eq!(
            output.video.url,
            "https://v3b.fal.media/files/b/koala/output.mp4"
        );
        assert_eq!(output.seed, None);
        let off = output.off_schema.expect("what was wrong is kept");
        assert_eq!(off.raw, body);
        assert_eq!(off.problems[0], "no `seed`");
        assert!(off.problems[1].starts_with("`video` does not match the schema"));
        assert_eq!(off.problems[2], "`actual_prompt` is not text");
        let text_seed = r#"{"video":{"url":"https://v3b.fal.media/o.mp4"},"seed":"42"}"#;
        let output = parse_result(&answer(200, text_seed), NOW).unwrap();
        assert_eq!(
            output.off_schema.unwrap().problems,
            ["`seed` is not a whole number"]
        );
        // Without a usable address there is nothing to show: an error, as before.
        let script = r#"{"video":{"url":"javascript:alert(1)"}}"#;
        assert!(parse_result(&answer(200, script), NOW).is_err());
        // The record keeps it, and reads it back.
        let stored =
            serde_json::to_string(&parse_result(&answer(200, body), NOW).unwrap()).unwrap();
        let back: R2vOutput = serde_json::from_str(&stored).unwrap();
        assert_eq!(back.off_schema.unwrap().raw, body);
    }
}
