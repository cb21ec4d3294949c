//! Reading a job's status, from a poll (`GET …/status?logs=1`) or from one
//! event of the status stream.
//!
//! fal answers 202 while the job is queued or running and 200 once it is
//! completed; both are success. There is no FAILED status: a failed job is
//! COMPLETED (perhaps with `error`/`error_type`) and its result fetch returns
//! the error. Status strings fal does not document are kept as values, never
//! a panic and never silently treated as progress.

use serde_json::Value;

use crate::core::fal::classify::classify;
use crate::core::fal::error::FalError;
use crate::core::fal::http::HttpResponse;
use crate::core::fal::sse::SseEvent;
use crate::core::job::request_log::RequestLog;

/// Where a job stands, per fal.
#[derive(Debug, Clone, PartialEq)]
pub enum QueueStatus {
    /// Waiting; `position` counts requests ahead (0 = next).
    InQueue { position: Option<u64> },
    /// A runner is working on it.
    InProgress { logs: Vec<RequestLog> },
    /// Finished, successfully or not: the result fetch tells which.
    Completed {
        logs: Vec<RequestLog>,
        /// `metrics.inference_time` in seconds (legacy apps send none).
        inference_time: Option<f64>,
        /// Set when the run failed (read by fal's Python client).
        error: Option<String>,
        error_type: Option<String>,
    },
    /// A status string fal does not document (third-party schemas list
    /// `FAILED` and `CANCELED`).
    Unknown {
        status: String,
        logs: Vec<RequestLog>,
    },
}

impl QueueStatus {
    /// The wire name (`IN_QUEUE`, …).
    pub fn name(&self) -> &str {
        match self {
            QueueStatus::InQueue { .. } => "IN_QUEUE",
            QueueStatus::InProgress { .. } => "IN_PROGRESS",
            QueueStatus::Completed { .. } => "COMPLETED",
            QueueStatus::Unknown { status, .. } => status,
        }
    }

    /// The log lines this status carries.
    pub fn logs(&self) -> &[RequestLog] {
        match self {
            QueueStatus::InQueue { .. } => &[],
            QueueStatus::InProgress { logs }
            | QueueStatus::Completed { logs, .. }
            | QueueStatus::Unknown { logs, .. } => logs,
        }
    }

    /// True when no more statuses will follow: COMPLETED, or an unknown
    /// status whose name says the job ended. For those the result fetch is
    /// what tells success from failure.
    pub fn is_final(&self) -> bool {
        match self {
            QueueStatus::Completed { .. } => true,
            QueueStatus::Unknown { status, .. } => matches!(
                status.to_ascii_uppercase().as_str(),
                "FAILED" | "ERROR" | "CANCELED" | "CANCELLED"
            ),
            _ => false,
        }
    }

    /// Reads a status object; `None` when it has no `status` string.
    pub fn from_json(value: &Value) -> Option<Self> {
        let status = value.get("status")?.as_str()?;
        let logs = || -> Vec<RequestLog> {
            value
                .get("logs")
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|item| serde_json::from_value(item.clone()).ok())
                        .collect()
                })
                .unwrap_or_default()
        };
        let text = |key: &str| {
            value
                .get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Some(match status {
            "IN_QUEUE" => QueueStatus::InQueue {
                position: value.get("queue_position").and_then(Value::as_u64),
            },
            "IN_PROGRESS" => QueueStatus::InProgress { logs: logs() },
            "COMPLETED" => QueueStatus::Completed {
                logs: logs(),
                inference_time: value
                    .get("metrics")
                    .and_then(|m| m.get("inference_time"))
                    .and_then(Value::as_f64),
                error: text("error"),
                error_type: text("error_type"),
            },
            other => QueueStatus::Unknown {
                status: other.to_owned(),
                logs: logs(),
            },
        })
    }
}

/// Reads a polled status answer.
pub fn parse_status(response: &HttpResponse, now_unix_secs: u64) -> Result<QueueStatus, FalError> {
    if response.is_success() {
        if let Some(status) = serde_json::from_str::<Value>(&response.body)
            .ok()
            .as_ref()
            .and_then(QueueStatus::from_json)
        {
            return Ok(status);
        }
    }
    Err(classify(response, now_unix_secs, "expected a job status"))
}

