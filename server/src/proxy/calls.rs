//! Which calls the proxy forwards: exactly the ones the app makes, and
//! nothing else a key could be spent or read with.
//!
//! - `POST` submit to an allowed endpoint, with no query;
//! - `GET` status (`?logs=0|1`), status stream (same), result, and `PUT`
//!   cancel, only under an allowed endpoint's `owner/alias/requests/<id>`;
//! - `POST` the storage initiate calls (already pinned by [`super::target`]).

use axum::http::Method;
use wan_r2v_studio::core::fal::endpoint::check_request_id;

use super::target::{FalHost, Target, TargetError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyCall {
    Submit,
    Status { id: String },
    StatusStream { id: String },
    Result { id: String },
    Cancel { owner_alias: String, id: String },
    StorageInitiate,
}

impl ProxyCall {
    /// The request a read or cancel is about.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ProxyCall::Status { id }
            | ProxyCall::StatusStream { id }
            | ProxyCall::Result { id }
            | ProxyCall::Cancel { id, .. } => Some(id),
            ProxyCall::Submit | ProxyCall::StorageInitiate => None,
        }
    }
}

fn forbidden(why: String) -> TargetError {
    TargetError::Forbidden(why)
}

/// `owner/alias` of an endpoint id (`fal-ai/wan/v2.7/reference-to-video`
/// → `fal-ai/wan`): the only part request URLs carry.
fn owner_alias(endpoint: &str) -> String {
    endpoint.split('/').take(2).collect::<Vec<_>>().join("/")
}

/// Status and stream take the `logs` query the app sends, or none.
fn logs_query_only(query: Option<&str>) -> bool {
    matches!(query, None | Some("logs=0" | "logs=1"))
}

/// Classifies a checked target, or refuses it (403) naming why.
pub fn classify(
    method: &Method,
    target: &Target,
    allowed_endpoints: &[String],
) -> Result<ProxyCall, TargetError> {
    let path = target.path.trim_start_matches('/');
    let query = target.query.as_deref();
    if target.host == FalHost::Rest {
        return match *method {
            Method::POST => Ok(ProxyCall::StorageInitiate),
            _ => Err(forbidden(format!(
                "{method} is not allowed on storage calls; the app only POSTs them"
            ))),
        };
    }
    if *method == Method::POST {
        if !allowed_endpoints.iter().any(|e| e == path) {
            return Err(forbidden(format!(
                "POST to {path:?} is not allowed; this proxy submits only to {}",
                allowed_endpoints.join(", ")
            )));
        }
        if query.is_some() {
            return Err(forbidden("a submit carries no query here".to_owned()));
        }
        return Ok(ProxyCall::Submit);
    }
    let segments: Vec<&str> = path.split('/').collect();
    let not_the_apps = || {
        forbidden(format!(
            "{method} {path:?} is not a call the studio makes; reads and cancels go to \
             <owner>/<alias>/requests/<id> of {}",
            allowed_endpoints.join(", ")
        ))
    };
    let [owner, alias, "requests", id, rest @ ..] = segments.as_slice() else {
        return Err(not_the_apps());
    };
    let owner_alias_here = format!("{owner}/{alias}");
    if !allowed_endpoints
        .iter()
        .any(|e| owner_alias(e) == owner_alias_here)
        || check_request_id(id).is_err()
    {
        return Err(not_the_apps());
    }
    let id = (*id).to_owned();
    let call = match (method.clone(), rest) {
        (Method::GET, []) if query.is_none() => ProxyCall::Result { id },
        (Method::GET, ["status"]) if logs_query_only(query) => ProxyCall::Status { id },
        (Method::GET, ["status", "stream"]) if logs_query_only(query) => {
            ProxyCall::StatusStream { id }
        }
        (Method::PUT, ["cancel"]) if query.is_none() => ProxyCall::Cancel {
            owner_alias: owner_alias_here,
            id,
        },
        _ => return Err(not_the_apps()),
    };
    Ok(call)
}

#[cfg(test)]
mod tests {
    use super::super::target::{parse_target, STORAGE_TARGETS};
    use super::*;

    fn call(method: Method, url: &str) -> Result<ProxyCall, TargetError> {
        let allowed = vec!["fal-ai/wan/v2.7/reference-to-video".to_owned()];
        classify(&method, &parse_target(url).unwrap(), &allowed)
    }

    #[test]
    fn the_apps_calls_pass() {
        let q = "https://queue.fal.run/fal-ai/wan";
        assert_eq!(
            call(Method::POST, &format!("{q}/v2.7/reference-to-video")),
            Ok(ProxyCall::Submit)
        );
        let id = "764cabcf-b745-4b3e-ae38-1200304cf45b";
        let status = ProxyCall::Status { id: id.into() };
        assert_eq!(
            call(Method::GET, &format!("{q}/requests/{id}/status")),
            Ok(status.clone())
        );
        assert_eq!(
            call(Method::GET, &format!("{q}/requests/{id}/status?logs=1")),
            Ok(status)
        );
        assert_eq!(
            call(
                Method::GET,
                &format!("{q}/requests/{id}/status/stream?logs=1")
            ),
            Ok(ProxyCall::StatusStream { id: id.into() })
        );
        assert_eq!(
            call(Method::GET, &format!("{q}/requests/{id}")),
            Ok(ProxyCall::Result { id: id.into() })
        );
        assert_eq!(
            call(Method::PUT, &format!("{q}/requests/{id}/cancel")),
            Ok(ProxyCall::Cancel {
                owner_alias: "fal-ai/wan".into(),
                id: id.into()
            })
        );
        for storage in STORAGE_TARGETS {
            assert_eq!(
                call(Method::POST, &format!("https://rest.fal.ai{storage}")),
                Ok(ProxyCall::StorageInitiate)
            );
        }
    }

    #[test]
    fn everything_else_is_forbidden() {
        let q = "https://queue.fal.run";
        for (method, url) in [
            (Method::POST, format!("{q}/fal-ai/flux/dev")),
            (
                Method::POST,
                format!("{q}/fal-ai/wan/v2.7/reference-to-video?fal_webhook=x"),
            ),
            (Method::GET, format!("{q}/fal-ai/flux/requests/r1/status")),
            (Method::GET, format!("{q}/fal-ai/wan/requests/r1/logs")),
            (
                Method::GET,
                format!("{q}/fal-ai/wan/requests/r1/status?logs=1&x=2"),
            ),
            (Method::GET, format!("{q}/fal-ai/wan/requests/r1?x=1")),
            (Method::GET, format!("{q}/fal-ai/wan/requests/r%201/status")),
            (Method::GET, format!("{q}/fal-ai/wan/requests/r1/cancel")),
            (Method::PUT, format!("{q}/fal-ai/wan/requests/r1/status")),
            (
                Method::PUT,
                format!("{q}/fal-ai/wan/v2.7/reference-to-video"),
            ),
            (
                Method::GET,
                format!("{q}/fal-ai/wan/v2.7/reference-to-video/requests/r1/status"),
            ),
            (
                Method::GET,
                format!("{q}/fal-ai/wan/v2.7/reference-to-video"),
            ),
            (
                Method::GET,
                format!("https://rest.fal.ai{}", STORAGE_TARGETS[0]),
            ),
        ] {
            assert!(
                matches!(call(method.clone(), &url), Err(TargetError::Forbidden(_))),
                "{method} {url}: {:?}",
                call(method.clone(), &url)
            );
        }
    }
}
