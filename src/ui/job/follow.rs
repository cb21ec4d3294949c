//! The follow loop: performs the [`Follower`]'s steps (stream, poll,
//! result) and the [`Canceller`]'s, feeding every answer to the job and to
//! the driver that asked for it.

use leptos::prelude::*;

use super::follow_slots::Slot;
use super::running_job::RunningJob;
use super::stream::read_stream;
use crate::core::fal::answers::parse_result;
use crate::core::fal::calls::FalCall;
use crate::core::fal::endpoint::RequestUrls;
use crate::core::fal::error::{FalError, NetworkFailure};
use crate::core::fal::http::HttpResponse;
use crate::core::fal::route::Route;
use crate::core::fal::status::parse_status;
use crate::core::job::cancel::{CancelStep, Canceller};
use crate::core::job::display::cancel_settled_text;
use crate::core::job::follow::{Step, StreamEnd};
use crate::core::job::record::JobRecord;
use crate::core::job::result_info::playable_url;
use crate::core::job::state::{Job, JobEvent};
use crate::web::early_player;
use crate::web::fetch::{send, FetchFailure};
use crate::web::timer::{jitter, now_secs, Alarm};

/// Follows the job at `urls` until its outcome is known or it is stopped,
/// by its status stream when one of the page's few is free
/// ([`Slot`]), by polling otherwise.
pub async fn follow(running: RunningJob, urls: RequestUrls, route: &Route) {
    let (slot, mut follower) = Slot::take(running, urls);
    let alarm: Alarm = running.alarm.with_value(|a| (**a).clone());
    let online = running.online.with_value(|o| (**o).clone());
    let _back_online = BackOnline::listen(running);
    loop {
        if online.replace(false) {
            follower.on_online();
        }
        if slot.granted() {
            follower.promote_to_stream();
        }
        // Cancel first: it is the last thing the person asked for.
        if running.job.with_untracked(Job::needs_cancel_call) {
            send_cancel(&running, route, &alarm).await;
            continue;
        }
        if running.is_finished() {
            follower.stop();
            return;
        }
        match follower.next_step() {
            Step::OpenStream(call) => {
                let end = read_stream(&running, &mut follower, route, &alarm, &call).await;
                let silent = matches!(end, StreamEnd::Silent);
                let early = follower.is_streaming();
                follower.on_stream_end(end);
                if early && !running.is_finished() {
                    slot.stream_ended(silent);
                }
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
                        // Only the Status panel's own player takes it: a
                        // batch's grid loads its players one at a time
                        // (PlayerTurns), and would take none.
                        let alone = running.record.with_untracked(JobRecord::shown_alone);
                        if let (true, Some(url)) = (alone, playable_url(&output)) {
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

/// Sends a read (cut short by the alarm) and parses its answer.
async fn read<T>(
    call: &FalCall,
    route: &Route,
    alarm: &Alarm,
    parse: impl FnOnce(&HttpResponse, u64) -> Result<T, FalError>,
) -> Result<T, ReadError> {
    match fetch(call, route, alarm).await? {
        Ok(answer) => parse(&answer, now_secs()).map_err(ReadError::Failed),
        Err(failure) => Err(ReadError::Failed(FalError::network(failure))),
    }
}

/// Sends `call` with the alarm's abort signal: the answer, the network
/// failure, or `Interrupted` when the alarm rang.
async fn fetch(
    call: &FalCall,
    route: &Route,
    alarm: &Alarm,
) -> Result<Result<HttpResponse, NetworkFailure>, ReadError> {
    let request = route.transport.prepare(call);
    let controller = alarm.request_controller();
    match send(&request, None, Some(&controller.signal())).await {
        Ok(answer) => Ok(Ok(answer)),
        Err(FetchFailure::Network(failure)) => Ok(Err(failure)),
        Err(FetchFailure::Aborted) => Err(ReadError::Interrupted),
    }
}

/// Performs the [`Canceller`]'s steps and tells the person what came of it.
async fn send_cancel(running: &RunningJob, route: &Route, alarm: &Alarm) {
    let Some(urls) = running.job.with_untracked(|j| j.request.clone()) else {
        return;
    };
    let mut canceller = Canceller::new(&urls);
    loop {
        match canceller.next_step() {
            CancelStep::Send { after, call } => {
                alarm.sleep(after).await;
                match fetch(&call, route, alarm).await {
                    Ok(Ok(answer)) => canceller.on_answer(&answer, now_secs(), jitter()),
                    Ok(Err(failure)) => canceller.on_no_answer(failure, jitter()),
                    // A second press while the first is out: send it again now.
                    Err(_) => canceller.on_pressed_again(),
                }
            }
            CancelStep::Settled(event) => {
                running.cancel_note.set(cancel_settled_text(&event));
                running.apply(event);
                return;
            }
        }
    }
}

/// While a job is followed, the browser's `online` event ends a backoff
/// wait at once ([`RunningJob::poke`]): after a dropped connection, the
/// status is read again as soon as the network is back, not a minute later.
/// Removed when the follow loop ends, however it ends.
struct BackOnline(Option<WindowListenerHandle>);

impl BackOnline {
    fn listen(running: RunningJob) -> Self {
        Self(Some(window_event_listener(leptos::ev::online, move |_| {
            running.poke()
        })))
    }
}

impl Drop for BackOnline {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            handle.remove();
        }
    }
}
