//! Performs a core [`HttpRequest`] with `fetch` (through `gloo-net`) and
//! hands the answer back as a core [`HttpResponse`]. No decisions are made
//! here: what to send and what an answer means are the core's.
//! docs/network-layer.md says what `gloo-net` covers and what it does not.

use gloo_net::http::{Headers, Method, QueryParams, RequestBuilder, Response};
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Blob, ReadableStreamDefaultReader, RequestMode, UrlSearchParams};

use crate::core::fal::error::NetworkFailure;
use crate::core::fal::http::{self, Body, HttpRequest, HttpResponse};

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
    let body = response.text().await.map_err(|_| interrupted(signal))?;
    Ok(HttpResponse {
        status: response.status(),
        headers: response.headers().entries().collect(),
        body,
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
    /// The header `name` (any case), if the browser lets the page read it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

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
/// left to read chunk by chunk. `gloo-net` reads bodies only whole, so the
/// chunks come from the stream's own reader.
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
        headers: response.headers().entries().collect(),
        reader,
        signal: signal.cloned(),
    })
}

async fn start(
    request: &HttpRequest,
    file: Option<&Blob>,
    signal: Option<&AbortSignal>,
) -> Result<Response, FetchFailure> {
    let built = build(request, file, signal).map_err(|_| unreachable_or_offline())?;
    match built.send().await {
        Ok(response) => Ok(response),
        Err(_) if signal.is_some_and(AbortSignal::aborted) => Err(FetchFailure::Aborted),
        Err(_) => Err(unreachable_or_offline()),
    }
}

fn build(
    request: &HttpRequest,
    file: Option<&Blob>,
    signal: Option<&AbortSignal>,
) -> Result<gloo_net::http::Request, JsValue> {
    // Appended one by one so a value the browser refuses is an error here,
    // not a thrown exception (`RequestBuilder::header` throws).
    let headers = web_sys::Headers::new()?;
    for (name, value) in &request.headers {
        headers.append(name, value)?;
    }
    let builder = builder_for(&request.url)?
        .method(method(request.method))
        .mode(RequestMode::Cors)
        .headers(Headers::from_raw(headers))
        .abort_signal(signal);
    let built = match &request.body {
        Body::None => builder.build(),
        Body::Json(text) => builder.body(text.as_str()),
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
            builder.body(slice)
        }
    };
    built.map_err(|error| JsValue::from_str(&error.to_string()))
}

/// The builder for `url`. `gloo-net` rebuilds the URL with its own query
/// parameters and would leave a stray `&` after a query given in the URL
/// itself, so the query is handed over as parameters: the URL sent is the
/// one the core described.
fn builder_for(url: &str) -> Result<RequestBuilder, JsValue> {
    let Some((path, query)) = url.split_once('?') else {
        return Ok(RequestBuilder::new(url));
    };
    let pairs: Vec<(String, String)> = QueryParams::from_raw(UrlSearchParams::new_with_str(query)?)
        .iter()
        .collect();
    Ok(RequestBuilder::new(path).query(pairs.iter().map(|(k, v)| (k.as_str(), v))))
}

fn method(method: http::Method) -> Method {
    match method {
        http::Method::Get => Method::GET,
        http::Method::Post => Method::POST,
        http::Method::Put => Method::PUT,
    }
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
