//! Performs a core [`HttpRequest`] with `XMLHttpRequest`, the one browser
//! API that reports how many bytes of a request body have been sent
//! (`upload.onprogress`); `fetch` reports none.
//!
//! A [`Body::FileSlice`] is sent as `Blob.slice(start, end)` of the file:
//! the browser streams it from disk, so the bytes never enter wasm memory.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Event, ProgressEvent, XmlHttpRequest};

use super::stop::Stopper;
use crate::core::fal::error::NetworkFailure;
use crate::core::fal::http::{Body, HttpRequest, HttpResponse};
use crate::core::upload::stall::StallWatch;

/// Why no answer came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XhrFailure {
    Network(NetworkFailure),
    /// The file's [`Stopper`] aborted it on purpose.
    Stopped,
}

/// Aborts the request once its [`StallWatch`] says it went silent: the
/// request's events only mark `heard` (no browser call per event), and a
/// repeating timer looks a few times per stall limit.
struct StallGuard {
    fired: Rc<Cell<bool>>,
    interval: Option<i32>,
    _look: Closure<dyn FnMut()>,
}

impl StallGuard {
    /// Starts watching `request` now; its handlers set `heard` on every
    /// event (the send itself counts as one).
    fn start(request: &XmlHttpRequest, limit: Duration, heard: &Rc<Cell<bool>>) -> Self {
        heard.set(true);
        let fired = Rc::new(Cell::new(false));
        let mut watch = StallWatch::new(limit);
        let millis = i32::try_from(watch.period().as_millis()).unwrap_or(i32::MAX);
        let (was_heard, stalled, target) = (heard.clone(), fired.clone(), request.clone());
        let look = Closure::<dyn FnMut()>::new(move || {
            if !stalled.get() && watch.check(was_heard.replace(false)) {
                stalled.set(true);
                let _ = target.abort();
            }
        });
        let interval = web_sys::window().and_then(|window| {
            window
                .set_interval_with_callback_and_timeout_and_arguments_0(
                    look.as_ref().unchecked_ref(),
                    millis,
                )
                .ok()
        });
        Self {
            fired,
            interval,
            _look: look,
        }
    }
}

impl Drop for StallGuard {
    fn drop(&mut self) {
        if let (Some(window), Some(id)) = (web_sys::window(), self.interval.take()) {
            window.clear_interval_with_handle(id);
        }
    }
}

/// Sends `request` and reads the whole answer as text. `file` is the file a
/// [`Body::FileSlice`] refers to; `on_progress` hears the body bytes sent so
/// far. A stop of `stopper` aborts the request; so does `stall_limit`
/// without any event (noticed within a quarter of it more; then it counts
/// as timed out).
pub async fn send(
    request: &HttpRequest,
    file: Option<&Blob>,
    on_progress: Option<Box<dyn FnMut(u64)>>,
    stopper: &Stopper,
    stall_limit: Duration,
) -> Result<HttpResponse, XhrFailure> {
    let unreachable = XhrFailure::Network(NetworkFailure::Unreachable);
    let xhr = XmlHttpRequest::new().map_err(|_| unreachable)?;
    xhr.open_with_async(request.method.as_str(), &request.url, true)
        .map_err(|_| unreachable)?;
    for (name, value) in &request.headers {
        xhr.set_request_header(name, value)
            .map_err(|_| unreachable)?;
    }

    let heard = Rc::new(Cell::new(true));
    let moved = Rc::new(Cell::new(false));
    let progress = {
        let (heard, moved) = (heard.clone(), moved.clone());
        let mut report = on_progress;
        Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
            heard.set(true);
            moved.set(true);
            if let Some(report) = report.as_mut() {
                report(event.loaded() as u64);
            }
        })
    };
    // The answer arriving counts as activity too (a slow storage host
    // answers long after the last byte went).
    let activity = {
        let heard = heard.clone();
        Closure::<dyn FnMut()>::new(move || heard.set(true))
    };
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    xhr.set_onprogress(Some(activity.as_ref().unchecked_ref()));

    // Every ending resolves the promise with its event; its type says which.
    let mut hooks = None;
    let ended = js_sys::Promise::new(&mut |resolve, _| hooks = Some(resolve));
    if let Some(resolve) = &hooks {
        xhr.set_onload(Some(resolve));
        xhr.set_onerror(Some(resolve));
        xhr.set_onabort(Some(resolve));
        xhr.set_ontimeout(Some(resolve));
    }

    let Some(ticket) = stopper.track(&xhr) else {
        return Err(XhrFailure::Stopped);
    };
    let stall = StallGuard::start(&xhr, stall_limit, &heard);
    let sent = match &request.body {
        Body::None => xhr.send(),
        Body::Json(text) => xhr.send_with_opt_str(Some(text)),
        Body::FileSlice {
            start,
            end,
            content_type,
        } => match file {
            Some(file) => match content_type {
                Some(kind) => {
                    file.slice_with_f64_and_f64_and_content_type(*start as f64, *end as f64, kind)
                }
                None => file.slice_with_f64_and_f64(*start as f64, *end as f64),
            }
            .and_then(|slice| xhr.send_with_opt_blob(Some(&slice))),
            None => Err(JsValue::from_str("no file for a file-slice body")),
        },
    };
    if sent.is_err() {
        stopper.untrack(ticket);
        return Err(unreachable);
    }
    let event = JsFuture::from(ended).await;
    let stopped = !stopper.untrack(ticket);
    let stalled = stall.fired.get();
    drop(stall);
    let kind = event
        .ok()
        .and_then(|e| e.dyn_into::<Event>().ok())
        .map(|e| e.type_())
        .unwrap_or_default();

    match kind.as_str() {
        "load" => Ok(HttpResponse {
            status: xhr.status().unwrap_or(0),
            headers: parse_headers(&xhr.get_all_response_headers().unwrap_or_default()),
            body: xhr.response_text().ok().flatten().unwrap_or_default(),
        }),
        _ if stopped => Err(XhrFailure::Stopped),
        "abort" if !stalled => Err(XhrFailure::Network(NetworkFailure::Interrupted)),
        "abort" | "timeout" => Err(XhrFailure::Network(NetworkFailure::TimedOut)),
        _ => {
            let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
            Err(XhrFailure::Network(if !online {
                NetworkFailure::Offline
            } else if moved.get() {
                // Bytes had been going: the connection broke mid-way.
                NetworkFailure::Interrupted
            } else {
                // Refused, unreachable, or the browser blocked it (CORS).
                NetworkFailure::Unreachable
            }))
        }
    }
}

/// `getAllResponseHeaders()` text (`name: value` lines) as pairs. The
/// browser lists only headers the page may read (CORS-exposed ones).
fn parse_headers(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_owned(), value.trim().to_owned()))
        })
        .filter(|(name, _)| !name.is_empty())
        .collect()
}
