//! A simulated job and its life: IN_QUEUE with positions counting down,
//! IN_PROGRESS with one log line per interval, then COMPLETED (success or an
//! error result). The phase is computed from the clock, so nothing has to
//! tick in the background and every status call sees a consistent job.

use std::time::{Duration, Instant, SystemTime};

use axum::http::StatusCode;
use serde_json::{json, Value};
use wan_r2v_studio::core::model::schema::R2vInput;

use super::knobs::{Knobs, Outcome};
use super::output::build_output;
use super::timings::Timings;
use crate::timefmt::iso8601;

#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    /// `owner/alias`: the only part of the endpoint request URLs carry.
    pub owner_alias: String,
    pub input: R2vInput,
    pub outcome: Outcome,
    pub submitted: Instant,
    pub submitted_wall: SystemTime,
    pub queue: Duration,
    pub run: Duration,
    pub first_position: u32,
    pub log_interval: Duration,
    pub cancel_delay: Duration,
    pub result_ttl: Duration,
    /// Set by a cancel while running: the job stops `cancel_delay` later.
    pub cancel_requested: Option<Instant>,
    /// Set by the control API's "complete now".
    pub forced_end: Option<Instant>,
    /// The origin the output video is served from.
    pub files_origin: String,
}

/// Where a job is at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Queued {
        position: u32,
    },
    Running,
    Completed,
    /// Completed and past the result window: treated as unknown.
    Expired,
}

/// How a completed job ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Ending {
    Outcome(Outcome),
    Cancelled,
}

impl Job {
    pub fn new(
        id: String,
        owner_alias: String,
        input: R2vInput,
        knobs: Knobs,
        timings: &Timings,
        files_origin: String,
        now: Instant,
    ) -> Self {
        Self {
            id,
            owner_alias,
            input,
            outcome: knobs.outcome,
            submitted: now,
            submitted_wall: SystemTime::now(),
            queue: knobs.queue.unwrap_or(timings.queue),
            run: knobs.run.unwrap_or(timings.run),
            first_position: knobs.queue_position.unwrap_or(timings.queue_position),
            log_interval: timings.log_interval,
            cancel_delay: timings.cancel_delay,
            result_ttl: timings.result_ttl,
            cancel_requested: None,
            forced_end: None,
            files_origin,
        }
    }

    fn run_start(&self) -> Instant {
        (self.submitted + self.queue).min(self.end().0)
    }

    /// When the job completes, and whether a cancel is why.
    pub fn end(&self) -> (Instant, bool) {
        let mut end = self.submitted + self.queue + self.run;
        if let Some(forced) = self.forced_end {
            end = end.min(forced);
        }
        match self.cancel_requested.map(|c| c + self.cancel_delay) {
            Some(stop) if stop < end => (stop, true),
            _ => (end, false),
        }
    }

    pub fn ending(&self) -> Ending {
        if self.end().1 {
            Ending::Cancelled
        } else {
            Ending::Outcome(self.outcome.clone())
        }
    }

    pub fn phase(&self, now: Instant) -> Phase {
        let (end, _) = self.end();
        if now >= end + self.result_ttl {
            return Phase::Expired;
        }
        if now >= end {
            return Phase::Completed;
        }
        let waited = now.duration_since(self.submitted);
        if waited < self.queue {
            // Positions first_position..=0 each get an equal slice of the wait.
            let slices = u128::from(self.first_position) + 1;
            let slice = (waited.as_nanos() * slices / self.queue.as_nanos().max(1)) as u32;
            return Phase::Queued {
                position: self.first_position.saturating_sub(slice),
            };
        }
        Phase::Running
    }

    /// When the status a stream sends (with or without logs) next changes:
    /// the next queue position, the start of the run, the next log line,
    /// or the end; `None` once the job is complete. A cancel or the control
    /// API can bring the end forward; they wake streams themselves.
    pub fn next_change(&self, now: Instant, with_logs: bool) -> Option<Instant> {
        let (end, _) = self.end();
        if now >= end {
            return None;
        }
        let waited = now.duration_since(self.submitted);
        let next = if waited < self.queue {
            // Phase `k` starts at the first instant where
            // floor(waited * slices / queue) = k, i.e. ceil(k * queue / slices).
            let slices = u128::from(self.first_position) + 1;
            let queue = self.queue.as_nanos().max(1);
            let slice = waited.as_nanos() * slices / queue;
            let boundary = ((slice + 1) * queue).div_ceil(slices);
            self.submitted + Duration::from_nanos(u64::try_from(boundary).unwrap_or(u64::MAX))
        } else if with_logs {
            let start = self.run_start();
            let interval = self.log_interval.max(Duration::from_millis(1));
            let written = now.duration_since(start).as_nanos() / interval.as_nanos() + 1;
            start + interval * u32::try_from(written).unwrap_or(u32::MAX)
        } else {
            end
        };
        Some(next.min(end))
    }

