//! Performs one file's [`Uploader`] steps: each call it asks for goes out
//! with `XMLHttpRequest` alongside the others (a few parts at once), and
//! every answer, failure and progress event goes back to it. The uploader
//! decides everything (retries, a fresh address, giving up); this loop only
//! sends, waits and shows.

use std::cell::RefCell;
use std::future::Future;
use std::num::NonZeroUsize;
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;

use super::reporter::Reporter;
use crate::core::fal::http::{HttpRequest, HttpResponse};
use crate::core::fal::route::Route;
use crate::core::upload::file_status::FileUpload;
use crate::core::upload::plan::LocalFile;
use crate::core::upload::stall::STALL_LIMIT;
use crate::core::upload::upload_step::{CallId, Ended, UploadStep};
use crate::core::upload::uploader::Uploader;
use crate::web::timer::{jitter, now_ms};
use crate::web::upload::stop::Stopper;
use crate::web::upload::xhr::{send, XhrFailure};

type Outcome = (CallId, Result<HttpResponse, XhrFailure>);
type InFlight = Vec<Pin<Box<dyn Future<Output = Outcome>>>>;

/// Uploads `file` to fal's storage on `route`; `show` puts each state on
/// its item. Returns the URL fal's storage serves it from.
pub async fn upload_file(
    file: &web_sys::File,
    route: &Route,
    concurrency: NonZeroUsize,
    stopper: &Rc<Stopper>,
    show: impl Fn(FileUpload) + 'static,
) -> Result<String, Ended> {
    let local = LocalFile {
        name: file.name(),
        content_type: file.type_(),
        size: file.size() as u64,
    };
    let uploader = Rc::new(RefCell::new(Uploader::new(
        &local,
        concurrency,
        &route.rest,
        route.via_proxy(),
        now_ms(),
    )));
    let reporter = Reporter::new(uploader.clone(), show);
    reporter.show_now();
    let mut in_flight: InFlight = Vec::new();
    loop {
        if stopper.cancelled() {
            uploader.borrow_mut().cancel();
        }
        let step = uploader.borrow_mut().next_step();
        match step {
            UploadStep::Send { id, after, call } => {
                let request = route.transport.prepare(&call);
                let progress = progress_handler(id, &uploader, &reporter);
                in_flight.push(Box::pin(perform(
                    id,
                    after,
                    request,
                    file.clone(),
                    stopper.clone(),
                    progress,
                )));
            }
            UploadStep::AwaitAnswer => {
                let Some((id, outcome)) = next_to_end(&mut in_flight).await else {
                    // Nothing is out, so no answer can come: never wait forever.
                    uploader.borrow_mut().cancel();
                    continue;
                };
                let mut this = uploader.borrow_mut();
                match outcome {
                    Ok(answer) => this.on_answer(id, &answer, now_ms(), jitter()),
                    Err(XhrFailure::Network(failure)) => this.on_no_answer(id, failure, jitter()),
                    // Aborted by us: the uploader no longer counts it, or
                    // the person cancelled (seen at the top of the loop).
                    Err(XhrFailure::Stopped) => {}
                }
            }
            UploadStep::AbortInFlight => {
                stopper.abort_in_flight();
                drain(&mut in_flight).await;
            }
            UploadStep::Finished(result) => {
                if !in_flight.is_empty() {
                    stopper.abort_in_flight();
                    drain(&mut in_flight).await;
                }
                reporter.finish();
                return result;
            }
        }
        reporter.show_soon();
    }
}

/// Waits `after` (cut short by a stop), then sends `request` once.
async fn perform(
    id: CallId,
    after: Duration,
    request: HttpRequest,
    file: web_sys::File,
    stopper: Rc<Stopper>,
    progress: Box<dyn FnMut(u64)>,
) -> Outcome {
    if !stopper.sleep(after).await {
        return (id, Err(XhrFailure::Stopped));
    }
    let answer = send(&request, Some(&file), Some(progress), &stopper, STALL_LIMIT).await;
    (id, answer)
}

/// Feeds `id`'s bytes-sent events to the uploader and shows them now and
/// then.
fn progress_handler(
    id: CallId,
    uploader: &Rc<RefCell<Uploader>>,
    reporter: &Rc<Reporter>,
) -> Box<dyn FnMut(u64)> {
    let (uploader, reporter) = (uploader.clone(), reporter.clone());
    Box::new(move |loaded| {
        if let Ok(mut this) = uploader.try_borrow_mut() {
            this.on_progress(id, loaded, now_ms());
        }
        reporter.show_progress();
    })
}

/// The outcome of whichever call ends first; `None` when none is out.
async fn next_to_end(in_flight: &mut InFlight) -> Option<Outcome> {
    if in_flight.is_empty() {
        return None;
    }
    let outcome = std::future::poll_fn(|cx| {
        for index in 0..in_flight.len() {
            if let Poll::Ready(outcome) = in_flight[index].as_mut().poll(cx) {
                drop(in_flight.swap_remove(index));
                return Poll::Ready(outcome);
            }
        }
        Poll::Pending
    })
    .await;
    Some(outcome)
}

/// Waits for every call still out to end (they were just aborted).
async fn drain(in_flight: &mut InFlight) {
    while next_to_end(in_flight).await.is_some() {}
}
