//! `/api/fal/proxy`: fal's server-proxy protocol (docs/fal-protocol.md, §7). The browser names the fal URL in `x-fal-target-url`;
//! the proxy checks who is calling, checks the call against what the app
//! makes, adds `Authorization: Key <FAL_KEY>`, and streams fal's answer back
//! with its status and headers, or, with `--simulate`, lets the simulator
//! answer as fal would. Every answer carries `Cache-Control: no-store`.
//!
//! Its own refusals: 400 `{"error"}` for a missing or malformed target, 401
//! `{"detail","reason":"access_required"}` without access, 402
//! `{"detail","budget"}` over a budget, 403 `{"error"}` for a call it does
//! not forward or a request another identity submitted, 405 for other
//! methods, 413 for a body over the limit, 422 fal-style for a reference
//! video whose length it cannot read, 429 over a rate limit, 502 when fal
//! cannot be reached, 503 `{"detail","reason":"state_unavailable"}` when
//! the state store is down (submits and cancels only).

pub mod calls;
mod flows;
pub mod send;
pub mod setup;
pub mod target;
pub mod upstream;

use std::net::IpAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;

use self::calls::{classify, ProxyCall};
use self::send::Outgoing;
use self::target::{parse_simulator_target, parse_target, Target, TargetError};
use crate::access::{access_required, AccessMode, Identity};
use crate::backend::Backend;
use crate::body::{read_body, BodyError};
use crate::budget::Budgets;
use crate::json_error::json_error;
use crate::probe::ReferenceProber;
use crate::public_origin::request_origin;
use crate::simulator::journal::UpstreamAuthorization;
use crate::state::{Rate, StateStore};

pub const TARGET_HEADER: &str = "x-fal-target-url";

/// The proxy's settings, its backend and its state.
#[derive(Debug)]
pub struct Proxy {
    pub backend: Backend,
    pub forward_user_key: bool,
    pub allowed_endpoints: Vec<String>,
    pub max_body: u64,
    pub trust_forwarded_for: bool,
    pub public_url: Option<String>,
    pub access: AccessMode,
    pub budgets: Budgets,
    /// Whether submits are priced (some budget is set): only then must the
    /// server read every reference video's length.
    pub priced: bool,
    pub store: Arc<dyn StateStore>,
    /// Every call, per identity (`--rate-limit`, `--rate-burst`).
    pub rate: Option<Rate>,
    /// Submits, per identity (`--submit-rate`).
    pub submit_rate: Option<Rate>,
    pub prober: ReferenceProber,
}

/// A call that passed access, rate, target and size checks.
struct Admitted {
    identity: Identity,
    call: ProxyCall,
    out: Outgoing,
}

pub async fn handle(State(proxy): State<Arc<Proxy>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let answer = match proxy.admit(&parts, body).await {
        Ok(admitted) => proxy.run(&parts, admitted).await,
        Err(refusal) => Err(refusal),
    };
    let mut response = match answer {
        Ok(response) => response,
        Err(refusal) => proxy.refused(&parts, refusal),
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// 429 with `Retry-After`.
fn too_many(what: &str, wait: std::time::Duration) -> Response {
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    let mut response = json_error(
        StatusCode::TOO_MANY_REQUESTS,
        format!("too many {what}; retry after {seconds} s"),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

impl Proxy {
    /// Journals a refusal in simulation (tests read what never reached
    /// "fal" there) and passes it on.
    fn refused(&self, parts: &Parts, response: Response) -> Response {
        if let Some(sim) = self.backend.simulator() {
            let target = parts
                .headers
                .get(TARGET_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let mut headers = parts.headers.clone();
            self.access.strip(&mut headers);
            let request = self.sim_request_shell(parts, headers, target);
            sim.record_rejected(&request, response.status());
        }
        response
    }

    /// Takes a token from `bucket` when `rate` is set. A store that cannot
    /// answer lets the call through: submits are refused later anyway,
    /// when their reservation fails.
    async fn take(&self, bucket: String, rate: Option<Rate>, what: &str) -> Result<(), Response> {
        let Some(rate) = rate else { return Ok(()) };
        match self.store.take_token(&bucket, rate).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(wait)) => Err(too_many(what, wait)),
            Err(error) => {
                tracing::warn!(%error, "rate limit not checked");
                Ok(())
            }
        }
    }

    async fn admit(&self, parts: &Parts, body: Body) -> Result<Admitted, Response> {
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
        let ip = self.client_ip(parts).map_err(|refusal| *refusal)?;
        let identity = match self.access.identify(&parts.headers, ip) {
            Ok(identity) => identity,
            Err(denied) => {
                // Callers without access are limited by address.
                let bucket = Identity::ip(ip).key;
                self.take(bucket, self.rate, "requests").await?;
                return Err(access_required(&denied));
            }
        };
        self.take(identity.key.clone(), self.rate, "requests")
            .await?;
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
        let (target, call) = parse_target(raw)
            .or_else(|refused| match self.simulator_target(raw, parts) {
                Some((target, base)) => {
                    sim_base = Some(base);
                    Ok(target)
                }
                None => Err(refused),
            })
            .and_then(|t: Target| {
                classify(&parts.method, &t, &self.allowed_endpoints).map(|call| (t, call))
            })
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
        let body = read_body(body, self.max_body)
            .await
            .map_err(|error| match error {
                BodyError::TooLarge => too_large(),
                other => other.answer(self.max_body),
            })?;
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
        let mut headers = parts.headers.clone();
        self.access.strip(&mut headers);
        Ok(Admitted {
            identity,
            call,
            out: Outgoing {
                method: parts.method.clone(),
                target,
                sim_base,
                raw_target: raw.to_owned(),
                headers,
                body,
                authorization,
                which_key,
            },
        })
    }

    /// In simulation, a target on this server's `/sim/queue` or `/sim/rest`.
    fn simulator_target(&self, raw: &str, parts: &Parts) -> Option<(Target, String)> {
        self.backend.simulator()?;
        let origin = request_origin(&parts.headers, self.public_url.as_deref())?;
        parse_simulator_target(raw, &origin)
    }

    /// The client's IP: the connection's peer, or with
    /// `--trust-forwarded-for` exactly the last `X-Forwarded-For` entry
    /// (the one the trusted reverse proxy added); without the header, the
    /// peer. `Err` is the 400 for a last entry that is not an address.
    fn client_ip(&self, parts: &Parts) -> Result<Option<IpAddr>, Box<Response>> {
        if self.trust_forwarded_for {
            match crate::forwarded::last_entry(&parts.headers) {
                Ok(Some(ip)) => return Ok(Some(ip)),
                Ok(None) => {}
                Err(entry) => {
                    return Err(Box::new(json_error(
                        StatusCode::BAD_REQUEST,
                        format!(
                            "the last X-Forwarded-For entry ({entry:?}) is not an IP address; \
                             the reverse proxy in front must append the client's address"
                        ),
                    )))
                }
            }
        }
        Ok(crate::serve::peer(&parts.extensions).map(|a| a.ip()))
    }
}
