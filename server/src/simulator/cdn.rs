//! Storage and CDN routes, simulated: upload initiation (a REST call that
//! needs the key) and the signed upload URLs and files (which do not).

use std::time::Instant;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::file_headers::protect;
use super::files::serve_bytes;
use super::output::OUTPUT_MP4;
use super::storage::StorageError;
use super::{SimRequest, Simulator};
use crate::json_error::json_response;

fn answer(result: Result<serde_json::Value, StorageError>) -> Response {
    match result {
        Ok(body) => json_response(StatusCode::OK, &body),
        Err((status, body)) => json_response(status, &body),
    }
}

fn not_found() -> Response {
    json_response(
        StatusCode::NOT_FOUND,
        &json!({ "detail": "File not found" }),
    )
}

pub fn initiate(sim: &Simulator, request: &SimRequest, multipart: bool) -> Response {
    if request.query_value("storage_type") != Some("fal-cdn-v3") {
        return json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "detail": "storage_type must be fal-cdn-v3" }),
        );
    }
    let mut state = sim.lock();
    let ttl = state.timings.upload_ttl;
    answer(state.storage.initiate(
        &request.body,
        multipart,
        &request.origin,
        ttl,
        Instant::now(),
    ))
}

pub fn upload(sim: &Simulator, request: &SimRequest, token: &str) -> Response {
    let content_type = request
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let result = sim.lock().storage.put(
        token,
        request.query_value("sig"),
        request.body.clone(),
        content_type,
        Instant::now(),
    );
    match result {
        Ok(()) => StatusCode::OK.into_response(),
        Err((status, body)) => json_response(status, &body),
    }
}

pub fn upload_part(sim: &Simulator, request: &SimRequest, token: &str, number: u32) -> Response {
    let result = sim.lock().storage.put_part(
        token,
        number,
        request.query_value("sig"),
        request.body.clone(),
        Instant::now(),
    );
    match result {
        Ok(etag) => {
            let mut response = json_response(
                StatusCode::OK,
                &json!({ "partNumber": number, "etag": etag }),
            );
            if let Ok(value) = HeaderValue::from_str(&format!("\"{etag}\"")) {
                response.headers_mut().insert(header::ETAG, value);
            }
            response
        }
        Err((status, body)) => json_response(status, &body),
    }
}

pub fn complete(sim: &Simulator, request: &SimRequest, token: &str) -> Response {
    answer(sim.lock().storage.complete(
        token,
        request.query_value("sig"),
        &request.body,
        &request.origin,
        Instant::now(),
    ))
}

pub fn file(sim: &Simulator, request: &SimRequest, token: &str, name: &str) -> Response {
    let Some(file) = sim.lock().storage.file(token, name) else {
        return not_found();
    };
    let mut response = serve_bytes(
        &request.method,
        &request.headers,
        file.bytes,
        &file.content_type,
    );
    protect(response.headers_mut(), &file.content_type, &file.name);
    response
}

pub fn output(sim: &Simulator, request: &SimRequest, id: &str) -> Response {
    if !sim.lock().outputs.contains(id) {
        return not_found();
    }
    let mut response = serve_bytes(
        &request.method,
        &request.headers,
        bytes::Bytes::from_static(OUTPUT_MP4),
        "video/mp4",
    );
    protect(response.headers_mut(), "video/mp4", "output.mp4");
    response
}

/// The bytes behind one of this simulator's own file URLs (the part after
/// `/sim/files/`: `<token>/<name>` or `output/<id>.mp4`), for the proxy's
/// reference-length check, which needs no fetch for files it holds.
pub fn stored_bytes(sim: &Simulator, file_path: &str) -> Option<bytes::Bytes> {
    let (first, second) = file_path.split_once('/')?;
    if second.contains('/') {
        return None;
    }
    let state = sim.lock();
    match (first, second.strip_suffix(".mp4")) {
        ("output", Some(id)) if state.outputs.contains(id) => {
            Some(bytes::Bytes::from_static(OUTPUT_MP4))
        }
        _ => state.storage.file(first, second).map(|f| f.bytes),
    }
}
