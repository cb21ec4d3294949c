//! Uploads one file as the core's [`UploadPlan`] describes: initiate
//! (through the proxy when there is one), then the bytes straight to the
//! storage host (one `PUT`, or 10 MiB parts with a few in flight at once),
//! then `complete` for parts. Every failed call follows the core's
//! [`after_failure`]: retried on its own, started again once with a fresh
//! address if that expired, or reported.

use std::cell::RefCell;
use std::future::Future;
use std::num::NonZeroUsize;
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

use web_sys::Blob;

use super::progress::Reporter;
use super::stop::{StopReason, Stopper};
use super::xhr::{send, XhrFailure};
use crate::core::fal::base_url::BaseUrl;
use crate::core::fal::calls::{CallKind, CompletedPart, FalCall};
use crate::core::fal::error::FalError;
use crate::core::fal::http::HttpResponse;
use crate::core::fal::transport::{Connection, Transport};
use crate::core::upload::file_status::UploadStage;
use crate::core::upload::plan::{LocalFile, PartRange, UploadPlan};
use crate::core::upload::problem::{after_failure, Recovery, UploadProblem};
use crate::web::timer::{jitter, now_ms};

/// How a file's upload ended without a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    Cancelled,
    Failed(UploadProblem),
}

/// An attempt stopped early; the stopper's reason says why.
struct Halted;

/// Everything one file's upload needs.
pub struct FileUploader<'a> {
    pub file: &'a web_sys::File,
    pub transport: &'a Transport,
    pub rest: &'a BaseUrl,
    pub concurrency: NonZeroUsize,
    pub stopper: Rc<Stopper>,
    pub reporter: Rc<Reporter>,
}

impl FileUploader<'_> {
    /// Uploads the file; the URL fal's storage serves it from goes into
    /// the model input. The item shows how it went.
    pub async fn run(&self) -> Result<String, Ended> {
        let ended = self.attempts().await;
        match &ended {
            Ok(url) => self.reporter.stage(UploadStage::Done {
                file_url: url.clone(),
            }),
            Err(Ended::Failed(problem)) => {
                self.reporter.stage(UploadStage::Failed(problem.clone()))
            }
            Err(Ended::Cancelled) => self.reporter.stage(UploadStage::Cancelled),
        }
        ended
    }

    /// One attempt per upload address: a second one only after the first
    /// address expired.
    async fn attempts(&self) -> Result<String, Ended> {
        let local = LocalFile {
            name: self.file.name(),
            content_type: self.file.type_(),
            size: self.file.size() as u64,
        };
        let plan = UploadPlan::new(&local, self.concurrency);
        let mut started_again = false;
        loop {
            self.stopper.rearm();
            let attempt = Attempt {
                uploader: self,
                plan: &plan,
                started_again,
            };
            let outcome = attempt.run().await;
            match self.stopper.reason() {
                None => {
                    // A halt always comes with a reason; without one the
                    // attempt ran to its end.
                    return outcome.map_err(|_| Ended::Cancelled);
                }
                Some(StopReason::Cancelled) => return Err(Ended::Cancelled),
                Some(StopReason::StartAgain) if !started_again => {
                    started_again = true;
                    self.reporter.restart();
                    self.reporter.note(Some(
                        "The upload address expired; starting again with a fresh one.".into(),
                    ));
                }
                Some(StopReason::StartAgain) => {
                    return Err(Ended::Failed(UploadProblem::ExpiredAgain))
                }
                Some(StopReason::Failed(problem)) => return Err(Ended::Failed(problem)),
            }
        }
    }

    fn via_proxy(&self) -> bool {
        matches!(self.transport.connection, Connection::Proxy { .. })
    }
}

/// One upload address's worth of work.
struct Attempt<'a, 'b> {
    uploader: &'a FileUploader<'b>,
    plan: &'a UploadPlan,
    started_again: bool,
}

impl Attempt<'_, '_> {
    async fn run(&self) -> Result<String, Halted> {
        let up = self.uploader;
        up.reporter.stage(UploadStage::Starting);
        let initiate = self.plan.initiate(up.rest);
        let target = self
            .perform(&initiate, None, |answer| {
                UploadPlan::parse_initiate(answer, now_secs())
            })
            .await?;
        let transfers = match self.plan.transfers(&target) {
            Ok(transfers) => transfers,
            Err(error) => return Err(self.give_up(initiate.kind, &error)),
        };
        up.reporter.stage(UploadStage::Sending);
        if !self.plan.is_multipart() {
            let whole = PartRange {
                part_number: 1,
                start: 0,
                end: self.plan.size,
            };
            self.perform(&transfers[0], Some(whole), |answer| {
                UploadPlan::parse_transfer(answer, now_secs())
            })
            .await?;
            return Ok(target.file_url);
        }
        let parts = self.send_parts(transfers).await?;
        up.reporter.stage(UploadStage::Finishing);
        let complete = match self.plan.complete(&target, &parts) {
            Ok(call) => call,
            Err(error) => return Err(self.give_up(CallKind::CompleteMultipart, &error)),
        };
        self.perform(&complete, None, |answer| {
            UploadPlan::parse_transfer(answer, now_secs())
        })
        .await?;
        Ok(target.file_url)
    }

