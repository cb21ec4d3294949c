//! A simulated job and its life: IN_QUEUE with positions counting down,
//! IN_PROGRESS with one log line per interval, then COMPLETED (success or an
//! error result). The phase is computed from the clock, so nothing has to
//! tick in the background and every status call sees a consistent job.

use std::collections::HashMap;
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

/// Live jobs kept at once; a submit beyond this is answered 429.
pub const MAX_JOBS: usize = 10_000;
/// How often every job is looked at to drop expired ones.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// All jobs by id.
#[derive(Debug, Default)]
pub struct JobStore {
    jobs: HashMap<String, Job>,
    last_sweep: Option<Instant>,
}

impl JobStore {
    pub fn insert(&mut self, job: Job) {
        self.jobs.insert(job.id.clone(), job);
    }

    /// Whether another job fits (after dropping expired ones).
    pub fn has_room(&mut self, now: Instant) -> bool {
        if self.jobs.len() >= MAX_JOBS {
            self.last_sweep = None;
            self.sweep(now);
        }
        self.jobs.len() < MAX_JOBS
    }

    /// Drops expired jobs, at most once a second: a status stream looks
    /// its job up many times a second, and must not walk every job.
    fn sweep(&mut self, now: Instant) {
        if self
            .last_sweep
            .is_none_or(|last| now.duration_since(last) >= SWEEP_EVERY)
        {
            self.last_sweep = Some(now);
            self.jobs.retain(|_, job| job.phase(now) != Phase::Expired);
        }
    }

    /// A live job (not expired).
    pub fn get_mut(&mut self, id: &str, now: Instant) -> Option<&mut Job> {
        self.sweep(now);
        if self.jobs.get(id)?.phase(now) == Phase::Expired {
            self.jobs.remove(id);
            return None;
        }
        self.jobs.get_mut(id)
    }

    pub fn remove(&mut self, id: &str) {
        self.jobs.remove(id);
    }

    pub fn clear(&mut self) {
        self.jobs.clear();
    }

    /// `[{request_id, status}]` for the control API.
    pub fn describe(&self, now: Instant) -> Value {
        let mut jobs: Vec<&Job> = self.jobs.values().collect();
        jobs.sort_by_key(|j| j.submitted);
        json!(jobs
            .iter()
            .map(|j| json!({ "request_id": j.id, "phase": format!("{:?}", j.phase(now)) }))
            .collect::<Vec<_>>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulator::knobs::parse_knobs;

    fn job(prompt: &str, now: Instant) -> Job {
        let timings = Timings {
            queue: Duration::from_secs(3),
            queue_position: 2,
            run: Duration::from_secs(8),
            log_interval: Duration::from_secs(1),
            result_ttl: Duration::from_secs(600),
            upload_ttl: Duration::from_secs(120),
            keepalive: Duration::from_secs(15),
            cancel_delay: Duration::from_secs(1),
        };
        let input = R2vInput {
            prompt: prompt.into(),
            ..R2vInput::default()
        };
        let knobs = parse_knobs(prompt).unwrap();
        Job::new(
            "id".into(),
            "fal-ai/wan".into(),
            input,
            knobs,
            &timings,
            "http://h".into(),
            now,
        )
    }

    #[test]
    fn the_demo_pace_counts_2_1_0_then_logs_each_second() {
        let t0 = Instant::now();
        let j = job("p", t0);
        let at = |ms| t0 + Duration::from_millis(ms);
        assert_eq!(j.phase(at(0)), Phase::Queued { position: 2 });
        assert_eq!(j.phase(at(1_100)), Phase::Queued { position: 1 });
        assert_eq!(j.phase(at(2_100)), Phase::Queued { position: 0 });
        assert_eq!(j.phase(at(3_000)), Phase::Running);
        assert_eq!(j.logs(at(3_000)).len(), 1);
        assert_eq!(j.logs(at(5_500)).len(), 3);
        assert_eq!(j.phase(at(11_000)), Phase::Completed);
        assert_eq!(
            j.logs(at(11_000)).len(),
            9,
            "8 run lines and the closing one"
        );
        assert_eq!(j.phase(at(611_000)), Phase::Expired);
        let (code, status) = j.status(at(11_000), "https://queue.fal.run", true);
        assert_eq!(code, StatusCode::OK);
        assert_eq!(status["metrics"]["inference_time"], 8.0);
        assert_eq!(j.status(at(4_000), "b", false).1["logs"], Value::Null);
    }

    #[test]
    fn a_cancel_while_running_ends_early_with_an_error() {
        let t0 = Instant::now();
        let mut j = job("p", t0);
        j.cancel_requested = Some(t0 + Duration::from_secs(4));
        assert_eq!(j.end(), (t0 + Duration::from_secs(5), true));
        assert_eq!(j.ending(), Ending::Cancelled);
        assert_eq!(j.result().0, StatusCode::BAD_REQUEST);
        let ok = job("p", t0);
        assert_eq!(ok.result().0, StatusCode::OK);
        assert_eq!(
            job("[sim:result-500]", t0).result().0,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
