//! One request description per call of fal's protocol, before the
//! connection (direct with a key, or through a proxy) is applied by
//! [`crate::core::fal::transport`].
//!
//! URLs, methods, headers and bodies follow fal-js (docs/fal-protocol.md §4, §8):
//! queue calls on `queue_base_url`, storage calls on `rest_base_url`, and the
//! byte uploads on whatever `upload_url` fal's storage returned.

use serde_json::json;

use crate::core::fal::base_url::BaseUrl;
use crate::core::fal::endpoint::{with_query, QueueEndpoint, RequestUrls};
use crate::core::fal::http::{Body, HttpRequest, Method};
use crate::core::model::schema::R2vInput;
use crate::core::url;

/// Which protocol step a request is, which decides its route, whether it
/// may carry the key, and how it is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallKind {
    Submit,
    Status,
    StatusStream,
    Result,
    Cancel,
    /// `POST {rest}/storage/upload/initiate`.
    StorageInitiate,
    /// `POST {rest}/storage/upload/initiate-multipart`.
    InitiateMultipart,
    /// The single `PUT` of a whole file (≤ 90 MiB) to `upload_url`.
    UploadFile,
    /// One multipart part `PUT`.
    UploadPart,
    /// The multipart `complete` `POST`.
    CompleteMultipart,
    /// The free key check (see [`test_connection`]).
    TestConnection,
}

/// Where a call is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// To fal's queue or REST host, through the proxy when there is one
    /// (every call fal-js sends through `dispatchRequest`).
    Fal,
    /// Straight from the browser to the storage host named by `upload_url`,
    /// never through the proxy and never with the key. fal-js does this for
    /// the byte `PUT`, the part `PUT`s and also the multipart `complete`.
    StorageDirect,
}

impl CallKind {
    pub fn route(self) -> Route {
        match self {
            CallKind::UploadFile | CallKind::UploadPart | CallKind::CompleteMultipart => {
                Route::StorageDirect
            }
            _ => Route::Fal,
        }
    }
}

/// A request plus what it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FalCall {
    pub kind: CallKind,
    pub request: HttpRequest,
}

const JSON: &str = "application/json";

fn json_call(kind: CallKind, method: Method, url: String, body: String) -> FalCall {
    FalCall {
        kind,
        request: HttpRequest::new(method, url)
            .with_header("Accept", JSON)
            .with_header("Content-Type", JSON)
            .with_body(Body::Json(body)),
    }
}

fn read_call(kind: CallKind, method: Method, url: String, accept: &str) -> FalCall {
    FalCall {
        kind,
        request: HttpRequest::new(method, url).with_header("Accept", accept),
    }
}

/// `POST {queue}/{owner}/{alias}/{path}` with the model input; priority
/// `normal` as fal-js always sends.
pub fn submit(queue: &QueueEndpoint, input: &R2vInput) -> FalCall {
    let mut call = json_call(
        CallKind::Submit,
        Method::Post,
        queue.submit_url(),
        input.to_json(),
    );
    call.request
        .headers
        .push(("x-fal-queue-priority".into(), "normal".into()));
    call
}

/// `GET …/requests/{id}/status?logs=1`.
pub fn status(urls: &RequestUrls) -> FalCall {
    read_call(
        CallKind::Status,
        Method::Get,
        with_query(&urls.status, "logs", "1"),
        JSON,
    )
}

/// `GET …/requests/{id}/status/stream?logs=1`, as server-sent events.
pub fn status_stream(urls: &RequestUrls) -> FalCall {
    read_call(
        CallKind::StatusStream,
        Method::Get,
        with_query(&urls.stream, "logs", "1"),
        "text/event-stream",
    )
}

/// `GET …/requests/{id}`: the output, or the error the run ended with.
pub fn result(urls: &RequestUrls) -> FalCall {
    read_call(CallKind::Result, Method::Get, urls.response.clone(), JSON)
}

/// `PUT …/requests/{id}/cancel`, with no body (as fal-js sends it).
pub fn cancel(urls: &RequestUrls) -> FalCall {
    read_call(CallKind::Cancel, Method::Put, urls.cancel.clone(), JSON)
}

/// A request id that cannot exist, for [`test_connection`].
pub const NO_SUCH_REQUEST_ID: &str = "00000000-0000-0000-0000-000000000000";

/// A check of the key and route that costs nothing: the status of a request
/// id that cannot exist, on the real queue host for this endpoint. Nothing
/// runs and nothing is billed. See `connection_check` for what the answer
/// means.
pub fn test_connection(queue: &QueueEndpoint) -> FalCall {
    let urls = queue
        .built_urls(NO_SUCH_REQUEST_ID)
        .expect("the constant id is a valid request id");
    read_call(CallKind::TestConnection, Method::Get, urls.status, JSON)
}

