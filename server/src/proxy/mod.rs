//! `/api/fal/proxy`: fal's server-proxy protocol (../shared/fal-protocol.md
//! §4). The browser names the fal URL in `x-fal-target-url`; the proxy checks
//! it, adds `Authorization: Key <FAL_KEY>`, and streams fal's answer back
//! with its status and headers, or, with `--simulate`, lets the simulator
//! answer as fal would.
//!
//! What the proxy itself refuses is answered `{"error": "..."}`: 400 for a
//! missing or malformed target, 403 for a target or method it does not
//! forward, 405 for other methods, 413 for a body over the limit, 429 over
//! the rate limit, 502 when fal cannot be reached.

pub mod target;
pub mod upstream;

use std::net::IpAddr;
use std::sync::Arc;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::Request;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;

use self::target::{
    check_method, parse_simulator_target, parse_target, FalHost, Target, TargetError,
};
use crate::backend::Backend;
use crate::json_error::json_error;
use crate::public_origin::request_origin;
use crate::rate_limit::RateLimiter;
use crate::simulator::journal::UpstreamAuthorization;
use crate::simulator::{Service, SimRequest, Via};

pub const TARGET_HEADER: &str = "x-fal-target-url";

/// The proxy's settings and the backend it hands checked calls to.
#[derive(Debug)]
pub struct Proxy {
    pub backend: Backend,
    pub forward_user_key: bool,
    pub allowed_endpoints: Vec<String>,
    pub max_body: u64,
    pub rate_limiter: Option<RateLimiter>,
    pub trust_forwarded_for: bool,
    pub public_url: Option<String>,
}

/// A request that passed every check.
struct Checked {
    target: Target,
    /// Set when the target was the simulator's own base (`--simulate`).
    sim_base: Option<String>,
    raw_target: String,
    body: Bytes,
    authorization: Option<HeaderValue>,
    which_key: UpstreamAuthorization,
}