/// Reads one event of the status stream. An event without a status is
/// read as an error body (a proxy or fal may end the stream with one).
pub fn parse_status_event(event: &SseEvent, now_unix_secs: u64) -> Result<QueueStatus, FalError> {
    if let Some(status) = serde_json::from_str::<Value>(&event.data)
        .ok()
        .as_ref()
        .and_then(QueueStatus::from_json)
    {
        return Ok(status);
    }
    let as_answer = HttpResponse::new(200, event.data.clone());
    Err(classify(
        &as_answer,
        now_unix_secs,
        "expected a job status event",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fal::error::FalErrorKind;

    const NOW: u64 = 1_795_513_909;

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(status, body)
    }

    #[test]
    fn reads_in_queue_with_its_position_from_a_202() {
        let body = r#"{"status":"IN_QUEUE","request_id":"764cabcf-b745-4b3e-ae38-1200304cf45b",
            "response_url":"https://queue.fal.run/fal-ai/wan/requests/764cabcf-b745-4b3e-ae38-1200304cf45b",
            "status_url":"https://queue.fal.run/fal-ai/wan/requests/764cabcf-b745-4b3e-ae38-1200304cf45b/status",
            "cancel_url":"https://queue.fal.run/fal-ai/wan/requests/764cabcf-b745-4b3e-ae38-1200304cf45b/cancel",
            "queue_position":3}"#;
        let status = parse_status(&answer(202, body), NOW).unwrap();
        assert_eq!(status, QueueStatus::InQueue { position: Some(3) });
        assert_eq!(status.name(), "IN_QUEUE");
        assert!(!status.is_final());
        assert!(status.logs().is_empty());
    }

    #[test]
    fn reads_in_progress_logs() {
        let body = r#"{"status":"IN_PROGRESS","request_id":"r1","logs":[
            {"message":"Loading model","level":"INFO","source":"USER","timestamp":"2026-11-24T09:52:01.123Z"},
            {"message":"Step 1/30","level":"INFO","source":"USER","timestamp":"2026-11-24T09:52:05.000Z"}]}"#;
        let status = parse_status(&answer(202, body), NOW).unwrap();
        let QueueStatus::InProgress { logs } = &status else {
            panic!("{status:?}")
        };
        assert_eq!(logs.len(), 2);
        assert_eq!(logs[1].message, "Step 1/30");
        assert_eq!(status.logs().len(), 2);
        // fal may send logs: null when logs=0 or none exist.
        let none = parse_status(&answer(202, r#"{"status":"IN_PROGRESS","logs":null}"#), NOW);
        assert_eq!(none.unwrap(), QueueStatus::InProgress { logs: vec![] });
    }

    #[test]
    fn reads_completed_with_metrics_and_optional_error() {
        let ok = r#"{"status":"COMPLETED","request_id":"r1","logs":[],"metrics":{"inference_time":83.21}}"#;
        assert_eq!(
            parse_status(&answer(200, ok), NOW).unwrap(),
            QueueStatus::Completed {
                logs: vec![],
                inference_time: Some(83.21),
                error: None,
                error_type: None,
            }
        );
        let failed = r#"{"status":"COMPLETED","logs":[],"metrics":{"inference_time":null},
            "error":"Runner disconnected","error_type":"runner_disconnected"}"#;
        let status = parse_status(&answer(200, failed), NOW).unwrap();
        assert!(status.is_final());
        assert_eq!(
            status,
            QueueStatus::Completed {
                logs: vec![],
                inference_time: None,
                error: Some("Runner disconnected".into()),
                error_type: Some("runner_disconnected".into()),
            }
        );
        let legacy = parse_status(&answer(200, r#"{"status":"COMPLETED"}"#), NOW).unwrap();
        assert!(matches!(
            legacy,
            QueueStatus::Completed {
                inference_time: None,
                ..
            }
        ));
    }

    #[test]
    fn unknown_statuses_are_values_not_panics() {
        let status = parse_status(&answer(200, r#"{"status":"PAUSED"}"#), NOW).unwrap();
        assert_eq!(status.name(), "PAUSED");
        assert!(!status.is_final());
        for ended in ["FAILED", "CANCELED", "cancelled", "ERROR"] {
            let body = format!(r#"{{"status":"{ended}"}}"#);
            assert!(
                parse_status(&answer(200, &body), NOW).unwrap().is_final(),
                "{ended}"
            );
        }
    }

    #[test]
    fn error_answers_and_wrong_shapes_become_errors() {
        let expired = parse_status(&answer(404, r#"{"detail":"Request not found"}"#), NOW);
        assert_eq!(expired.unwrap_err().kind, FalErrorKind::NotFound);
        let wrapped = parse_status(&answer(200, r#"{"detail":"Request not found"}"#), NOW);
        assert_eq!(wrapped.unwrap_err().kind, FalErrorKind::NotFound);
        let status_not_text = parse_status(&answer(200, r#"{"status":3}"#), NOW).unwrap_err();
        assert!(matches!(
            status_not_text.kind,
            FalErrorKind::Malformed { .. }
        ));
        let not_json = parse_status(&answer(202, "<html>"), NOW).unwrap_err();
        assert!(not_json.message().contains("expected a job status"));
        // A status body on an error code is still an error.
        let odd = parse_status(&answer(500, r#"{"status":"IN_QUEUE"}"#), NOW).unwrap_err();
        assert!(matches!(odd.kind, FalErrorKind::Server { .. }));
    }

    #[test]
    fn stream_events_carry_the_same_status_objects() {
        let event = SseEvent {
            event: "message".into(),
            data: r#"{"status":"IN_QUEUE","queue_position":0}"#.into(),
            id: None,
        };
        assert_eq!(
            parse_status_event(&event, NOW).unwrap(),
            QueueStatus::InQueue { position: Some(0) }
        );
        let error = SseEvent {
            data: r#"{"detail":"Request timed out","error_type":"request_timeout"}"#.into(),
            ..event.clone()
        };
        assert!(matches!(
            parse_status_event(&error, NOW).unwrap_err().kind,
            FalErrorKind::Server { error_type: Some(t), .. } if t == "request_timeout"
        ));
        let junk = SseEvent {
            data: "ping".into(),
            ..event
        };
        assert!(matches!(
            parse_status_event(&junk, NOW).unwrap_err().kind,
            FalErrorKind::Malformed { .. }
        ));
    }
}
