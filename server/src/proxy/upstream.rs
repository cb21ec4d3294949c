//! Forwarding to fal: a pure-Rust TLS client (reqwest + rustls), the
//! response streamed through as it arrives (the SSE status stream
//! included), with fal's status code and headers passed on.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;

use super::target::Target;
use crate::fal_key::FalKey;
use crate::json_error::json_error;
use crate::start_error::StartError;

/// Response headers not passed on: hop-by-hop ones, the two fal's own proxy
/// drops (the body is decompressed and re-framed here), CORS headers (this
/// server answers CORS itself; two `Access-Control-Allow-Origin` headers
/// would make browsers refuse the answer) and cookies for fal's domain.
const DROPPED: [&str; 12] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "content-encoding",
    "set-cookie",
    "alt-svc",
];

#[derive(Debug, Clone)]
pub struct Upstream {
    client: reqwest::Client,
    override_base: Option<String>,
    timeout: Duration,
}

impl Upstream {
    /// `timeout` bounds the wait for fal's response head; a started
    /// stream is never cut by it.
    pub fn new(timeout: Duration, override_base: Option<String>) -> Result<Self, StartError> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            // Redirects would carry the key to wherever fal pointed; the
            // browser gets the 3xx instead and decides.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(StartError::HttpClient)?;
        Ok(Self {
            client,
            override_base,
            timeout,
        })
    }

    pub async fn forward(
        &self,
        method: &Method,
        target: &Target,
        incoming: &HeaderMap,
        body: Bytes,
        authorization: Option<&HeaderValue>,
        key: Option<&FalKey>,
    ) -> Response {
        let url = target.upstream_url(self.override_base.as_deref());
        let mut headers = HeaderMap::new();
        for (name, value) in incoming {
            if name.as_str().starts_with("x-fal-") {
                headers.append(name.clone(), value.clone());
            }
        }
        let accept = incoming
            .get(header::ACCEPT)
            .cloned()
            .unwrap_or(HeaderValue::from_static("application/json"));
        headers.insert(header::ACCEPT, accept);
        if let Some(ua) = incoming.get(header::USER_AGENT) {
            headers.insert(header::USER_AGENT, ua.clone());
        }
        if !body.is_empty() || *method == Method::POST {
            let content_type = incoming
                .get(header::CONTENT_TYPE)
                .cloned()
                .unwrap_or(HeaderValue::from_static("application/json"));
            headers.insert(header::CONTENT_TYPE, content_type);
        }
        if let Some(auth) = authorization {
            headers.insert(header::AUTHORIZATION, auth.clone());
        }
        headers.insert(
            HeaderName::from_static("x-fal-client-proxy"),
            HeaderValue::from_static(concat!("wan-r2v-server/", env!("CARGO_PKG_VERSION"))),
        );
        let mut request = self.client.request(method.clone(), &url).headers(headers);
        if *method != Method::GET {
            request = request.body(body);
        }
        let started = std::time::Instant::now();
        let upstream = match tokio::time::timeout(self.timeout, request.send()).await {
            Err(_) => {
                tracing::warn!(target = %target.for_log(), "fal did not answer in time");
                return json_error(
                    StatusCode::BAD_GATEWAY,
                    format!("fal did not answer within {} s", self.timeout.as_secs()),
                );
            }
            Ok(Err(error)) => {
                let what = if error.is_connect() {
                    "could not connect to fal"
                } else if error.is_timeout() {
                    "the connection to fal timed out"
                } else {
                    "the connection to fal dropped"
                };
                tracing::warn!(target = %target.for_log(), error = %error.without_url(), "{what}");
                return json_error(StatusCode::BAD_GATEWAY, what);
            }
            Ok(Ok(response)) => response,
        };
        tracing::info!(
            %method,
            target = %target.for_log(),
            status = upstream.status().as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "forwarded"
        );
        let mut response = Response::builder().status(upstream.status());
        let secret = key.map(FalKey::expose);
        for (name, value) in upstream.headers() {
            let echoes_key =
                secret.is_some_and(|s| String::from_utf8_lossy(value.as_bytes()).contains(s));
            if !DROPPED.contains(&name.as_str())
                && !name.as_str().starts_with("access-control-")
                && !echoes_key
            {
                response = response.header(name, value);
            }
        }
        let target_log = target.for_log();
        let stream = futures_util::StreamExt::map(upstream.bytes_stream(), move |chunk| {
            chunk.map_err(|error| {
                tracing::warn!(target = %target_log, error = %error.without_url(), "fal's answer broke off");
                std::io::Error::other("upstream body broke off")
            })
        });
        response
            .body(Body::from_stream(stream))
            .unwrap_or_else(|_| {
                json_error(StatusCode::BAD_GATEWAY, "fal sent an unusable response")
            })
    }
}
