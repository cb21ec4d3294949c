//! fal's queue, simulated: submit, status, status stream, result, cancel,
//! and a synchronous `fal.run` call.
//!
//! Choices where fal's behaviour is unconfirmed (docs/fal-protocol.md §4.6,
//! §4.7): a result fetched before completion answers 400 `{"detail": "Request is
//! still in progress"}`; after the result window every call about the job
//! answers 404; a cancelled queued job is removed (status then 404); a job
//! cancelled while running ends COMPLETED with a 400 `request_cancelled`
//! result; with `logs=0` a status carries `"logs": null`.

use std::sync::Arc;
use std::time::Instant;

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};
use wan_r2v_studio::core::model::schema::ENDPOINT_ID;

use super::faults::FaultRule;
use super::input_check::check_submit;
use super::job_store::MAX_JOBS;
use super::jobs::{Job, Phase};
use super::knobs::{Knobs, Outcome};
use super::{SimRequest, Simulator};
use crate::json_error::json_response;

fn with_request_id(mut response: Response, id: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-fal-request-id"), value);
    }
    response
}

fn detail(status: StatusCode, detail: &str) -> Response {
    json_response(status, &json!({ "detail": detail }))
}

fn request_not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "Request not found")
}

/// Checks the endpoint and body; on success, a new job (not yet stored).
fn new_job(
    sim: &Simulator,
    request: &SimRequest,
    endpoint: &str,
    adjust: impl FnOnce(&mut Knobs),
) -> Result<Job, Box<Response>> {
    if endpoint != ENDPOINT_ID {
        return Err(Box::new(detail(
            StatusCode::NOT_FOUND,
            &format!("Application {endpoint:?} not found (the simulator runs only {ENDPOINT_ID})"),
        )));
    }
    let (input, mut knobs) = check_submit(&request.body).map_err(|detail| {
        Box::new(json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({ "detail": detail }),
        ))
    })?;
    adjust(&mut knobs);
    let owner_alias = endpoint.split('/').take(2).collect::<Vec<_>>().join("/");
    let id = uuid::Uuid::new_v4().to_string();
    let timings = {
        let mut state = sim.lock();
        if !state.jobs.has_room(Instant::now()) {
            return Err(Box::new(detail(
                StatusCode::TOO_MANY_REQUESTS,
                &format!("The simulator holds {MAX_JOBS} jobs; wait for results to expire"),
            )));
        }
        state.timings
    };
    Ok(Job::new(
        id,
        owner_alias,
        input,
        knobs,
        &timings,
        request.origin.clone(),
        Instant::now(),
    ))
}

fn store(sim: &Simulator, job: Job) {
    let mut state = sim.lock();
    if job.outcome == Outcome::Success {
        state.outputs.insert(job.id.clone());
    }
    tracing::info!(request_id = %job.id, outcome = ?job.outcome, "simulated job submitted");
    state.jobs.insert(job);
}

pub fn submit(sim: &Simulator, request: &SimRequest, endpoint: &str) -> Response {
    let job = match new_job(sim, request, endpoint, |_| {}) {
        Ok(job) => job,
        Err(response) => return *response,
    };
    let (_, status) = job.status(Instant::now(), &request.queue_base, false);
    let body = json!({
        "status": "IN_QUEUE",
        "request_id": job.id,
        "response_url": status["response_url"],
        "status_url": status["status_url"],
        "cancel_url": status["cancel_url"],
        "queue_position": job.first_position,
    });
    let id = job.id.clone();
    store(sim, job);
    with_request_id(json_response(StatusCode::OK, &body), &id)
}

/// Runs `f` on a live job that belongs to `owner_alias`.
fn with_job<T>(
    sim: &Simulator,
    owner_alias: &str,
    id: &str,
    f: impl FnOnce(&mut Job, Instant) -> T,
) -> Option<T> {
    let now = Instant::now();
    let mut state = sim.lock();
    let job = state.jobs.get_mut(id, now)?;
    (job.owner_alias == owner_alias).then(|| f(job, now))
}

