//! What the free "test connection" call's answer means.
//!
//! The call ([`crate::core::fal::calls::test_connection`]) asks the queue for the status
//! of request `00000000-0000-0000-0000-000000000000` under this endpoint's
//! owner/alias. No model runs, so nothing is billed. fal checks the key
//! before it looks the request up, so:
//! - 404 (or the 200-wrapped `{"detail": "… not found"}` of the Express
//!   proxy): the key was accepted and the route exists → it works;
//! - 401/403: the key was refused;
//! - a proxy's `"Invalid request"`: the proxy's allow-list refused the queue
//!   URL;
//! - anything else is reported as it is.
//!
//! The 404-on-unknown-id behaviour is inferred from fal's docs ("404: not
//! found") rather than confirmed against the live service; a 2xx is
//! therefore also read as working.

use crate::core::fal::classify::classify;
use crate::core::fal::error::{FalError, FalErrorKind};
use crate::core::fal::http::HttpResponse;

/// The verdict shown next to the "Test connection" button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionCheck {
    /// fal accepted the key (or the proxy its own) and knows the endpoint.
    Works,
    /// fal, or the proxy, refused the credentials.
    KeyRefused(FalError),
    /// The proxy would not forward to fal's queue.
    ProxyRefused(FalError),
    /// No answer, or an answer that says nothing about the key.
    Failed(FalError),
}

impl ConnectionCheck {
    /// The sentence for the person.
    pub fn message(&self) -> String {
        match self {
            ConnectionCheck::Works => "Connected: fal accepted the key.".into(),
            ConnectionCheck::KeyRefused(e)
            | ConnectionCheck::ProxyRefused(e)
            | ConnectionCheck::Failed(e) => e.message(),
        }
    }
}

/// Reads the answer to the test call.
pub fn interpret(response: &HttpResponse, now_unix_secs: u64) -> ConnectionCheck {
    let error = classify(response, now_unix_secs, "expected a status or 404");
    match error.kind {
        FalErrorKind::NotFound => ConnectionCheck::Works,
        FalErrorKind::Auth { .. } => ConnectionCheck::KeyRefused(error),
        FalErrorKind::ProxyRefused => ConnectionCheck::ProxyRefused(error),
        // A status body for a request that cannot exist: still proof the
        // key was accepted. Any other 2xx (say, an HTML page from a proxy
        // path that static hosting answered) proves nothing.
        FalErrorKind::Malformed { .. } if response.is_success() && is_status(&response.body) => {
            ConnectionCheck::Works
        }
        _ => ConnectionCheck::Failed(error),
    }
}

fn is_status(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body)
        .is_ok_and(|v| v.get("status").is_some_and(serde_json::Value::is_string))
}

/// The verdict when the call got no answer at all.
pub fn unreachable(error: FalError) -> ConnectionCheck {
    ConnectionCheck::Failed(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fal::error::NetworkFailure;

    const NOW: u64 = 1_795_513_909;

    #[test]
    fn not_found_means_the_key_works() {
        let direct = HttpResponse::new(404, r#"{"detail":"Request not found"}"#);
        assert_eq!(interpret(&direct, NOW), ConnectionCheck::Works);
        let via_express = HttpResponse::new(200, r#"{"detail":"Request not found"}"#);
        assert_eq!(interpret(&via_express, NOW), ConnectionCheck::Works);
        let odd = HttpResponse::new(200, r#"{"status":"IN_QUEUE","queue_position":0}"#);
        assert_eq!(interpret(&odd, NOW), ConnectionCheck::Works);
        assert!(ConnectionCheck::Works.message().starts_with("Connected"));
    }

    #[test]
    fn refused_keys_and_proxies_are_told_apart() {
        let refused = interpret(&HttpResponse::new(401, r#"{"detail":"Invalid key"}"#), NOW);
        assert!(matches!(refused, ConnectionCheck::KeyRefused(_)));
        assert!(refused.message().contains("did not accept the key"));
        let forbidden = interpret(&HttpResponse::new(403, r#"{"detail":"Forbidden"}"#), NOW);
        assert!(matches!(forbidden, ConnectionCheck::KeyRefused(_)));
        let wrapped = interpret(&HttpResponse::new(200, r#""Unauthorized""#), NOW);
        assert!(matches!(wrapped, ConnectionCheck::KeyRefused(_)));
        let proxy = interpret(&HttpResponse::new(400, r#""Invalid request""#), NOW);
        assert!(matches!(proxy, ConnectionCheck::ProxyRefused(_)));
        assert!(proxy.message().contains("allow-list"));
    }

    #[test]
    fn other_answers_and_no_answer_are_failures() {
        let down = interpret(&HttpResponse::new(503, "<html>"), NOW);
        assert!(matches!(down, ConnectionCheck::Failed(_)));
        let limited = interpret(&HttpResponse::new(429, "{}"), NOW);
        assert!(matches!(limited, ConnectionCheck::Failed(_)));
        let offline = unreachable(FalError::network(NetworkFailure::Offline));
        assert!(offline.message().contains("offline"));
        let spa_fallback = interpret(&HttpResponse::new(200, "<!DOCTYPE html><html>"), NOW);
        assert!(matches!(spa_fallback, ConnectionCheck::Failed(_)));
        let garbage = interpret(&HttpResponse::new(500, "x"), NOW);
        assert!(matches!(garbage, ConnectionCheck::Failed(_)));
    }
}
