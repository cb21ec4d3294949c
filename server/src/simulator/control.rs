//! `/sim/control` and `/sim/journal`: how tests steer the simulator at run
//! time and read back what the app sent.
//!
//! `POST /sim/control` takes any of these keys, applied in this order:
//!
//! ```json
//! { "reset": true,
//!   "clear_faults": true,
//!   "timings": { "queue_ms": 300, "queue_position": 2, "run_ms": 800, "log_interval_ms": 100,
//!                "result_ttl_ms": 2000, "upload_ttl_ms": 1000, "keepalive_ms": 200,
//!                "cancel_delay_ms": 100 },
//!   "faults": [ { "route": "status", "kind": "http", "status": 429, "retry_after": 2, "times": 1 } ],
//!   "outage": { "seconds": 5, "kind": "http", "status": 503 },
//!   "complete": "<request_id>",
//!   "expire": "<request_id>" }
//! ```
//!
//! and answers the state (`timings`, active `faults`, `jobs`); `GET` answers
//! the state alone. Unknown keys are refused (400), so a typo cannot pass.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::faults::{FaultKind, FaultRule};
use super::timings::TimingsChange;
use super::Simulator;
use crate::json_error::{json_error, json_response};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ControlRequest {
    #[serde(default)]
    reset: bool,
    #[serde(default)]
    clear_faults: bool,
    timings: Option<TimingsChange>,
    #[serde(default)]
    faults: Vec<FaultRule>,
    outage: Option<Outage>,
    complete: Option<IdOrIds>,
    expire: Option<IdOrIds>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum IdOrIds {
    One(String),
    Many(Vec<String>),
}

impl IdOrIds {
    fn ids(&self) -> Vec<String> {
        match self {
            IdOrIds::One(id) => vec![id.clone()],
            IdOrIds::Many(ids) => ids.clone(),
        }
    }
}

/// Every fal queue and REST route fails for `seconds`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Outage {
    seconds: f64,
    #[serde(default = "http_kind")]
    kind: FaultKind,
    status: Option<u16>,
}

fn http_kind() -> FaultKind {
    FaultKind::Http
}

fn state_view(sim: &Simulator) -> Value {
    let now = Instant::now();
    let state = sim.lock();
    json!({
        "timings": state.timings.to_change(),
        "faults": state.faults.describe(now),
        "jobs": state.jobs.describe(now),
    })
}

pub async fn get_control(State(sim): State<Arc<Simulator>>) -> Response {
    json_response(StatusCode::OK, &state_view(&sim))
}

pub async fn post_control(State(sim): State<Arc<Simulator>>, body: Bytes) -> Response {
    let request: ControlRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => return json_error(StatusCode::BAD_REQUEST, format!("control: {e}")),
    };
    let mut rules = request.faults;
    if let Some(outage) = request.outage {
        if !matches!(outage.kind, FaultKind::Http | FaultKind::Drop) {
            return json_error(
                StatusCode::BAD_REQUEST,
                "control: outage kind must be http or drop",
            );
        }
        let mut rule = FaultRule::new("fal", outage.kind);
        rule.status = outage.status;
        rule.seconds = Some(outage.seconds);
        rules.push(rule);
    }
    if let Some(error) = rules.iter().find_map(|r| r.check().err()) {
        return json_error(StatusCode::BAD_REQUEST, format!("control: {error}"));
    }
    let now = Instant::now();
    {
        let mut state = sim.lock();
        if request.reset {
            state.timings = sim.defaults;
            state.jobs.clear();
            state.storage.clear();
            state.faults.clear();
            state.journal.clear();
            state.outputs.clear();
        }
        if request.clear_faults {
            state.faults.clear();
        }
        if let Some(change) = &request.timings {
            state.timings.apply(change);
        }
        for rule in rules {
            state.faults.add(rule, now);
        }
        for (ids, expire) in [(&request.complete, false), (&request.expire, true)] {
            for id in ids.iter().flat_map(IdOrIds::ids) {
                let Some(job) = state.jobs.get_mut(&id, now) else {
                    return json_error(StatusCode::NOT_FOUND, format!("control: no job {id:?}"));
                };
                job.forced_end = Some(job.forced_end.map_or(now, |f| f.min(now)));
                if expire {
                    job.result_ttl = Duration::ZERO;
                }
            }
        }
    }
    sim.job_changed.notify_waiters();
    json_response(StatusCode::OK, &state_view(&sim))
}

pub async fn get_journal(State(sim): State<Arc<Simulator>>) -> Response {
    let entries = sim.lock().journal.entries();
    json_response(StatusCode::OK, &json!(entries))
}

pub async fn delete_journal(State(sim): State<Arc<Simulator>>) -> Response {
    sim.lock().journal.clear();
    StatusCode::NO_CONTENT.into_response()
}
