//! Reading a request body whole, never more than a limit: a body that
//! declares or turns out to be larger stops being read at the limit.

use axum::body::Body;
use axum::body::HttpBody as _;
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Over the limit (413).
    TooLarge,
    /// The client broke off (400; it will rarely see the answer).
    Broken,
}

/// Reads `body` up to `limit` bytes, into one buffer as it arrives (not
/// chunks joined at the end, which would hold the body twice).
pub async fn read_body(mut body: Body, limit: u64) -> Result<Bytes, BodyError> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut bytes = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Broken)?;
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
