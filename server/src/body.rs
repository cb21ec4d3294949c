//! Reading a request body whole, never more than a limit: a body that
//! declares or turns out to be larger stops being read at the limit, and
//! one that does not arrive within `--body-timeout` (see
//! [`crate::body_deadline`]) stops there.

use axum::body::Body;
use axum::body::HttpBody as _;
use axum::http::StatusCode;
use axum::response::Response;
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;

use crate::body_deadline::is_timeout;
use crate::json_error::json_error;

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Over the limit (413).
    TooLarge,
    /// Not all there within `--body-timeout` (408).
    TimedOut,
    /// The client broke off (400; it will rarely see the answer).
    Broken,
}

/// Reads `body` up to `limit` bytes, into one buffer as it arrives (not
/// chunks joined at the end, which would hold the body twice).
pub async fn read_body(mut body: Body, limit: u64) -> Result<Bytes, BodyError> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut bytes = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|error| match is_timeout(&error) {
            true => BodyError::TimedOut,
            false => BodyError::Broken,
        })?;
        if let Ok(data) = frame.into_data() {
            if data.len() > limit - bytes.len() {
                return Err(BodyError::TooLarge);
            }
            if bytes.is_empty() {
                // The whole body in one frame: keep it as it is.
                if body.is_end_stream() {
                    return Ok(data);
                }
                bytes.reserve(data.len());
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes.freeze())
}

impl BodyError {
    /// The proxy's own answer (`{"error": ...}`), naming the limit.
    pub fn answer(self, limit: u64) -> Response {
        match self {
            BodyError::TooLarge => json_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("request body over the limit of {limit} bytes"),
            ),
            BodyError::TimedOut => json_error(
                StatusCode::REQUEST_TIMEOUT,
                "the request body did not arrive in time (--body-timeout)",
            ),
            BodyError::Broken => json_error(StatusCode::BAD_REQUEST, "the request body broke off"),
        }
    }
}
