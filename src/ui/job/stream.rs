//! Reads fal's status stream for the follow loop: opens it with the alarm's
//! abort signal and a watchdog for silence, feeds each chunk to the core's
//! [`StatusStream`] and each status to the job, and says how it ended.

use leptos::prelude::*;

use super::running_job::RunningJob;
use crate::core::fal::calls::FalCall;
use crate::core::fal::error::FalError;
use crate::core::fal::http::HttpResponse;
use crate::core::fal::route::Route;
use crate::core::job::follow::{Follower, StreamEnd, FIRST_EVENT_LIMIT, STREAM_SILENCE_LIMIT};
use crate::core::job::state::JobEvent;
use crate::core::job::status_stream::{StatusStream, StreamHead};
use crate::web::fetch::{open_stream, FetchFailure};
use crate::web::timer::{now_secs, Alarm, Watchdog};

/// Reads the status stream until it ends, feeding each status in.
pub(super) async fn read_stream(
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
    // Aborted by the watchdog: silent; by the alarm (Cancel, back online):
    // just closed, so the loop goes round at once.
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
    if StatusStream::head(stream.status, stream.header("content-type")) == StreamHead::NotAStream {
        let body = stream.rest_as_text().await.unwrap_or_default();
        let answer = HttpResponse {
            status: stream.status,
            headers: stream.headers.clone(),
            body,
        };
        return StatusStream::refused(&answer, now_secs());
    }
    let mut reading = StatusStream::new();
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
        let chunk = reading.feed(&bytes, now_secs());
        for status in chunk.statuses {
            follower.on_status(&status);
            running.trouble.set(None);
            running.apply(JobEvent::StatusReceived(status));
        }
        if let Some(end) = chunk.end {
            return end;
        }
        if !follower.is_streaming() {
            return StreamEnd::Closed;
        }
    }
}
