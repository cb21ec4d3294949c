//! Fault injection: the failures a real fal deployment shows now and then
//! (429s, 5xx with fal's flat error body, dropped connections, slow answers,
//! outages, garbled bodies, buffering proxies), on demand.
//!
//! A rule applies to the next matching requests (`times`), for a while
//! (`seconds`), to one job (`request_id`), or until cleared. The first
//! matching rule wins.

use std::time::{Duration, Instant};

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::route::SimRoute;
use super::Via;
use crate::json_error::json_response;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with `status` (default 503), fal's flat `{detail, error_type}`
    /// body, `X-Fal-Error-Type`, and `Retry-After` when `retry_after` is set.
    Http,
    /// Close the connection without answering.
    Drop,
    /// Wait `delay_ms`, then answer normally.
    Delay,
    /// Answer `status` (default 200) with a body that is not valid JSON
    /// (`body` to choose it); on a status stream, send one such event.
    Malformed,
    /// Status stream only: send `after_events` events (default 1), then cut
    /// the connection mid-stream.
    StreamDrop,
    /// Status stream only: hold every event back and send them all at once
    /// when the job completes, as a buffering proxy would.
    BufferStream,
}

/// One rule, as written in `/sim/control` `faults` or `--sim-fault`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// A route name (`status`, `submit`, `upload_part`, ...) or a group
    /// (`any`, `fal`, `queue`, `rest`, `storage`). Default `any`.
    #[serde(default = "any_route")]
    pub route: String,
    pub kind: FaultKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Seconds, sent as `Retry-After`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Sent as `X-Fal-Request-Timeout-Type` (fal uses `user` on 504s a
    /// client's own start timeout caused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Waited before any kind acts (the whole point of `delay`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_events: Option<u32>,
    /// Apply to this many matching requests, then retire. Default: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// Apply for this many seconds from now (an outage window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<f64>,
    /// Only requests about this job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Only requests that came through the proxy, or only direct ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<Via>,
}

fn any_route() -> String {
    "any".to_owned()
}

impl FaultRule {
    /// A rule with only route and kind set.
    pub fn new(route: &str, kind: FaultKind) -> Self {
        Self {
            route: route.to_owned(),
            kind,
            status: None,
            retry_after: None,
            error_type: None,
            detail: None,
            timeout_type: None,
            body: None,
            delay_ms: None,
            after_events: None,
            times: None,
            seconds: None,
            request_id: None,
            via: None,
        }
    }

    /// Rejects rules that could never match or make no sense, so a typo in
    /// a test fails loudly instead of silently injecting nothing.
    pub fn check(&self) -> Result<(), String> {
        if !SimRoute::is_known_pattern(&self.route) {
            return Err(format!(
                "fault route {:?} is not a known route or group",
                self.route
            ));
        }
        let stream_only = matches!(self.kind, FaultKind::StreamDrop | FaultKind::BufferStream);
        if stream_only && !SimRoute::StatusStream.matches(&self.route) {
            return Err(format!(
                "fault kind {:?} applies only to the status_stream route",
                self.kind
            ));
        }
        if let Some(status) = self.status {
            if StatusCode::from_u16(status).is_err() || status < 100 {
                return Err(format!("fault status {status} is not an HTTP status"));
            }
        }
        if self.kind == FaultKind::Delay && self.delay_ms.is_none() {
            return Err("a delay fault needs delay_ms".to_owned());
        }
        if self.times == Some(0) {
            return Err("times must be at least 1 (omit it for no limit)".to_owned());
        }
        Ok(())
    }

    /// Whether the rule applies to a request, ignoring its count and window.
    fn applies(&self, route: SimRoute, via: Via, request_id: Option<&str>) -> bool {
        let stream_only = matches!(self.kind, FaultKind::StreamDrop | FaultKind::BufferStream);
        route.matches(&self.route)
            && (!stream_only || route == SimRoute::StatusStream)
            && self.via.is_none_or(|v| v == via)
            && self
                .request_id
                .as_deref()
                .is_none_or(|id| Some(id) == request_id)
    }

    pub fn delay(&self) -> Option<Duration> {
        self.delay_ms.map(Duration::from_millis)
    }

    /// The response an `http` fault gives.
    pub fn http_response(&self) -> Response {
        let status = StatusCode::from_u16(self.status.unwrap_or(503))
            .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        let (detail, error_type) = default_error(status);
        let error_type = self.error_type.clone().unwrap_or(error_type.to_owned());
        let body = json!({
            "detail": self.detail.clone().unwrap_or(detail.to_owned()),
            "error_type": error_type,
        });
        let mut response = json_response(status, &body);
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&error_type) {
            headers.insert(HeaderName::from_static("x-fal-error-type"), value);
        }
        if let Some(seconds) = self.retry_after {
            headers.insert("retry-after", HeaderValue::from(seconds));
        }
        if let Some(Ok(value)) = self.timeout_type.as_deref().map(HeaderValue::from_str) {
            headers.insert(HeaderName::from_static("x-fal-request-timeout-type"), value);
        }
        response
    }

    /// The body a `malformed` fault sends.
    pub fn malformed_body(&self) -> String {
        self.body
            .clone()
            .unwrap_or_else(|| r#"{"status": "IN_PROGRESS", "request_id": "#.to_owned())
    }
}

