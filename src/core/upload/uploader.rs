//! One file's upload, call by call, as the [`UploadPlan`] describes it:
//! initiate, then the bytes (one `PUT`, or parts with a few in flight at
//! once), then `complete` for parts. Sans-IO: the caller performs each
//! [`UploadStep`] and reports every answer, failure and progress event back
//! with the [`CallId`] it was given.
//!
//! Every failed call follows [`after_failure`]: retried on its own after a
//! wait, or, when the storage says the signed address expired, the whole
//! file starts again with a fresh address, once; a second expiry in a row,
//! or any failure the policy gives up on, ends the upload with one
//! [`UploadProblem`]. The uploader also keeps what the file's item shows
//! (stage, bytes and speed, the note about a retry) so the caller only
//! displays [`Uploader::view`].

use std::num::NonZeroUsize;

use crate::core::fal::base_url::BaseUrl;
use crate::core::fal::calls::{CallKind, CompletedPart};
use crate::core::fal::error::{FalError, NetworkFailure};
use crate::core::fal::http::HttpResponse;
use crate::core::upload::file_status::{FileUpload, UploadStage};
use crate::core::upload::plan::{LocalFile, PartRange, UploadPlan, UploadTarget};
use crate::core::upload::problem::{
    after_failure, retry_note, Recovery, UploadProblem, STARTING_AGAIN_NOTE,
};
use crate::core::upload::progress::ProgressMeter;
use crate::core::upload::upload_step::{
    launch, CallId, CallState, Ended, Slot, Tracked, UploadStep,
};

#[derive(Debug, Clone)]
enum Phase {
    Initiating(Tracked),
    Sending {
        upload_url: String,
        file_url: String,
        transfers: Vec<Tracked>,
        receipts: Vec<CompletedPart>,
    },
    Completing {
        file_url: String,
        call: Tracked,
    },
    Ended(Result<String, Ended>),
}

/// The upload of one file.
#[derive(Debug, Clone)]
pub struct Uploader {
    plan: UploadPlan,
    rest: BaseUrl,
    via_proxy: bool,
    started_again: bool,
    attempt: u32,
    phase: Phase,
    /// Set when the file starts again while calls of the old address are
    /// still out: the next step aborts them.
    abort_due: bool,
    meter: ProgressMeter,
    stage: UploadStage,
    note: Option<String>,
}

impl Uploader {
    /// The upload of `file` to fal's storage at `rest`, at most
    /// `concurrency` parts in flight. `via_proxy` words the messages.
    pub fn new(
        file: &LocalFile,
        concurrency: NonZeroUsize,
        rest: &BaseUrl,
        via_proxy: bool,
        now_ms: u64,
    ) -> Self {
        let plan = UploadPlan::new(file, concurrency);
        let initiate = Tracked::new(plan.initiate(rest), None);
        Self {
            meter: ProgressMeter::new(plan.size, now_ms),
            plan,
            rest: rest.clone(),
            via_proxy,
            started_again: false,
            attempt: 0,
            phase: Phase::Initiating(initiate),
            abort_due: false,
            stage: UploadStage::Starting,
            note: None,
        }
    }

    /// What the file's item shows now.
    pub fn view(&self, now_ms: u64) -> FileUpload {
        FileUpload {
            stage: self.stage.clone(),
            progress: self.meter.snapshot(now_ms),
            note: self.note.clone(),
        }
    }

    /// What to do now. Call it again after each `Send` until it says to
    /// wait: parts go out side by side up to the plan's concurrency.
    pub fn next_step(&mut self) -> UploadStep {
        if std::mem::take(&mut self.abort_due) {
            return UploadStep::AbortInFlight;
        }
        let attempt = self.attempt;
        let limit = self.plan.concurrency.get();
        match &mut self.phase {
            Phase::Ended(result) => UploadStep::Finished(result.clone()),
            Phase::Initiating(call) => launch(
                call,
                CallId {
                    attempt,
                    slot: Slot::Initiate,
                },
            ),
            Phase::Completing { call, .. } => launch(
                call,
                CallId {
                    attempt,
                    slot: Slot::Complete,
                },
            ),
            Phase::Sending { transfers, .. } => {
                let out = transfers
                    .iter()
                    .filter(|t| t.state == CallState::InFlight)
                    .count();
                let due = transfers
                    .iter_mut()
                    .enumerate()
                    .find(|(_, t)| matches!(t.state, CallState::Due(_)));
                match due {
                    Some((index, call)) if out < limit => launch(
                        call,
                        CallId {
                            attempt,
                            slot: Slot::Transfer(index),
                        },
                    ),
                    _ => UploadStep::AwaitAnswer,
                }
            }
        }
    }

