//! Stopping one file's upload at once: every request of it in flight is
//! aborted and every retry wait ends, whoever asked (the person's "Cancel
//! upload", the job's Cancel, a sibling part that failed for good, or an
//! expired address that sends the file again from the start).

use std::cell::{Cell, RefCell};
use std::time::Duration;

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::XmlHttpRequest;

use crate::core::upload::problem::UploadProblem;

/// Why the upload's requests were stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// By the person; final, whatever else happens.
    Cancelled,
    /// The upload address expired: start again with a fresh one.
    StartAgain,
    /// One request failed for good; the others are pointless.
    Failed(UploadProblem),
}

/// One file's stop switch. Shared (`Rc`) by the file's requests and by the
/// board, whose "Cancel upload" pulls it.
#[derive(Default)]
pub struct Stopper {
    reason: RefCell<Option<StopReason>>,
    live: RefCell<Vec<(u64, XmlHttpRequest)>>,
    next_ticket: Cell<u64>,
    sleepers: RefCell<Vec<js_sys::Function>>,
}

impl Stopper {
    /// Stops everything in flight. The first reason wins, except that a
    /// cancel always wins: the person's choice is never overridden.
    pub fn stop(&self, reason: StopReason) {
        {
            let mut current = self.reason.borrow_mut();
            if current.is_none() || reason == StopReason::Cancelled {
                *current = Some(reason);
            }
        }
        // Taken out first: aborting fires events synchronously.
        let live = std::mem::take(&mut *self.live.borrow_mut());
        for (_, request) in live {
            let _ = request.abort();
        }
        let sleepers = std::mem::take(&mut *self.sleepers.borrow_mut());
        for wake in sleepers {
            let _ = wake.call0(&JsValue::UNDEFINED);
        }
    }

    /// Why it stopped, if it did.
    pub fn reason(&self) -> Option<StopReason> {
        self.reason.borrow().clone()
    }

    /// True once the person cancelled.
    pub fn cancelled(&self) -> bool {
        self.reason() == Some(StopReason::Cancelled)
    }

    /// Ready for the next attempt (after a fresh address): clears any
    /// reason but a cancel.
    pub fn rearm(&self) {
        let mut current = self.reason.borrow_mut();
        if current.as_ref() != Some(&StopReason::Cancelled) {
            *current = None;
        }
    }

    /// Registers a request so a stop aborts it; `None` when already
    /// stopped (the request must not be sent).
    pub(super) fn track(&self, request: &XmlHttpRequest) -> Option<u64> {
        if self.reason.borrow().is_some() {
            return None;
        }
        let ticket = self.next_ticket.get() + 1;
        self.next_ticket.set(ticket);
        self.live.borrow_mut().push((ticket, request.clone()));
        Some(ticket)
    }

    /// The request is over.
    pub(super) fn untrack(&self, ticket: u64) {
        self.live.borrow_mut().retain(|(t, _)| *t != ticket);
    }

    /// Waits `duration`, or less if stopped meanwhile. True when the wait
    /// ran its course.
    pub async fn sleep(&self, duration: Duration) -> bool {
        if self.reason.borrow().is_some() {
            return false;
        }
        let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
        let mut wake = None;
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ =
                    window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
            }
            wake = Some(resolve);
        });
        if let Some(wake) = &wake {
            self.sleepers.borrow_mut().push(wake.clone());
        }
        let _ = JsFuture::from(promise).await;
        if let Some(wake) = wake {
            self.sleepers
                .borrow_mut()
                .retain(|other| !js_sys::Object::is(other, &wake));
        }
        self.reason.borrow().is_none()
    }
}