/// The storage type fal-js asks for.
const STORAGE_TYPE: &str = "fal-cdn-v3";

fn storage_body(content_type: &str, file_name: &str) -> String {
    json!({ "content_type": content_type, "file_name": file_name }).to_string()
}

/// `POST {rest}/storage/upload/initiate?storage_type=fal-cdn-v3`, for one
/// file up to 90 MiB; answers `{upload_url, file_url}`.
pub fn storage_initiate(rest: &BaseUrl, content_type: &str, file_name: &str) -> FalCall {
    json_call(
        CallKind::StorageInitiate,
        Method::Post,
        rest.join(&format!(
            "storage/upload/initiate?storage_type={STORAGE_TYPE}"
        )),
        storage_body(content_type, file_name),
    )
}

/// `POST {rest}/storage/upload/initiate-multipart?storage_type=fal-cdn-v3`.
/// Note: the stock `@fal-ai/server-proxy` 1.2.1 does not allow this URL and
/// answers `400 "Invalid request"` (classified as `ProxyRefused`).
pub fn initiate_multipart(rest: &BaseUrl, content_type: &str, file_name: &str) -> FalCall {
    json_call(
        CallKind::InitiateMultipart,
        Method::Post,
        rest.join(&format!(
            "storage/upload/initiate-multipart?storage_type={STORAGE_TYPE}"
        )),
        storage_body(content_type, file_name),
    )
}

/// Why an `upload_url` from fal cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadUploadUrl(pub String);

impl std::fmt::Display for BadUploadUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "fal's storage returned an unusable upload address {:?}.",
            self.0
        )
    }
}

/// `upload_url` split as fal-js splits it (`origin`, `pathname`, `search`).
fn split_upload_url(upload_url: &str) -> Result<(String, String, String), BadUploadUrl> {
    let bad = || BadUploadUrl(upload_url.to_owned());
    if !url::is_web_url(upload_url) {
        return Err(bad());
    }
    let parsed = url::parse(upload_url).map_err(|_| bad())?;
    let search = parsed
        .query()
        .filter(|q| !q.is_empty())
        .map_or(String::new(), |q| format!("?{q}"));
    Ok((
        parsed.origin(),
        parsed.path().trim_end_matches('/').to_owned(),
        search,
    ))
}

/// `PUT <upload_url>` with the whole file, labelled with its type.
pub fn upload_file(
    upload_url: &str,
    size: u64,
    content_type: &str,
) -> Result<FalCall, BadUploadUrl> {
    split_upload_url(upload_url)?;
    Ok(FalCall {
        kind: CallKind::UploadFile,
        request: HttpRequest::new(Method::Put, upload_url.trim())
            .with_header("Content-Type", content_type)
            .with_body(Body::FileSlice {
                start: 0,
                end: size,
                content_type: Some(content_type.to_owned()),
            }),
    })
}

/// `PUT {origin}{pathname}/{N}{search}` with bytes `start..end`, no
/// Content-Type (as fal-js sends parts).
pub fn upload_part(
    upload_url: &str,
    part_number: u32,
    start: u64,
    end: u64,
) -> Result<FalCall, BadUploadUrl> {
    let (origin, path, search) = split_upload_url(upload_url)?;
    Ok(FalCall {
        kind: CallKind::UploadPart,
        request: HttpRequest::new(Method::Put, format!("{origin}{path}/{part_number}{search}"))
            .with_body(Body::FileSlice {
                start,
                end,
                content_type: None,
            }),
    })
}

/// One uploaded part, for the `complete` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletedPart {
    pub part_number: u32,
    pub etag: String,
}

/// `POST {origin}{pathname}/complete{search}` with
/// `{"parts":[{"partNumber":1,"etag":"…"},…]}`.
pub fn complete_multipart(
    upload_url: &str,
    parts: &[CompletedPart],
) -> Result<FalCall, BadUploadUrl> {
    let (origin, path, search) = split_upload_url(upload_url)?;
    let parts: Vec<_> = parts
        .iter()
        .map(|p| json!({ "partNumber": p.part_number, "etag": p.etag }))
        .collect();
    let body = json!({ "parts": parts }).to_string();
    Ok(FalCall {
        kind: CallKind::CompleteMultipart,
        request: HttpRequest::new(Method::Post, format!("{origin}{path}/complete{search}"))
            .with_header("Content-Type", JSON)
            .with_body(Body::Json(body)),
    })
}

#[cfg(test)]
#[path = "calls_tests.rs"]
mod tests;