    /// `id`'s request body has sent `loaded` bytes so far.
    pub fn on_progress(&mut self, id: CallId, loaded: u64, now_ms: u64) {
        if let Some(range) = self.current(id).and_then(|t| t.range) {
            self.meter.sent(range.part_number, loaded, now_ms);
        }
    }

    /// `id` got an answer.
    pub fn on_answer(&mut self, id: CallId, answer: &HttpResponse, now_ms: u64, jitter: f64) {
        let Some(tracked) = self.current(id) else {
            return;
        };
        let (kind, range) = (tracked.call.kind, tracked.range);
        let now_secs = now_ms / 1000;
        let read = match id.slot {
            Slot::Initiate => UploadPlan::parse_initiate(answer, now_secs).map(Heard::Target),
            Slot::Transfer(_) if self.plan.is_multipart() => {
                let part = range.map_or(0, |r| r.part_number);
                UploadPlan::parse_part(part, answer, now_secs).map(Heard::Receipt)
            }
            Slot::Transfer(_) | Slot::Complete => {
                UploadPlan::parse_transfer(answer, now_secs).map(|()| Heard::Stored)
            }
        };
        match read {
            Ok(heard) => self.on_success(id, kind, range, heard, now_ms),
            Err(error) => self.on_failure(id, error, jitter),
        }
    }

    /// `id` got no answer (failed, stalled, or dropped).
    pub fn on_no_answer(&mut self, id: CallId, failure: NetworkFailure, jitter: f64) {
        if self.current(id).is_some() {
            self.on_failure(id, FalError::network(failure), jitter);
        }
    }

    /// The person cancelled: the upload ends here, whatever is out.
    pub fn cancel(&mut self) {
        if !matches!(self.phase, Phase::Ended(_)) {
            self.end(Err(Ended::Cancelled));
        }
    }

    /// The call `id` stands for, if it is still out in the current attempt.
    fn current(&mut self, id: CallId) -> Option<&mut Tracked> {
        if id.attempt != self.attempt {
            return None;
        }
        let tracked = match (&mut self.phase, id.slot) {
            (Phase::Initiating(call), Slot::Initiate) => call,
            (Phase::Completing { call, .. }, Slot::Complete) => call,
            (Phase::Sending { transfers, .. }, Slot::Transfer(index)) => {
                transfers.get_mut(index)?
            }
            _ => return None,
        };
        (tracked.state == CallState::InFlight).then_some(tracked)
    }

    fn on_success(
        &mut self,
        id: CallId,
        kind: CallKind,
        range: Option<PartRange>,
        heard: Heard,
        now_ms: u64,
    ) {
        let retried = self.current(id).is_some_and(|tracked| {
            tracked.state = CallState::Done;
            tracked.retries > 0
        });
        if retried {
            self.note = None;
        }
        if let Some(range) = range {
            self.meter
                .confirmed(range.part_number, range.end - range.start, now_ms);
        }
        match heard {
            Heard::Target(target) => match self.plan.transfers(&target) {
                Ok(calls) => {
                    let ranges: Vec<PartRange> = if self.plan.is_multipart() {
                        self.plan.parts.clone()
                    } else {
                        vec![PartRange {
                            part_number: 1,
                            start: 0,
                            end: self.plan.size,
                        }]
                    };
                    let transfers = calls
                        .into_iter()
                        .zip(ranges)
                        .map(|(call, range)| Tracked::new(call, Some(range)))
                        .collect();
                    self.stage = UploadStage::Sending;
                    self.phase = Phase::Sending {
                        upload_url: target.upload_url,
                        file_url: target.file_url,
                        transfers,
                        receipts: Vec::new(),
                    };
                }
                Err(error) => self.give_up(kind, &error),
            },
            Heard::Receipt(part) => {
                if let Phase::Sending { receipts, .. } = &mut self.phase {
                    receipts.push(part);
                }
                self.after_transfer();
            }
            Heard::Stored if kind == CallKind::UploadFile => self.after_transfer(),
            Heard::Stored => {
                if let Phase::Completing { file_url, .. } = &self.phase {
                    let url = file_url.clone();
                    self.end(Ok(url));
                }
            }
        }
    }

