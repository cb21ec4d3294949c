//! Waiting in the browser: sleeps that can be cut short, and a watchdog that
//! aborts a request when nothing arrives in time.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

fn millis(duration: Duration) -> i32 {
    i32::try_from(duration.as_millis()).unwrap_or(i32::MAX)
}

/// Lets one party sleep and another wake it early (Cancel pressed, the
/// browser came back online). Cloning shares the same alarm.
#[derive(Clone, Default)]
pub struct Alarm {
    inner: Rc<AlarmInner>,
}

#[derive(Default)]
struct AlarmInner {
    /// Set by `ring` when nobody is sleeping, so the next sleep returns at once.
    rung: Cell<bool>,
    resolve: RefCell<Option<js_sys::Function>>,
    /// The request in flight, aborted by `ring` so a long read stops too.
    request: RefCell<Option<AbortController>>,
}

impl Alarm {
    /// Sleeps for `duration`, or until `ring` is called.
    pub async fn sleep(&self, duration: Duration) {
        if self.inner.rung.replace(false) || duration.is_zero() {
            return;
        }
        let inner = self.inner.clone();
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    &resolve,
                    millis(duration),
                );
            }
            *inner.resolve.borrow_mut() = Some(resolve);
        });
        let _ = JsFuture::from(promise).await;
        self.inner.resolve.borrow_mut().take();
        self.inner.rung.set(false);
    }

    /// A fresh abort controller for the next request; `ring` aborts it.
    pub fn request_controller(&self) -> AbortController {
        let controller =
            AbortController::new().expect("AbortController exists in every supported browser");
        *self.inner.request.borrow_mut() = Some(controller.clone());
        controller
    }

    /// Wakes a sleeper now (or the next one) and aborts the request in flight.
    pub fn ring(&self) {
        match self.inner.resolve.borrow_mut().take() {
            Some(resolve) => {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
            None => self.inner.rung.set(true),
        }
        if let Some(controller) = self.inner.request.borrow_mut().take() {
            controller.abort();
        }
    }
}

/// Aborts a request when it stays silent too long; `feed` on every chunk.
pub struct Watchdog {
    controller: AbortController,
    fired: Rc<Cell<bool>>,
    handle: Cell<Option<i32>>,
    callback: Closure<dyn FnMut()>,
}

impl Watchdog {
    /// Watches the request using `controller`'s signal.
    pub fn new(controller: AbortController) -> Self {
        let fired = Rc::new(Cell::new(false));
        let (flag, target) = (fired.clone(), controller.clone());
        let callback = Closure::<dyn FnMut()>::new(move || {
            flag.set(true);
            target.abort();
        });
        Self {
            controller,
            fired,
            handle: Cell::new(None),
            callback,
        }
    }

    /// (Re)arms the timer: the request is aborted unless `feed` comes again
    /// within `limit`.
    pub fn feed(&self, limit: Duration) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Some(old) = self.handle.take() {
            window.clear_timeout_with_handle(old);
        }
        let id = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                self.callback.as_ref().unchecked_ref(),
                millis(limit),
            )
            .ok();
        self.handle.set(id);
    }

    /// True when the watchdog aborted the request (rather than someone else).
    pub fn fired(&self) -> bool {
        self.fired.get()
    }

    /// The controller watched, for aborting by hand.
    pub fn controller(&self) -> &AbortController {
        &self.controller
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let (Some(window), Some(id)) = (web_sys::window(), self.handle.take()) {
            window.clear_timeout_with_handle(id);
        }
    }
}

/// Milliseconds since the epoch, from the browser's clock.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Seconds since the epoch, for reading fal's `Retry-After` dates.
pub fn now_secs() -> u64 {
    now_ms() / 1000
}

/// A number in `0.0..1.0` for retry jitter.
pub fn jitter() -> f64 {
    js_sys::Math::random()
}
