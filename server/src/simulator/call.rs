//! What a simulated request asks for, read from service, method and path
//! the way fal's hosts route them, including the sub-path rule: request
//! URLs carry only `owner/alias`, so a status or result URL that keeps the
//! model's sub-path (`.../v2.7/reference-to-video/requests/...`) fails.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::json;

use super::faults::FaultRule;
use super::route::SimRoute;
use super::{cdn, queue, Service, SimRequest, Simulator};
use crate::json_error::json_response;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Submit {
        endpoint: String,
    },
    Status {
        owner_alias: String,
        id: String,
    },
    StatusStream {
        owner_alias: String,
        id: String,
    },
    Result {
        owner_alias: String,
        id: String,
    },
    Cancel {
        owner_alias: String,
        id: String,
    },
    Run {
        endpoint: String,
    },
    StorageInitiate {
        multipart: bool,
    },
    Upload {
        token: String,
    },
    UploadPart {
        token: String,
        number: u32,
    },
    UploadComplete {
        token: String,
    },
    File {
        token: String,
        name: String,
    },
    Output {
        id: String,
    },
    /// A path that exists with another method (fal answers 405).
    MethodNotAllowed,
    NotFound,
}

impl Call {
    pub fn route(&self) -> SimRoute {
        match self {
            Call::Submit { .. } => SimRoute::Submit,
            Call::Status { .. } => SimRoute::Status,
            Call::StatusStream { .. } => SimRoute::StatusStream,
            Call::Result { .. } => SimRoute::Result,
            Call::Cancel { .. } => SimRoute::Cancel,
            Call::Run { .. } => SimRoute::Run,
            Call::StorageInitiate { multipart: false } => SimRoute::StorageInitiate,
            Call::StorageInitiate { multipart: true } => SimRoute::StorageInitiateMultipart,
            Call::Upload { .. } => SimRoute::Upload,
            Call::UploadPart { .. } => SimRoute::UploadPart,
            Call::UploadComplete { .. } => SimRoute::UploadComplete,
            Call::File { .. } | Call::Output { .. } => SimRoute::File,
            Call::MethodNotAllowed | Call::NotFound => SimRoute::Unknown,
        }
    }

    /// The job a call is about, for fault filters and the journal.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Call::Status { id, .. }
            | Call::StatusStream { id, .. }
            | Call::Result { id, .. }
            | Call::Cancel { id, .. }
            | Call::Output { id } => Some(id),
            _ => None,
        }
    }
}

/// Reads a request's call.
pub fn classify(request: &SimRequest) -> Call {
    let segments: Vec<&str> = request
        .path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let method = &request.method;
    match request.service {
        Service::Queue => classify_queue(method, &segments),
        Service::Run if *method == Method::POST && segments.len() >= 2 => Call::Run {
            endpoint: segments.join("/"),
        },
        Service::Run => Call::NotFound,
        Service::Rest => {
            let multipart = match segments.as_slice() {
                ["storage", "upload", "initiate"] => false,
                ["storage", "upload", "initiate-multipart"] => true,
                _ => return Call::NotFound,
            };
            if *method != Method::POST {
                Call::MethodNotAllowed
            } else {
                Call::StorageInitiate { multipart }
            }
        }
        Service::Cdn => classify_cdn(method, &segments),
    }
}

fn classify_queue(method: &Method, segments: &[&str]) -> Call {
    if segments.len() >= 4 && segments[2] == "requests" {
        let owner_alias = format!("{}/{}", segments[0], segments[1]);
        let id = segments[3].to_owned();
        return match (method.clone(), &segments[4..]) {
            (Method::GET, []) => Call::Result { owner_alias, id },
            (Method::GET, ["status"]) => Call::Status { owner_alias, id },
            (Method::GET, ["status", "stream"]) => Call::StatusStream { owner_alias, id },
            (Method::PUT, ["cancel"]) => Call::Cancel { owner_alias, id },
            (_, [] | ["status"] | ["status", "stream"] | ["cancel"]) => Call::MethodNotAllowed,
            _ => Call::NotFound,
        };
    }
    if *method == Method::POST && segments.len() >= 2 {
        return Call::Submit {
            endpoint: segments.join("/"),
        };
    }
    // GET/PUT under a full endpoint id, e.g. a status URL built with the
    // sub-path: fal routes it to the app, which only takes POST.
    if segments.len() >= 2 {
        Call::MethodNotAllowed
    } else {
        Call::NotFound
    }
}