    /// The parts, at most `concurrency` in flight: each worker takes the
    /// next part in order until none is left.
    async fn send_parts(&self, transfers: Vec<FalCall>) -> Result<Vec<CompletedPart>, Halted> {
        let queue: RefCell<Vec<(PartRange, FalCall)>> = RefCell::new(
            self.plan
                .parts
                .iter()
                .copied()
                .zip(transfers)
                .rev()
                .collect(),
        );
        let done: RefCell<Vec<CompletedPart>> = RefCell::new(Vec::new());
        let worker = || async {
            loop {
                let next = queue.borrow_mut().pop();
                let Some((range, call)) = next else {
                    return Ok(());
                };
                let part = self
                    .perform(&call, Some(range), |answer| {
                        UploadPlan::parse_part(range.part_number, answer, now_secs())
                    })
                    .await?;
                done.borrow_mut().push(part);
            }
        };
        let workers = (0..self.plan.concurrency.get().min(self.plan.parts.len()))
            .map(|_| worker())
            .collect();
        for result in join_all(workers).await {
            result?;
        }
        Ok(done.into_inner())
    }

    /// Sends `call` until it succeeds or the core's recovery says stop.
    /// `range` is the file's bytes it carries, for the progress.
    async fn perform<T>(
        &self,
        call: &FalCall,
        range: Option<PartRange>,
        read: impl Fn(&HttpResponse) -> Result<T, FalError>,
    ) -> Result<T, Halted> {
        let up = self.uploader;
        let file: Option<&Blob> = range.map(|_| up.file.as_ref());
        let mut retries = 0;
        loop {
            let request = up.transport.prepare(call);
            let progress = range.map(|range| up.reporter.part_progress(range.part_number));
            let error = match send(&request, file, progress, &up.stopper).await {
                Ok(answer) => match read(&answer) {
                    Ok(value) => {
                        if let Some(range) = range {
                            up.reporter
                                .confirmed(range.part_number, range.end - range.start);
                        }
                        if retries > 0 {
                            up.reporter.note(None);
                        }
                        return Ok(value);
                    }
                    Err(error) => error,
                },
                Err(XhrFailure::Stopped) => return Err(Halted),
                Err(XhrFailure::Network(failure)) => FalError::network(failure),
            };
            if let Some(range) = range {
                up.reporter.lost(range.part_number);
            }
            match after_failure(
                call.kind,
                &error,
                retries,
                self.started_again,
                up.via_proxy(),
                jitter(),
            ) {
                Recovery::RetryAfter(wait) => {
                    retries += 1;
                    up.reporter
                        .note(Some(retry_note(call.kind, range, &error, wait.as_secs())));
                    if !up.stopper.sleep(wait).await {
                        return Err(Halted);
                    }
                }
                Recovery::StartAgain => {
                    up.stopper.stop(StopReason::StartAgain);
                    return Err(Halted);
                }
                Recovery::GiveUp(problem) => {
                    up.stopper.stop(StopReason::Failed(problem));
                    return Err(Halted);
                }
            }
        }
    }

    /// An answer the plan cannot use (an unusable upload address, parts
    /// missing): nothing to retry.
    fn give_up(&self, kind: CallKind, error: &FalError) -> Halted {
        let problem = UploadProblem::from_error(kind, error, self.uploader.via_proxy());
        self.uploader.stopper.stop(StopReason::Failed(problem));
        Halted
    }
}

/// "Part 3: the connection dropped. Trying again in 2 s."
fn retry_note(kind: CallKind, range: Option<PartRange>, error: &FalError, seconds: u64) -> String {
    let what = match (kind, range) {
        (CallKind::UploadPart, Some(range)) => format!("Part {}", range.part_number),
        (CallKind::UploadFile, _) => "Sending the file".into(),
        (CallKind::CompleteMultipart, _) => "Finishing".into(),
        _ => "Starting the upload".into(),
    };
    let wait = if seconds == 0 {
        "now".to_owned()
    } else {
        format!("in {seconds} s")
    };
    format!("{what}: {} Trying again {wait}.", error.message())
}

fn now_secs() -> u64 {
    now_ms() / 1000
}

/// Runs every future to its end, side by side on this thread (a handful of
/// part workers; each wake polls them all, which is cheap at that size).
async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pending: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut waiting = false;
        for (future, output) in pending.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => waiting = true,
                }
            }
        }
        if waiting {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}
