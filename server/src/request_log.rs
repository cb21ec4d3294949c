//! One debug line per request: method, path (never the query, never a
//! header), status and time. `RUST_LOG=wan_r2v_server=debug` shows them.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let peer = crate::serve::peer(request.extensions());
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::debug!(
        %method,
        path,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        peer = ?peer,
        "request"
    );
    response
}
