//! The simulator's own routes: fal's hosts as direct-mode paths on this
//! server (`/sim/queue` = queue.fal.run, `/sim/run` = fal.run, `/sim/rest`
//! = rest.fal.ai, `/sim/storage` and `/sim/files` = the CDN), plus control
//! and journal.
//! fal's stand-ins answer any origin, since the app may be served from
//! elsewhere; control and journal answer only this server's own pages.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware;
use axum::response::Response;
use axum::routing::{any, get};
use axum::Router;
use bytes::Bytes;

use super::control::{delete_journal, get_control, get_journal, post_control};
use super::same_origin::same_origin_only;
use super::{Service, SimRequest, Simulator, Via};
use crate::cors::simulator_cors;
use crate::public_origin::request_origin;

pub fn router(sim: Arc<Simulator>) -> Router {
    let fal = Router::new()
        .route("/sim/queue/{*path}", any(queue))
        .route("/sim/run/{*path}", any(run))
        .route("/sim/rest/{*path}", any(rest))
        .route("/sim/storage/{*path}", any(cdn))
        .route("/sim/files/{*path}", any(cdn))
        .layer(simulator_cors())
        .with_state(sim.clone());
    let steering = Router::new()
        .route("/sim/control", get(get_control).post(post_control))
        .route("/sim/journal", get(get_journal).delete(delete_journal))
        .layer(middleware::from_fn_with_state(
            sim.clone(),
            same_origin_only,
        ))
        .with_state(sim);
    fal.merge(steering)
}

async fn queue(State(sim): State<Arc<Simulator>>, request: Request) -> Response {
    direct(sim, Service::Queue, "/sim/queue", request).await
}

async fn run(State(sim): State<Arc<Simulator>>, request: Request) -> Response {
    direct(sim, Service::Run, "/sim/run", request).await
}

async fn rest(State(sim): State<Arc<Simulator>>, request: Request) -> Response {
    direct(sim, Service::Rest, "/sim/rest", request).await
}

async fn cdn(State(sim): State<Arc<Simulator>>, request: Request) -> Response {
    direct(sim, Service::Cdn, "/sim", request).await
}

async fn direct(sim: Arc<Simulator>, service: Service, prefix: &str, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let origin = request_origin(&parts.headers, sim.public_url.as_deref())
        .unwrap_or_else(|| "http://localhost".to_owned());
    let path = parts.uri.path()[prefix.len()..].to_owned();
    let query = parts.uri.query().map(str::to_owned);
    let with_query = |base: &str| match &query {
        Some(q) => format!("{base}{path}?{q}"),
        None => format!("{base}{path}"),
    };
    let target_url = match service {
        Service::Queue => Some(with_query("https://queue.fal.run")),
        Service::Rest => Some(with_query("https://rest.fal.ai")),
        Service::Run => Some(with_query("https://fal.run")),
        Service::Cdn => None,
    };
    let request = SimRequest {
        via: Via::Direct,
        method: parts.method,
        service,
        server_path: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.to_string()),
        path,
        query,
        headers: parts.headers,
        body: Bytes::new(),
        queue_base: format!("{origin}/sim/queue"),
        origin,
        target_url,
        upstream_authorization: None,
        key_required: matches!(service, Service::Queue | Service::Rest | Service::Run),
    };
    sim.dispatch_body(request, Some(body)).await
}
