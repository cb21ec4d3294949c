//! Performs the [`Submitter`]'s steps: sends the submit, waits out a
//! refusal fal asked us to wait out, and hands back where to follow the
//! job. The submitter decides; in particular a submit whose answer never
//! came is never sent again.

use std::time::Duration;

use leptos::prelude::*;

use crate::core::fal::endpoint::RequestUrls;
use crate::core::fal::error::{FalError, NetworkFailure};
use crate::core::fal::route::Route;
use crate::core::job::state::JobEvent;
use crate::core::job::submit::{SubmitStep, Submitter};
use crate::core::model::schema::R2vInput;
use crate::ui::job::running_job::RunningJob;
use crate::web::fetch::{send, FetchFailure};
use crate::web::timer::{jitter, now_secs};

/// Sends `input` as the job's submit. `Some` with the request's URLs once
/// fal took it (the job then knows them too); `None` when the job failed.
/// `on_wait` hears of each wait fal asked for before sending again (a
/// batch holds its other submits for as long).
pub(crate) async fn submit(
    running: &RunningJob,
    input: &R2vInput,
    route: &Route,
    on_wait: &dyn Fn(Duration),
) -> Option<RequestUrls> {
    let alarm = running.alarm.with_value(|a| (**a).clone());
    let mut submitter = Submitter::new(&route.endpoint, input);
    loop {
        match submitter.next_step() {
            SubmitStep::Send { after, call } => {
                running
                    .trouble
                    .set(submitter.trouble().map(FalError::message));
                if !after.is_zero() {
                    on_wait(after);
                }
                alarm.sleep(after).await;
                running.trouble.set(None);
                // Cancel cuts the wait short; the submitter decides whether
                // the call still goes out.
                if !submitter.go_ahead(running.cancel_requested()) {
                    continue;
                }
                // No abort signal: once out, the submit is waited for.
                match send(&route.transport.prepare(&call), None, None).await {
                    Ok(answer) => submitter.on_answer(&answer, now_secs(), jitter()),
                    Err(FetchFailure::Network(failure)) => submitter.on_no_answer(failure),
                    Err(FetchFailure::Aborted) => {
                        submitter.on_no_answer(NetworkFailure::Interrupted)
                    }
                }
            }
            SubmitStep::Accepted {
                urls,
                queue_position,
            } => {
                // `apply` writes the record with the request id before
                // following starts.
                running.apply(JobEvent::Submitted {
                    request: urls.clone(),
                    queue_position,
                });
                return Some(urls);
            }
            SubmitStep::Withdrawn => {
                running.apply(JobEvent::SubmitWithdrawn);
                return None;
            }
            SubmitStep::Failed(error) => {
                running.apply(JobEvent::Failed(error));
                return None;
            }
        }
    }
}