    /// After a byte transfer: done with the bytes once every one is stored.
    fn after_transfer(&mut self) {
        let Phase::Sending {
            upload_url,
            file_url,
            transfers,
            receipts,
        } = &self.phase
        else {
            return;
        };
        if transfers.iter().any(|t| t.state != CallState::Done) {
            return;
        }
        let file_url = file_url.clone();
        if !self.plan.is_multipart() {
            self.end(Ok(file_url));
            return;
        }
        let target = UploadTarget {
            upload_url: upload_url.clone(),
            file_url: file_url.clone(),
        };
        match self.plan.complete(&target, receipts) {
            Ok(call) => {
                self.stage = UploadStage::Finishing;
                self.phase = Phase::Completing {
                    file_url,
                    call: Tracked::new(call, None),
                };
            }
            Err(error) => self.give_up(CallKind::CompleteMultipart, &error),
        }
    }

    fn on_failure(&mut self, id: CallId, error: FalError, jitter: f64) {
        let (started_again, via_proxy) = (self.started_again, self.via_proxy);
        let Some(tracked) = self.current(id) else {
            return;
        };
        let (kind, range) = (tracked.call.kind, tracked.range);
        let recovery = after_failure(
            kind,
            &error,
            tracked.retries,
            started_again,
            via_proxy,
            jitter,
        );
        tracked.state = match recovery {
            Recovery::RetryAfter(wait) => {
                tracked.retries += 1;
                CallState::Due(wait)
            }
            // Over: it is not out any more.
            Recovery::StartAgain | Recovery::GiveUp(_) => CallState::Done,
        };
        if let Some(range) = range {
            self.meter.lost(range.part_number);
        }
        match recovery {
            Recovery::RetryAfter(wait) => {
                self.note = Some(retry_note(kind, range, &error, wait.as_secs()));
            }
            Recovery::StartAgain => self.start_again(),
            Recovery::GiveUp(problem) => self.end(Err(Ended::Failed(problem))),
        }
    }

    /// A fresh address replaces the expired one: everything from the start.
    fn start_again(&mut self) {
        self.abort_due = match &self.phase {
            Phase::Sending { transfers, .. } => {
                transfers.iter().any(|t| t.state == CallState::InFlight)
            }
            _ => false,
        };
        self.started_again = true;
        self.attempt += 1;
        self.phase = Phase::Initiating(Tracked::new(self.plan.initiate(&self.rest), None));
        self.meter.restart();
        self.stage = UploadStage::Starting;
        self.note = Some(STARTING_AGAIN_NOTE.into());
    }

    /// An answer the plan cannot use (an unusable address, parts missing):
    /// nothing to retry.
    fn give_up(&mut self, kind: CallKind, error: &FalError) {
        let problem = UploadProblem::from_error(kind, error, self.via_proxy);
        self.end(Err(Ended::Failed(problem)));
    }

    fn end(&mut self, result: Result<String, Ended>) {
        self.stage = match &result {
            Ok(url) => UploadStage::Done {
                file_url: url.clone(),
            },
            Err(Ended::Cancelled) => UploadStage::Cancelled,
            Err(Ended::Failed(problem)) => UploadStage::Failed(problem.clone()),
        };
        self.note = None;
        self.abort_due = false;
        self.phase = Phase::Ended(result);
    }
}

/// A successful answer, read.
enum Heard {
    Target(UploadTarget),
    Receipt(CompletedPart),
    Stored,
}

#[cfg(test)]
#[path = "uploader_tests.rs"]
mod tests;