/// fal's wording for infrastructure errors (fal docs, "request errors").
fn default_error(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        429 => ("Too many requests", "rate_limited"),
        500 => ("Internal server error", "internal_server_error"),
        502 => ("Bad gateway", "bad_gateway"),
        503 => ("No runner could be scheduled", "runner_scheduling_failure"),
        504 => ("Request timed out", "request_timeout"),
        _ => ("Simulated error", "simulated_error"),
    }
}

#[derive(Debug, Clone, Serialize)]
struct ActiveFault {
    #[serde(flatten)]
    rule: FaultRule,
    #[serde(skip)]
    remaining: Option<u32>,
    #[serde(skip)]
    until: Option<Instant>,
}

/// The active rules, in the order they were added.
#[derive(Debug, Default)]
pub struct FaultBook {
    active: Vec<ActiveFault>,
}

impl FaultBook {
    pub fn add(&mut self, rule: FaultRule, now: Instant) {
        let until = rule
            .seconds
            .map(|s| now + Duration::from_secs_f64(s.max(0.0)));
        self.active.push(ActiveFault {
            remaining: rule.times,
            until,
            rule,
        });
    }

    pub fn clear(&mut self) {
        self.active.clear();
    }

    /// The first rule that applies, counting it as used.
    pub fn take(
        &mut self,
        route: SimRoute,
        via: Via,
        request_id: Option<&str>,
        now: Instant,
    ) -> Option<FaultRule> {
        self.active.retain(|f| f.until.is_none_or(|u| now < u));
        let index = self
            .active
            .iter()
            .position(|f| f.rule.applies(route, via, request_id))?;
        let fault = &mut self.active[index];
        let rule = fault.rule.clone();
        if let Some(remaining) = &mut fault.remaining {
            *remaining -= 1;
            if *remaining == 0 {
                self.active.remove(index);
            }
        }
        Some(rule)
    }

    /// The rules still active, with what is left of each, for `/sim/control`.
    pub fn describe(&self, now: Instant) -> serde_json::Value {
        let rules: Vec<_> = self
            .active
            .iter()
            .filter(|f| f.until.is_none_or(|u| now < u))
            .map(|f| {
                let mut value = serde_json::to_value(&f.rule).expect("rule serialises");
                value["times_left"] = json!(f.remaining);
                value["seconds_left"] = json!(f.until.map(|u| (u - now).as_secs_f64()));
                value
            })
            .collect();
        json!(rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(json: &str) -> FaultRule {
        let rule: FaultRule = serde_json::from_str(json).unwrap();
        rule.check().unwrap();
        rule
    }

    #[test]
    fn times_counts_down_and_first_match_wins() {
        let mut book = FaultBook::default();
        let now = Instant::now();
        book.add(
            rule(r#"{"route":"status","kind":"http","status":429,"times":2}"#),
            now,
        );
        book.add(rule(r#"{"route":"queue","kind":"drop"}"#), now);
        let take = |book: &mut FaultBook, route| book.take(route, Via::Proxy, None, now);
        assert_eq!(
            take(&mut book, SimRoute::Status).unwrap().kind,
            FaultKind::Http
        );
        assert_eq!(
            take(&mut book, SimRoute::Status).unwrap().kind,
            FaultKind::Http
        );
        assert_eq!(
            take(&mut book, SimRoute::Status).unwrap().kind,
            FaultKind::Drop
        );
        assert!(take(&mut book, SimRoute::Upload).is_none());
    }

    #[test]
    fn windows_expire_and_filters_apply() {
        let mut book = FaultBook::default();
        let now = Instant::now();
        book.add(rule(r#"{"route":"fal","kind":"http","seconds":1}"#), now);
        book.add(
            rule(r#"{"route":"result","kind":"drop","request_id":"a","via":"direct"}"#),
            now,
        );
        assert!(book
            .take(SimRoute::Submit, Via::Direct, None, now)
            .is_some());
        let later = now + Duration::from_millis(1001);
        assert!(book
            .take(SimRoute::Submit, Via::Direct, None, later)
            .is_none());
        assert!(book
            .take(SimRoute::Result, Via::Direct, Some("b"), later)
            .is_none());
        assert!(book
            .take(SimRoute::Result, Via::Proxy, Some("a"), later)
            .is_none());
        assert!(book
            .take(SimRoute::Result, Via::Direct, Some("a"), later)
            .is_some());
    }

    #[test]
    fn refuses_rules_that_cannot_work() {
        for bad in [
            r#"{"route":"stauts","kind":"http"}"#,
            r#"{"route":"status","kind":"stream_drop"}"#,
            r#"{"route":"status","kind":"delay"}"#,
            r#"{"route":"status","kind":"http","status":42}"#,
            r#"{"route":"status","kind":"http","times":0}"#,
        ] {
            let rule: FaultRule = serde_json::from_str(bad).unwrap();
            assert!(rule.check().is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<FaultRule>(r#"{"kind":"http","statsu":1}"#).is_err());
    }

    #[test]
    fn http_faults_look_like_fal_infrastructure_errors() {
        let response = rule(r#"{"kind":"http","status":503,"retry_after":2}"#).http_response();
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()["retry-after"], "2");
        assert_eq!(
            response.headers()["x-fal-error-type"],
            "runner_scheduling_failure"
        );
    }
}
