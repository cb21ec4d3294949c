//! The follow loop: performs the [`Follower`]'s steps (stream, poll, result)
//! and the cancel call, feeding every answer to the job and the follower.

use leptos::prelude::*;

use crate::core::fal::answers::{parse_cancel, parse_result, CancelOutcome};
use crate::core::fal::calls::{self, CallKind, FalCall};
use crate::core::fal::classify::classify;
use crate::core::fal::error::FalError;
use crate::core::fal::http::HttpResponse;
use crate::core::fal::retry::{decide, RetryDecision};
use crate::core::fal::sse::{SseItem, SseParser};
use crate::core::fal::status::{parse_status, parse_status_event};
use crate::core::job::display::cancel_outcome_text;
use crate::core::job::follow::{
    is_event_stream, Follower, Step, StreamEnd, FIRST_EVENT_LIMIT, STREAM_SILENCE_LIMIT,
};
use crate::core::job::result_info::playable_url;
use crate::core::job::state::{Job, JobEvent};

use super::early_player;
use super::fetch::{open_stream, send, FetchFailure};
use super::job_runner::{Route, RunningJob};
use super::timer::{jitter, now_ms, Alarm, Watchdog};

fn now_secs() -> u64 {
    now_ms() / 1000
}

/// Follows the job until its outcome is known or it is stopped.
pub(super) async fn follow(running: RunningJob, mut follower: Follower, route: &Route) {
    let alarm: Alarm = running.alarm.with_value(|a| (**a).clone());
    let online = running.online.with_value(|o| (**o).clone());
    loop {
        if online.replace(false) {
            follower.on_online();
        }
        // Cancel first: it is the last thing the person asked for.
        if running.job.with_untracked(Job::needs_cancel_call) {
            send_cancel(&running, route, &alarm).await;
            continue;
        }
        if running.job.with_untracked(Job::is_finished) {
            follower.stop();
            return;
        }
        match follower.next_step() {
            Step::OpenStream(call) => {
                let end = read_stream(&running, &mut follower, route, &alarm, &call).await;
                follower.on_stream_end(end);
            }
            Step::Poll { after, call } => {
                alarm.sleep(after).await;
                if running.job.with_untracked(Job::needs_cancel_call) {
                    continue;
                }
                match read(&call, route, &alarm, parse_status).await {
                    Ok(status) => {
                        follower.on_status(&status);
                        running.apply(JobEvent::StatusReceived(status));
                    }
                    Err(ReadError::Interrupted) => continue,
                    Err(ReadError::Failed(error)) => {
                        if let Some(fatal) = follower.on_poll_failed(error, jitter()) {
                            running.apply(JobEvent::Failed(fatal));
                        }
                    }
                }
            }
            Step::FetchResult { after, call } => {
                alarm.sleep(after).await;
                match read(&call, route, &alarm, parse_result).await {
                    Ok(output) => {
                        if let Some(url) = playable_url(&output) {
                            early_player::start(url);
                        }
                        follower.on_result();
                        running.apply(JobEvent::ResultReceived(output));
                    }
                    Err(ReadError::Interrupted) => continue,
                    Err(ReadError::Failed(error)) => {
                        if let Some(fatal) = follower.on_result_failed(error, jitter()) {
                            running.apply(JobEvent::Failed(fatal));
                        }
                    }
                }
            }
            Step::Stop => return,
        }
        running
            .trouble
            .set(follower.trouble().map(FalError::message));
    }
}

/// Why a read brought no usable answer.
enum ReadError {
    /// Our own alarm cut it short (Cancel pressed, back online): not a
    /// failure, just go round the loop again.
    Interrupted,
    Failed(FalError),
}

impl From<FalError> for ReadError {
    fn from(error: FalError) -> Self {
        ReadError::Failed(error)
    }
}

