//! One way to make a [`JobRecord`] for a test, shared by the core's tests
//! and the browser tests (`tests/web`), so each test states only what
//! matters to it. Plain data; nothing here runs in the app.

use serde_json::json;

use crate::core::fal::endpoint::{QueueEndpoint, RequestUrls, ReturnedUrls};
use crate::core::job::record::{JobRecord, RecordStatus, StoredCost, StoredRequest};
use crate::core::model::schema::R2vInput;

/// Builds a stored job. Starts as a job being submitted, prompt
/// "A koala surfs", 5 s of output at $0.50, no request id yet.
#[derive(Debug, Clone)]
pub struct RecordBuilder {
    record: JobRecord,
}

impl RecordBuilder {
    /// A record with local id `id`, created at `created_at_ms`.
    pub fn new(id: impl Into<String>, created_at_ms: u64) -> Self {
        let input = R2vInput {
            prompt: "A koala surfs".into(),
            ..R2vInput::default()
        };
        let cost = StoredCost {
            cents: 50,
            arithmetic: "5 s output = 5 s × $0.10 = $0.50".into(),
            complete: true,
        };
        Self {
            record: JobRecord::new(id.into(), created_at_ms, input, cost),
        }
    }

    /// Replaces the prompt (the rest of the input stays).
    pub fn prompt(mut self, prompt: impl Into<String>) -> Self {
        self.record.input.prompt = prompt.into();
        self
    }

    /// Replaces the whole input.
    pub fn input(mut self, input: R2vInput) -> Self {
        self.record.input = input;
        self
    }

    /// The estimate shown when the job was sent.
    pub fn cost(mut self, cents: u64, arithmetic: &str) -> Self {
        self.record.cost = StoredCost {
            cents,
            arithmetic: arithmetic.into(),
            complete: true,
        };
        self
    }

    pub fn status(mut self, status: RecordStatus) -> Self {
        self.record.status = status;
        self
    }

    /// fal's request `request_id`, its URLs under `requests_url` (such as
    /// `https://queue.fal.run/fal-ai/wan/requests`).
    pub fn request(mut self, requests_url: &str, request_id: &str) -> Self {
        let base = format!("{}/{request_id}", requests_url.trim_end_matches('/'));
        self.record.request = Some(StoredRequest {
            request_id: request_id.into(),
            status_url: format!("{base}/status"),
            stream_url: format!("{base}/status/stream"),
            cancel_url: format!("{base}/cancel"),
            response_url: base,
        });
        self
    }

    /// The model's output: a video at `video_url` made with `seed`.
    pub fn output(mut self, video_url: &str, seed: i64) -> Self {
        let output = json!({"video": {"url": video_url}, "seed": seed});
        self.record.output =
            Some(serde_json::from_value(output).expect("a video and a seed are a whole output"));
        self
    }

    /// When COMPLETED was first seen.
    pub fn completed_at(mut self, ms: u64) -> Self {
        self.record.completed_at_ms = Some(ms);
        self
    }

    /// The failure message shown for the job.
    pub fn error(mut self, message: impl Into<String>) -> Self {
        self.record.error = Some(message.into());
        self
    }

    pub fn build(self) -> JobRecord {
        self.record
    }
}

/// The request id fal gave a job in the tests (a real id's shape).
pub const REQUEST_ID: &str = "764cabcf-b745-4b3e-ae38-1200304cf45b";

/// The URLs of request [`REQUEST_ID`] on the model's queue at
/// `https://queue.fal.run`, built as fal documents them.
pub fn queue_request_urls() -> RequestUrls {
    QueueEndpoint::new(
        "https://queue.fal.run",
        "fal-ai/wan/v2.7/reference-to-video",
    )
    .expect("the model's queue endpoint is valid")
    .urls_for(REQUEST_ID, &ReturnedUrls::default())
    .expect("a well-formed request id has URLs")
}