pub fn status(sim: &Simulator, request: &SimRequest, owner_alias: &str, id: &str) -> Response {
    let logs = request.wants_logs();
    match with_job(sim, owner_alias, id, |job, now| {
        job.status(now, &request.queue_base, logs)
    }) {
        Some((code, body)) => with_request_id(json_response(code, &body), id),
        None => request_not_found(),
    }
}

pub fn status_stream(
    sim: &Arc<Simulator>,
    request: &SimRequest,
    owner_alias: String,
    id: String,
    fault: Option<FaultRule>,
) -> Response {
    if with_job(sim, &owner_alias, &id, |_, _| ()).is_none() {
        return request_not_found();
    }
    let response = super::stream::status_stream(
        sim.clone(),
        id.clone(),
        request.queue_base.clone(),
        request.wants_logs(),
        fault,
    );
    with_request_id(response, &id)
}

pub fn result(sim: &Simulator, owner_alias: &str, id: &str) -> Response {
    let answer = with_job(sim, owner_alias, id, |job, now| match job.phase(now) {
        Phase::Completed => Some(job.result()),
        _ => None,
    });
    match answer {
        None => request_not_found(),
        Some(None) => detail(StatusCode::BAD_REQUEST, "Request is still in progress"),
        Some(Some((code, body))) => with_request_id(result_response(code, &body), id),
    }
}

fn result_response(code: StatusCode, body: &Value) -> Response {
    let mut response = json_response(code, body);
    if let Some(error_type) = body["error_type"].as_str() {
        if let Ok(value) = HeaderValue::from_str(error_type) {
            response
                .headers_mut()
                .insert(HeaderName::from_static("x-fal-error-type"), value);
        }
    }
    if code == StatusCode::UNPROCESSABLE_ENTITY {
        response.headers_mut().insert(
            HeaderName::from_static("x-fal-retryable"),
            HeaderValue::from_static("false"),
        );
    }
    response
}

pub fn cancel(sim: &Simulator, owner_alias: &str, id: &str) -> Response {
    let status = |code: StatusCode, status: &str| json_response(code, &json!({ "status": status }));
    let now = Instant::now();
    let mut state = sim.lock();
    let phase = match state.jobs.get_mut(id, now) {
        Some(job) if job.owner_alias == owner_alias => job.phase(now),
        _ => return status(StatusCode::NOT_FOUND, "NOT_FOUND"),
    };
    match phase {
        Phase::Queued { .. } => {
            state.jobs.remove(id);
            state.outputs.remove(id);
            tracing::info!(request_id = id, "simulated job cancelled while queued");
            drop(state);
            sim.job_changed.notify_waiters();
            status(StatusCode::ACCEPTED, "CANCELLATION_REQUESTED")
        }
        Phase::Running => {
            if let Some(job) = state.jobs.get_mut(id, now) {
                job.cancel_requested.get_or_insert(now);
            }
            state.outputs.remove(id);
            drop(state);
            // Its stream sleeps until the old end: tell it of the new one.
            sim.job_changed.notify_waiters();
            status(StatusCode::ACCEPTED, "CANCELLATION_REQUESTED")
        }
        Phase::Completed | Phase::Expired => status(StatusCode::BAD_REQUEST, "ALREADY_COMPLETED"),
    }
}

/// `fal.run`: no queue; the call blocks for the run time and returns the
/// result (or its error) directly.
pub async fn run(sim: &Simulator, request: &SimRequest, endpoint: &str) -> Response {
    let job = match new_job(sim, request, endpoint, |k| {
        k.queue = Some(Default::default())
    }) {
        Ok(job) => job,
        Err(response) => return *response,
    };
    let (id, (end, _)) = (job.id.clone(), job.end());
    store(sim, job);
    tokio::time::sleep_until(end.into()).await;
    let answer = with_job(sim, &id_owner(endpoint), &id, |job, _| job.result());
    match answer {
        Some((code, body)) => with_request_id(result_response(code, &body), &id),
        None => request_not_found(),
    }
}

fn id_owner(endpoint: &str) -> String {
    endpoint.split('/').take(2).collect::<Vec<_>>().join("/")
}