fn classify_cdn(method: &Method, segments: &[&str]) -> Call {
    let get = *method == Method::GET || *method == Method::HEAD;
    match (segments, method.clone()) {
        (["storage", "upload", token], Method::PUT) => Call::Upload {
            token: (*token).to_owned(),
        },
        (["storage", "multipart", token, "complete"], Method::POST) => Call::UploadComplete {
            token: (*token).to_owned(),
        },
        (["storage", "multipart", token, number], Method::PUT) => match number.parse() {
            Ok(number) => Call::UploadPart {
                token: (*token).to_owned(),
                number,
            },
            Err(_) => Call::NotFound,
        },
        (["files", "output", file], _) if get => match file.strip_suffix(".mp4") {
            Some(id) => Call::Output { id: id.to_owned() },
            None => Call::NotFound,
        },
        (["files", token, name], _) if get => Call::File {
            token: (*token).to_owned(),
            name: (*name).to_owned(),
        },
        (["storage", ..], _) | (["files", ..], _) => Call::MethodNotAllowed,
        _ => Call::NotFound,
    }
}

/// Answers a call (after faults and the key check).
pub async fn handle(
    sim: &Arc<Simulator>,
    request: &SimRequest,
    call: Call,
    stream_fault: Option<FaultRule>,
) -> Response {
    match call {
        Call::Submit { endpoint } => queue::submit(sim, request, &endpoint),
        Call::Status { owner_alias, id } => queue::status(sim, request, &owner_alias, &id),
        Call::StatusStream { owner_alias, id } => {
            queue::status_stream(sim, request, owner_alias, id, stream_fault)
        }
        Call::Result { owner_alias, id } => queue::result(sim, &owner_alias, &id),
        Call::Cancel { owner_alias, id } => queue::cancel(sim, &owner_alias, &id),
        Call::Run { endpoint } => queue::run(sim, request, &endpoint).await,
        Call::StorageInitiate { multipart } => cdn::initiate(sim, request, multipart),
        Call::Upload { token } => cdn::upload(sim, request, &token),
        Call::UploadPart { token, number } => cdn::upload_part(sim, request, &token, number),
        Call::UploadComplete { token } => cdn::complete(sim, request, &token),
        Call::File { token, name } => cdn::file(sim, request, &token, &name),
        Call::Output { id } => cdn::output(sim, request, &id),
        Call::MethodNotAllowed => json_response(
            StatusCode::METHOD_NOT_ALLOWED,
            &json!({ "detail": "Method Not Allowed" }),
        ),
        Call::NotFound => json_response(StatusCode::NOT_FOUND, &json!({ "detail": "Not Found" })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue_call(method: Method, path: &str) -> Call {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        classify_queue(&method, &segments)
    }

    #[test]
    fn request_urls_use_owner_and_alias_only() {
        assert_eq!(
            queue_call(Method::POST, "/fal-ai/wan/v2.7/reference-to-video"),
            Call::Submit {
                endpoint: "fal-ai/wan/v2.7/reference-to-video".into()
            }
        );
        assert_eq!(
            queue_call(Method::GET, "/fal-ai/wan/requests/r1/status"),
            Call::Status {
                owner_alias: "fal-ai/wan".into(),
                id: "r1".into()
            }
        );
        assert!(matches!(
            queue_call(Method::GET, "/fal-ai/wan/requests/r1/status/stream"),
            Call::StatusStream { .. }
        ));
        assert!(matches!(
            queue_call(Method::GET, "/fal-ai/wan/requests/r1"),
            Call::Result { .. }
        ));
        assert!(matches!(
            queue_call(Method::PUT, "/fal-ai/wan/requests/r1/cancel"),
            Call::Cancel { .. }
        ));
    }

    #[test]
    fn keeping_the_sub_path_fails_like_fal() {
        for (method, path) in [
            (
                Method::GET,
                "/fal-ai/wan/v2.7/reference-to-video/requests/r1/status",
            ),
            (
                Method::GET,
                "/fal-ai/wan/v2.7/reference-to-video/requests/r1",
            ),
            (
                Method::PUT,
                "/fal-ai/wan/v2.7/reference-to-video/requests/r1/cancel",
            ),
            (Method::GET, "/fal-ai/wan/requests/r1/cancel"),
        ] {
            assert_eq!(queue_call(method, path), Call::MethodNotAllowed, "{path}");
        }
        assert_eq!(
            queue_call(Method::GET, "/fal-ai/wan/requests/r1/logs"),
            Call::NotFound
        );
    }

    #[test]
    fn cdn_paths() {
        let cdn = |m: Method, p: &str| {
            classify_cdn(&m, &p.trim_matches('/').split('/').collect::<Vec<_>>())
        };
        assert!(matches!(
            cdn(Method::PUT, "/storage/upload/t"),
            Call::Upload { .. }
        ));
        assert!(matches!(
            cdn(Method::PUT, "/storage/multipart/t/3"),
            Call::UploadPart { number: 3, .. }
        ));
        assert!(matches!(
            cdn(Method::POST, "/storage/multipart/t/complete"),
            Call::UploadComplete { .. }
        ));
        assert!(matches!(
            cdn(Method::GET, "/files/output/r1.mp4"),
            Call::Output { .. }
        ));
        assert!(matches!(
            cdn(Method::HEAD, "/files/t/a.png"),
            Call::File { .. }
        ));
        assert_eq!(
            cdn(Method::GET, "/storage/upload/t"),
            Call::MethodNotAllowed
        );
    }
}