pub async fn handle(State(proxy): State<Arc<Proxy>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let checked = proxy.check(&parts, body).await;
    match (&proxy.backend, checked) {
        (Backend::Fal { upstream, key }, Ok(checked)) => {
            upstream
                .forward(
                    &parts.method,
                    &checked.target,
                    &parts.headers,
                    checked.body,
                    checked.authorization.as_ref(),
                    key.as_ref(),
                )
                .await
        }
        (Backend::Fal { .. }, Err(response)) => response,
        (Backend::Simulator(sim), Ok(checked)) => {
            sim.dispatch(proxy.sim_request(parts, checked)).await
        }
        (Backend::Simulator(sim), Err(response)) => {
            let target = parts
                .headers
                .get(TARGET_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let request = proxy.sim_request_shell(parts, Bytes::new(), target);
            sim.record_rejected(&request, response.status());
            response
        }
    }
}

impl Proxy {
    async fn check(&self, parts: &Parts, body: Body) -> Result<Checked, Response> {
        if ![Method::GET, Method::POST, Method::PUT].contains(&parts.method) {
            let mut response = json_error(
                StatusCode::METHOD_NOT_ALLOWED,
                format!(
                    "{} is not allowed; the proxy takes GET, POST and PUT",
                    parts.method
                ),
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, POST, PUT"));
            return Err(response);
        }
        if let (Some(limiter), Some(ip)) = (&self.rate_limiter, self.client_ip(parts)) {
            if let Err(wait) = limiter.check(ip) {
                let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
                let mut response = json_error(
                    StatusCode::TOO_MANY_REQUESTS,
                    format!("too many requests; retry after {seconds} s"),
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
                return Err(response);
            }
        }
        let raw = match parts.headers.get(TARGET_HEADER).map(|v| v.to_str()) {
            None => {
                return Err(json_error(
                    StatusCode::BAD_REQUEST,
                    "missing x-fal-target-url header",
                ))
            }
            Some(Err(_)) => {
                return Err(json_error(
                    StatusCode::BAD_REQUEST,
                    "x-fal-target-url is not valid text",
                ))
            }
            Some(Ok(raw)) => raw,
        };
        let mut sim_base = None;
        let target = parse_target(raw)
            .or_else(|refused| match self.simulator_target(raw, parts) {
                Some((target, base)) => {
                    sim_base = Some(base);
                    Ok(target)
                }
                None => Err(refused),
            })
            .and_then(|t| check_method(&parts.method, &t, &self.allowed_endpoints).map(|()| t))
            .map_err(|e| match e {
                TargetError::Invalid(why) => json_error(StatusCode::BAD_REQUEST, why),
                TargetError::Forbidden(why) => json_error(StatusCode::FORBIDDEN, why),
            })?;
        let too_large = || {
            json_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "request body over the proxy's limit of {} bytes",
                    self.max_body
                ),
            )
        };
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.max_body) {
            return Err(too_large());
        }
        let limit = usize::try_from(self.max_body).unwrap_or(usize::MAX);
        let body = to_bytes(body, limit).await.map_err(|_| too_large())?;
        let user_key = parts
            .headers
            .get(header::AUTHORIZATION)
            .filter(|_| self.forward_user_key)
            .cloned();
        let (authorization, which_key) = match user_key {
            Some(value) => (Some(value), UpstreamAuthorization::UserKey),
            None => {
                let server = self.backend.server_key().and_then(|k| {
                    let mut value = HeaderValue::from_str(&k.authorization()).ok()?;
                    value.set_sensitive(true);
                    Some(value)
                });
                (server, UpstreamAuthorization::ServerKey)
            }
        };
        Ok(Checked {
            target,
            sim_base,
            raw_target: raw.to_owned(),
            body,
            authorization,
            which_key,
        })
    }

    /// In simulation, a target on this server's `/sim/queue` or `/sim/rest`.
    fn simulator_target(&self, raw: &str, parts: &Parts) -> Option<(Target, String)> {
        self.backend.simulator()?;
        let origin = request_origin(&parts.headers, self.public_url.as_deref())?;
        parse_simulator_target(raw, &origin)
    }

    /// The client's IP: the connection's peer, or with
    /// `--trust-forwarded-for` the last `X-Forwarded-For` entry (the one
    /// the trusted reverse proxy added).
    fn client_ip(&self, parts: &Parts) -> Option<IpAddr> {
        if self.trust_forwarded_for {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|ip| ip.trim().parse().ok())
                .next_back();
            if forwarded.is_some() {
                return forwarded;
            }
        }
        crate::serve::peer(&parts.extensions).map(|a| a.ip())
    }

    fn sim_request_shell(
        &self,
        parts: Parts,
        body: Bytes,
        target_url: Option<String>,
    ) -> SimRequest {
        let origin = request_origin(&parts.headers, self.public_url.as_deref())
            .unwrap_or_else(|| "http://localhost".to_owned());
        SimRequest {
            via: Via::Proxy,
            method: parts.method,
            service: Service::Queue,
            path: String::new(),
            query: None,
            server_path: parts.uri.path().to_owned(),
            headers: parts.headers,
            body,
            origin,
            queue_base: "https://queue.fal.run".to_owned(),
            target_url,
            upstream_authorization: None,
            key_required: false,
        }
    }

    fn sim_request(&self, parts: Parts, checked: Checked) -> SimRequest {
        let target = checked.target;
        let mut request = self.sim_request_shell(parts, checked.body, Some(checked.raw_target));
        if let (Some(base), FalHost::Queue) = (checked.sim_base, target.host) {
            request.queue_base = base;
        }
        request.service = match target.host {
            FalHost::Queue => Service::Queue,
            FalHost::Run => Service::Run,
            FalHost::Rest => Service::Rest,
        };
        request.path = target.path.clone();
        request.query = target.query.clone();
        request.upstream_authorization = Some(checked.which_key);
        // fal checks the key it gets; the server's own key is taken as
        // valid, a forwarded user key must have fal's shape.
        request.key_required = checked.which_key == UpstreamAuthorization::UserKey;
        request
    }
}
