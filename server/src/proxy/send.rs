//! Sending one checked call to the backend: real fal through [`Upstream`],
//! or the simulator in-process, answered as fal would.
//!
//! [`Upstream`]: super::upstream::Upstream

use axum::body::Bytes;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::response::Response;

use super::target::{FalHost, Target};
use super::Proxy;
use crate::backend::Backend;
use crate::public_origin::request_origin;
use crate::simulator::journal::UpstreamAuthorization;
use crate::simulator::{Service, SimRequest, Via};

/// A call on its way to the backend.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub method: Method,
    pub target: Target,
    /// Set when the target was the simulator's own base (`--simulate`).
    pub sim_base: Option<String>,
    pub raw_target: String,
    /// The browser's headers, without the ones meant for this proxy.
    pub headers: HeaderMap,
    pub body: Bytes,
    pub authorization: Option<HeaderValue>,
    pub which_key: UpstreamAuthorization,
}

impl Outgoing {
    /// The same call's status request (`GET …/requests/<id>/status`).
    pub fn status_of(&self, owner_alias: &str, id: &str) -> Self {
        let path = format!("/{owner_alias}/requests/{id}/status");
        let raw_target = match &self.sim_base {
            Some(base) => format!("{base}{path}"),
            None => format!("https://{}{path}", FalHost::Queue.name()),
        };
        Self {
            method: Method::GET,
            target: Target {
                host: FalHost::Queue,
                path,
                query: None,
            },
            raw_target,
            body: Bytes::new(),
            ..self.clone()
        }
    }
}

impl Proxy {
    pub(super) async fn send(&self, parts: &Parts, out: Outgoing) -> Response {
        match &self.backend {
            Backend::Fal { upstream, key } => {
                upstream
                    .forward(
                        &out.method,
                        &out.target,
                        &out.headers,
                        out.body,
                        out.authorization.as_ref(),
                        key.as_ref(),
                    )
                    .await
            }
            Backend::Simulator(sim) => sim.dispatch(self.sim_request(parts, out)).await,
        }
    }

    /// A request as the simulator's journal records it, for refusals too.
    pub(super) fn sim_request_shell(
        &self,
        parts: &Parts,
        headers: HeaderMap,
        target_url: Option<String>,
    ) -> SimRequest {
        let origin = request_origin(&parts.headers, self.public_url.as_deref())
            .unwrap_or_else(|| "http://localhost".to_owned());
        SimRequest {
            via: Via::Proxy,
            method: parts.method.clone(),
            service: Service::Queue,
            path: String::new(),
            query: None,
            server_path: parts.uri.path().to_owned(),
            headers,
            body: Bytes::new(),
            origin,
            queue_base: "https://queue.fal.run".to_owned(),
            target_url,
            upstream_authorization: None,
            key_required: false,
        }
    }

    fn sim_request(&self, parts: &Parts, out: Outgoing) -> SimRequest {
        let target = out.target;
        let mut request = self.sim_request_shell(parts, out.headers, Some(out.raw_target));
        request.method = out.method;
        request.body = out.body;
        if let (Some(base), FalHost::Queue) = (out.sim_base, target.host) {
            request.queue_base = base;
        }
        request.service = match target.host {
            FalHost::Queue => Service::Queue,
            FalHost::Rest => Service::Rest,
        };
        request.path = target.path;
        request.query = target.query;
        request.upstream_authorization = Some(out.which_key);
        // fal checks the key it gets; the server's own key is taken as
        // valid, a forwarded user key must have fal's shape.
        request.key_required = out.which_key == UpstreamAuthorization::UserKey;
        request
    }
}
