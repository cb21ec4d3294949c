//! Stopping one file's requests at once: every request of it in flight is
//! aborted and every retry wait ends, either for good (the person's "Cancel
//! upload" or the job's Cancel) or to make room (the file starts again with
//! a fresh address, or its upload gave up and the other parts are moot).

use std::cell::{Cell, RefCell};
use std::time::Duration;

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::XmlHttpRequest;

/// One file's stop switch. Shared (`Rc`) by the file's requests and by the
/// upload board, whose "Cancel upload" pulls it.
#[derive(Default)]
pub struct Stopper {
    cancelled: Cell<bool>,
    live: RefCell<Vec<(u64, XmlHttpRequest)>>,
    sleepers: RefCell<Vec<(u64, js_sys::Function)>>,
    next_ticket: Cell<u64>,
}

impl Stopper {
    /// The person cancelled: everything in flight stops, and no request of
    /// this file is sent any more.
    pub fn cancel(&self) {
        self.cancelled.set(true);
        self.abort_in_flight();
    }

    /// True once the person cancelled.
    pub fn cancelled(&self) -> bool {
        self.cancelled.get()
    }

    /// Aborts the requests in flight and ends the waits now; requests
    /// started afterwards go ahead (unless cancelled).
    pub fn abort_in_flight(&self) {
        // Taken out first: aborting fires events synchronously.
        let live = std::mem::take(&mut *self.live.borrow_mut());
        for (_, request) in live {
            let _ = request.abort();
        }
        let sleepers = std::mem::take(&mut *self.sleepers.borrow_mut());
        for (_, wake) in sleepers {
            let _ = wake.call0(&JsValue::UNDEFINED);
        }
    }

    fn ticket(&self) -> u64 {
        let ticket = self.next_ticket.get() + 1;
        self.next_ticket.set(ticket);
        ticket
    }

    /// Registers a request so a stop aborts it; `None` when cancelled (the
    /// request must not be sent).
    pub(super) fn track(&self, request: &XmlHttpRequest) -> Option<u64> {
        if self.cancelled() {
            return None;
        }
        let ticket = self.ticket();
        self.live.borrow_mut().push((ticket, request.clone()));
        Some(ticket)
    }

    /// The request is over. False when a stop aborted it.
    pub(super) fn untrack(&self, ticket: u64) -> bool {
        let mut live = self.live.borrow_mut();
        let before = live.len();
        live.retain(|(t, _)| *t != ticket);
        live.len() < before
    }

    /// Waits `duration`, or less if stopped meanwhile. True when the wait
    /// ran its course.
    pub async fn sleep(&self, duration: Duration) -> bool {
        if self.cancelled() {
            return false;
        }
        if duration.is_zero() {
            return true;
        }
        let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
        let ticket = self.ticket();
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ =
                    window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
            }
            self.sleepers.borrow_mut().push((ticket, resolve));
        });
        let _ = JsFuture::from(promise).await;
        let mut sleepers = self.sleepers.borrow_mut();
        let before = sleepers.len();
        sleepers.retain(|(t, _)| *t != ticket);
        sleepers.len() < before && !self.cancelled()
    }
}
