//! The HTTP/1.1 accept loop.
//!
//! `axum::serve` cannot close a connection without answering, but the
//! simulator must (fal's edge sometimes does, and clients have to survive
//! it). Here a handler marks its response with [`DropConnection`]; the
//! connection is then closed with no status line written.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Put this in a response's extensions to close the connection instead of
/// sending the response.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// The address a connection arrived at (which of this machine's addresses
/// the client used), in each request's extensions.
#[derive(Debug, Clone, Copy)]
pub struct LocalAddr(pub SocketAddr);

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

/// Serves `app` on `listener` until the task is dropped. Each request gets
/// `ConnectInfo<SocketAddr>` like `axum::serve` gives it.
pub async fn serve(listener: TcpListener, app: Router) {
    loop {
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
            let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                if let Some(local) = local {
                    request.extensions_mut().insert(LocalAddr(local));
                }
                let app = app.clone();
                async move {
                    let response = app
                        .oneshot(request.map(Body::new))
                        .await
                        .unwrap_or_else(|never: Infallible| match never {});
                    if response.extensions().get::<DropConnection>().is_some() {
                        Err(DroppedOnPurpose)
                    } else {
                        Ok(response)
                    }
                }
            });
            // A client gets 30 s to send its request head (slowloris guard);
            // bodies and streamed answers are not limited by this.
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(30))
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
