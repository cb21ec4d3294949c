//! How much of a direct request's body the simulator reads, decided before
//! reading any of it: after the fault and key checks, an upload's
//! signature and expiry are checked and its size weighed against
//! `--sim-max-upload` and `--sim-storage`; JSON calls get a small limit
//! and calls that carry no body a tiny one. A body declared larger is
//! refused unread (413).

use std::time::Instant;

use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use serde_json::json;

use super::call::Call;
use super::{SimRequest, Simulator};
use crate::body::{read_body, BodyError};
use crate::json_error::json_response;

/// Submit, initiate and complete bodies: fal's are a few KiB.
pub const JSON_LIMIT: u64 = 1 << 20;
/// Calls that carry no body.
const EMPTY_LIMIT: u64 = 64 << 10;

fn too_large() -> Response {
    json_response(
        StatusCode::PAYLOAD_TOO_LARGE,
        &json!({ "detail": "Request body too large" }),
    )
}

/// Reads the body `call` may have, or answers why not.
pub async fn read(
    sim: &Simulator,
    request: &SimRequest,
    call: &Call,
    body: Body,
) -> Result<Bytes, Response> {
    let declared = request
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let upload = |token: &str, part: Option<u32>| {
        let signature = request.query_value("sig");
        sim.lock()
            .storage
            .body_limit(token, signature, part, declared, Instant::now())
    };
    let limit = match call {
        Call::Upload { token } => upload(token, None),
        Call::UploadPart { token, number } => upload(token, Some(*number)),
        Call::Submit { .. }
        | Call::Run { .. }
        | Call::StorageInitiate { .. }
        | Call::UploadComplete { .. } => Ok(JSON_LIMIT),
        _ => Ok(EMPTY_LIMIT),
    }
    .map_err(|(status, body)| json_response(status, &body))?;
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    read_body(body, limit).await.map_err(|error| match error {
        BodyError::TooLarge => too_large(),
        BodyError::TimedOut => json_response(
            StatusCode::REQUEST_TIMEOUT,
            &json!({ "detail": "The request body did not arrive in time" }),
        ),
        BodyError::Broken => json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "detail": "The request body broke off" }),
        ),
    })
}
