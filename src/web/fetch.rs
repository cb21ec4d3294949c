//! Performs a core [`HttpRequest`] with the browser's `fetch`, and hands the
//! answer back as a core [`HttpResponse`]. No decisions are made here: what
//! to send and what an answer means are the core's.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, Blob, Headers, ReadableStreamDefaultReader, Request, RequestInit, RequestMode,
    Response,
};

use crate::core::fal::error::NetworkFailure;
use crate::core::fal::http::{Body, HttpRequest, HttpResponse};

/// Why no answer came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchFailure {
    /// The browser could not get an answer (offline, refused, CORS, dropped).
    Network(NetworkFailure),
    /// Our own abort signal fired: the caller stopped waiting on purpose.
    Aborted,
}

/// Sends `request` and reads the whole answer as text.
///
/// `file` is the local file a [`Body::FileSlice`] refers to; the slice is
/// taken from the `Blob`, so the bytes never pass through wasm memory.
pub async fn send(
    request: &HttpRequest,
    file: Option<&Blob>,
    signal: Option<&AbortSignal>,
) -> Result<HttpResponse, FetchFailure> {
    let response = start(request, file, signal).await?;
    let status = response.status();
    let headers = headers_of(&response.headers());
    let text = response.text().map_err(|_| interrupted(signal))?;
    let body = JsFuture::from(text)
        .await
        .map_err(|_| interrupted(signal))?;
    Ok(HttpResponse {
        status,
        headers,
        body: body.as_string().unwrap_or_default(),
    })
}

/// An answer whose body is read as it arrives (the status stream).
pub struct StreamingResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    reader: Option<ReadableStreamDefaultReader>,
    signal: Option<AbortSignal>,
}

impl StreamingResponse {
    /// The next chunk of bytes, or `None` when the server closed the stream.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, FetchFailure> {
        let Some(reader) = &self.reader else {
            return Ok(None);
        };
        let signal = self.signal.as_ref();
        let step = JsFuture::from(reader.read())
            .await
            .map_err(|_| interrupted(signal))?;
        let done = Reflect::get(&step, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            self.reader = None;
            return Ok(None);
        }
        let value =
            Reflect::get(&step, &JsValue::from_str("value")).map_err(|_| interrupted(signal))?;
        Ok(Some(value.unchecked_into::<Uint8Array>().to_vec()))
    }

    /// Reads what is left as text (for error answers on a stream request).
    pub async fn rest_as_text(&mut self) -> Result<String, FetchFailure> {
        let mut bytes = Vec::new();
        while let Some(chunk) = self.next_chunk().await? {
            bytes.extend_from_slice(&chunk);
        }
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// Sends `request` and returns as soon as the headers arrive, with the body
/// left to read chunk by chunk.
pub async fn open_stream(
    request: &HttpRequest,
    signal: Option<&AbortSignal>,
) -> Result<StreamingResponse, FetchFailure> {
    let response = start(request, None, signal).await?;
    let reader = response.body().and_then(|body| {
        body.get_reader()
            .dyn_into::<ReadableStreamDefaultReader>()
            .ok()
    });
    Ok(StreamingResponse {
        status: response.status(),
        headers: headers_of(&response.headers()),
        reader,
        signal: signal.cloned(),
    })
}

async fn start(
    request: &HttpRequest,
    file: Option<&Blob>,
    signal: Option<&AbortSignal>,
) -> Result<Response, FetchFailure> {
    let js_request = build(request, file, signal).map_err(|_| unreachable_or_offline())?;
    let window = web_sys::window().ok_or(FetchFailure::Network(NetworkFailure::Unreachable))?;
    match JsFuture::from(window.fetch_with_request(&js_request)).await {
        Ok(value) => Ok(value.unchecked_into()),
        Err(_) if signal.is_some_and(AbortSignal::aborted) => Err(FetchFailure::Aborted),
        Err(_) => Err(unreachable_or_offline()),
    }
}

fn build(
    request: &HttpRequest,
    file: Option<&Blob>,
    signal: Option<&AbortSignal>,
) -> Result<Request, JsValue> {
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_mode(RequestMode::Cors);
    let headers = Headers::new()?;
    for (name, value) in &request.headers {
        headers.append(name, value)?;
    }
    init.set_headers(&headers);
    match &request.body {
        Body::None => {}
        Body::Json(text) => init.set_body(&JsValue::from_str(text)),
        Body::FileSlice {
            start,
            end,
            content_type,
        } => {
            let file = file.ok_or_else(|| JsValue::from_str("no file for a file-slice body"))?;
            let slice = match content_type {
                Some(kind) => {
                    file.slice_with_f64_and_f64_and_content_type(*start as f64, *end as f64, kind)?
                }
                None => file.slice_with_f64_and_f64(*start as f64, *end as f64)?,
            };
            init.set_body(&slice);
        }
    }
    if let Some(signal) = signal {
        init.set_signal(Some(signal));
    }
    Request::new_with_str_and_init(&request.url, &init)
}

fn headers_of(headers: &Headers) -> Vec<(String, String)> {
    let Ok(Some(entries)) = js_sys::try_iter(headers) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pair: js_sys::Array = entry.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// A rejected `fetch` is "offline" when the browser says so; otherwise the
/// host was unreachable or refused us (CORS looks the same to a page).
fn unreachable_or_offline() -> FetchFailure {
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    FetchFailure::Network(if online {
        NetworkFailure::Unreachable
    } else {
        NetworkFailure::Offline
    })
}

fn interrupted(signal: Option<&AbortSignal>) -> FetchFailure {
    if signal.is_some_and(AbortSignal::aborted) {
        FetchFailure::Aborted
    } else {
        FetchFailure::Network(NetworkFailure::Interrupted)
    }
}