/// Sends a read and parses its answer with `parse`.
async fn read<T>(
    call: &FalCall,
    route: &Route,
    alarm: &Alarm,
    parse: impl FnOnce(&HttpResponse, u64) -> Result<T, FalError>,
) -> Result<T, ReadError> {
    let request = route.transport.prepare(call);
    let controller = alarm.request_controller();
    match send(&request, None, Some(&controller.signal())).await {
        Ok(answer) => Ok(parse(&answer, now_secs())?),
        Err(FetchFailure::Aborted) => Err(ReadError::Interrupted),
        Err(FetchFailure::Network(failure)) => Err(ReadError::Failed(FalError::network(failure))),
    }
}

/// Reads the status stream until it ends, feeding each status in.
async fn read_stream(
    running: &RunningJob,
    follower: &mut Follower,
    route: &Route,
    alarm: &Alarm,
    call: &FalCall,
) -> StreamEnd {
    let request = route.transport.prepare(call);
    let controller = alarm.request_controller();
    let watchdog = Watchdog::new(controller.clone());
    watchdog.feed(FIRST_EVENT_LIMIT);
    let aborted = |watchdog: &Watchdog| {
        if watchdog.fired() {
            StreamEnd::Silent
        } else {
            StreamEnd::Closed
        }
    };
    let mut stream = match open_stream(&request, Some(&controller.signal())).await {
        Ok(stream) => stream,
        Err(FetchFailure::Aborted) => return aborted(&watchdog),
        Err(FetchFailure::Network(failure)) => {
            return StreamEnd::Failed(FalError::network(failure))
        }
    };
    let content_type = stream
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone());
    if !is_event_stream(stream.status, content_type.as_deref()) {
        let body = stream.rest_as_text().await.unwrap_or_default();
        let answer = HttpResponse {
            status: stream.status,
            headers: stream.headers.clone(),
            body,
        };
        return StreamEnd::Failed(classify(&answer, now_secs(), "expected a status stream"));
    }
    let mut parser = SseParser::new();
    loop {
        let bytes = match stream.next_chunk().await {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return StreamEnd::Closed,
            Err(FetchFailure::Aborted) => return aborted(&watchdog),
            Err(FetchFailure::Network(failure)) => {
                return StreamEnd::Failed(FalError::network(failure))
            }
        };
        watchdog.feed(STREAM_SILENCE_LIMIT);
        let items = match parser.feed(&bytes) {
            Ok(items) => items,
            Err(_) => {
                return StreamEnd::Failed(FalError::malformed(
                    "the status stream sent an over-long line",
                ))
            }
        };
        for item in items {
            let SseItem::Event(event) = item else {
                continue;
            };
            match parse_status_event(&event, now_secs()) {
                Ok(status) => {
                    follower.on_status(&status);
                    running.trouble.set(None);
                    running.apply(JobEvent::StatusReceived(status));
                }
                Err(error) => return StreamEnd::Failed(error),
            }
        }
        if !follower.is_streaming() {
            return StreamEnd::Closed;
        }
    }
}

/// Sends the cancel call and reports fal's answer honestly.
async fn send_cancel(running: &RunningJob, route: &Route, alarm: &Alarm) {
    let Some(urls) = running.job.with_untracked(|j| j.request.clone()) else {
        return;
    };
    let call = calls::cancel(&urls);
    let mut retries = 0;
    loop {
        let decision = match read(&call, route, alarm, parse_cancel).await {
            Ok(outcome) => {
                running.cancel_note.set(Some(cancel_outcome_text(outcome)));
                running.apply(JobEvent::CancelAnswered(outcome));
                return;
            }
            // A second press while the first is out: send it again now.
            Err(ReadError::Interrupted) => continue,
            Err(ReadError::Failed(error)) => decide(CallKind::Cancel, retries, &error, jitter()),
        };
        match decision {
            RetryDecision::RetryAfter(wait) => {
                retries += 1;
                alarm.sleep(wait).await;
            }
            RetryDecision::GiveUp => {
                // Could not reach fal: the job goes on, and Cancel can be
                // pressed again.
                running.cancel_note.set(Some(
                        "Cancel did not reach fal, so the job goes on. Check the connection and press Cancel again.",
                    ));
                running.apply(JobEvent::CancelAnswered(CancelOutcome::NotFound));
                return;
            }
        }
    }
}