    /// Log lines written up to `now`, as fal's `RequestLog`.
    pub fn logs(&self, now: Instant) -> Vec<Value> {
        let start = self.run_start();
        if now < start {
            return Vec::new();
        }
        let (end, _) = self.end();
        let until = now.min(end);
        let steps = (self.run.as_nanos() / self.log_interval.as_nanos().max(1)).max(1) as u32;
        let written = (until.duration_since(start).as_nanos() / self.log_interval.as_nanos().max(1))
            as u32
            + 1;
        let mut logs: Vec<Value> = (0..written.min(steps))
            .map(|i| {
                let message = match i {
                    0 => "Simulated run started: no real model, no cost".to_owned(),
                    1 => format!(
                        "Loaded references: {} image(s), {} video(s)",
                        self.input.reference_image_urls.len(),
                        self.input.reference_video_urls.len()
                    ),
                    _ => format!("Generating video: step {i} of {}", steps - 1),
                };
                self.log_line(message, start + self.log_interval * i)
            })
            .collect();
        if now >= end {
            let last = match self.ending() {
                Ending::Cancelled => "Cancelled at the client's request",
                Ending::Outcome(Outcome::Success) => "Simulated video ready",
                Ending::Outcome(_) => "The run ended with an error",
            };
            logs.push(self.log_line(last.to_owned(), end));
        }
        logs
    }

    fn log_line(&self, message: String, at: Instant) -> Value {
        let wall = self.submitted_wall + at.duration_since(self.submitted);
        json!({ "message": message, "level": "INFO", "source": "USER", "timestamp": iso8601(wall) })
    }

    /// The status body and code (202 until COMPLETED, then 200), with URLs
    /// under `queue_base` and only owner/alias in the path, as fal builds them.
    pub fn status(&self, now: Instant, queue_base: &str, with_logs: bool) -> (StatusCode, Value) {
        let url = format!("{queue_base}/{}/requests/{}", self.owner_alias, self.id);
        let mut body = json!({
            "request_id": self.id,
            "response_url": url,
            "status_url": format!("{url}/status"),
            "cancel_url": format!("{url}/cancel"),
        });
        let logs = if with_logs {
            json!(self.logs(now))
        } else {
            Value::Null
        };
        let code = match self.phase(now) {
            Phase::Queued { position } => {
                body["status"] = json!("IN_QUEUE");
                body["queue_position"] = json!(position);
                StatusCode::ACCEPTED
            }
            Phase::Running => {
                body["status"] = json!("IN_PROGRESS");
                body["logs"] = logs;
                StatusCode::ACCEPTED
            }
            Phase::Completed | Phase::Expired => {
                body["status"] = json!("COMPLETED");
                body["logs"] = logs;
                let (end, _) = self.end();
                let inference = end.saturating_duration_since(self.run_start());
                body["metrics"] = json!({ "inference_time": inference.as_secs_f64() });
                if let Some((_, error, error_type)) = self.error_result() {
                    body["error"] = json!(error);
                    body["error_type"] = json!(error_type);
                }
                StatusCode::OK
            }
        };
        (code, body)
    }

    /// For error endings: the result's status, a message, and an error type.
    fn error_result(&self) -> Option<(StatusCode, &'static str, &'static str)> {
        match self.ending() {
            Ending::Outcome(Outcome::Success) => None,
            Ending::Cancelled => Some((
                StatusCode::BAD_REQUEST,
                "Request was cancelled",
                "request_cancelled",
            )),
            Ending::Outcome(Outcome::ContentPolicy { .. }) => Some((
                StatusCode::UNPROCESSABLE_ENTITY,
                "The content could not be processed because it contained material flagged by a content checker.",
                "content_policy_violation",
            )),
            Ending::Outcome(Outcome::Invalid) => Some((
                StatusCode::UNPROCESSABLE_ENTITY,
                "Simulated validation error after the run ([sim:result-422])",
                "value_error",
            )),
            Ending::Outcome(Outcome::ModelError) => Some((
                StatusCode::INTERNAL_SERVER_ERROR,
                "Simulated model failure ([sim:result-500])",
                "internal_server_error",
            )),
        }
    }

    /// The result of a completed job: the output, or the error fal would
    /// return (422 with a `detail` list for model errors; a flat
    /// `{detail, error_type}` for 500 and for cancellations).
    pub fn result(&self) -> (StatusCode, Value) {
        let Some((code, message, error_type)) = self.error_result() else {
            let output = build_output(&self.input, &self.files_origin, &self.id);
            return (
                StatusCode::OK,
                serde_json::to_value(output).expect("output"),
            );
        };
        let body = match &self.outcome {
            _ if code != StatusCode::UNPROCESSABLE_ENTITY => {
                json!({ "detail": message, "error_type": error_type })
            }
            Outcome::ContentPolicy { loc } => json!({ "detail": [{
                "loc": loc,
                "msg": message,
                "type": error_type,
                "url": "https://docs.fal.ai/errors#content_policy_violation",
                "ctx": { "extra_info": "simulated" },
            }]}),
            _ => {
                json!({ "detail": [{ "loc": ["body", "prompt"], "msg": message, "type": error_type }] })
            }
        };
        (code, body)
    }
}

#[cfg(test)]
#[path = "jobs_tests.rs"]
mod tests;
