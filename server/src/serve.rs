//! The HTTP/1.1 accept loop, and its limits against clients that hold
//! connections open cheaply.
//!
//! `axum::serve` cannot close a connection without answering, but the
//! simulator must (fal's edge sometimes does, and clients have to survive
//! it). Here a handler marks its response with [`DropConnection`]; the
//! connection is then closed with no status line written.
//!
//! Slow clients: at most `--max-connections` are served at once (more wait
//! in the kernel's queue until one closes); a request head must arrive
//! within `--header-timeout` (which also closes idle keep-alive
//! connections), and a request body within `--body-timeout` of its head.
//! A client trickling a byte every few seconds is cut at those limits, so
//! a slot it holds comes free and a normal request gets its turn.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::body_deadline::with_deadline;

/// Put this in a response's extensions to close the connection instead of
/// sending the response.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// The address a connection arrived at (which of this machine's addresses
/// the client used), in each request's extensions.
#[derive(Debug, Clone, Copy)]
pub struct LocalAddr(pub SocketAddr);

/// How many connections, and how long a client may take to send a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub body_timeout: Duration,
}

impl Default for ConnectionLimits {
    /// The flags' defaults.
    fn default() -> Self {
        Self {
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(60),
        }
    }
}

/// The error handed to hyper so it closes the connection.
#[derive(Debug)]
struct DroppedOnPurpose;

impl std::fmt::Display for DroppedOnPurpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose (simulated fault)")
    }
}

impl std::error::Error for DroppedOnPurpose {}

/// A response that closes the connection without a status line.
pub fn dropped_connection() -> axum::response::Response {
    let mut response = Response::new(Body::empty());
    response.extensions_mut().insert(DropConnection);
    response
}

/// Serves `app` on `listener` with the default limits.
pub async fn serve(listener: TcpListener, app: Router) {
    serve_with(listener, app, ConnectionLimits::default()).await;
}

/// Serves `app` on `listener` until the task is dropped. Each request gets
/// `ConnectInfo<SocketAddr>` like `axum::serve` gives it, and [`LocalAddr`].
pub async fn serve_with(listener: TcpListener, app: Router, limits: ConnectionLimits) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut last_full_warning: Option<Instant> = None;
    loop {
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                if last_full_warning.is_none_or(|at| at.elapsed() >= Duration::from_secs(60)) {
                    tracing::warn!(
                        max = limits.max_connections,
                        "--max-connections reached: new connections wait until one closes"
                    );
                    last_full_warning = Some(Instant::now());
                }
                slots.clone().acquire_owned().await.expect("never closed")
            }
        };
        let (stream, peer) = match listener.accept().await {
            Ok(conn) => conn,
            Err(error) => {
                // Out of file descriptors and the like: wait, do not exit.
                tracing::warn!(%error, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let local = stream.local_addr().ok();
        let app = app.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                if let Some(local) = local {
                    request.extensions_mut().insert(LocalAddr(local));
                }
                let app = app.clone();
                async move {
                    let request = request.map(|body| with_deadline(body, limits.body_timeout));
                    let response = app
                        .oneshot(request)
                        .await
                        .unwrap_or_else(|never: Infallible| match never {});
                    if response.extensions().get::<DropConnection>().is_some() {
                        Err(DroppedOnPurpose)
                    } else {
                        Ok(response)
                    }
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The address a client connected from, for `tracing` and rate limits.
pub fn peer(request_extensions: &axum::http::Extensions) -> Option<SocketAddr> {
    request_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}
