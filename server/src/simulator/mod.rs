//! `--simulate`: fal's queue, REST storage and CDN, answered in-process.
//!
//! Requests arrive two ways and meet in [`Simulator::dispatch`]: through the
//! proxy (targets `https://queue.fal.run/...`, `https://rest.fal.ai/...`) and
//! directly at `/sim/queue`, `/sim/rest`, `/sim/storage`, `/sim/files` (the
//! app's own-key path). Every request goes through the same steps: classify,
//! apply a matching fault, check the key where fal would, answer, journal.

pub mod auth;
pub mod body_limit;
pub mod call;
pub mod cdn;
pub mod control;
pub mod faults;
pub mod file_headers;
pub mod files;
pub mod input_check;
pub mod job_store;
pub mod jobs;
pub mod journal;
pub mod knobs;
pub mod options;
pub mod output;
pub mod output_ids;
pub mod queue;
pub mod route;
pub mod routes;
pub mod same_origin;
pub mod storage;
pub mod storage_room;
pub mod storage_upload;
pub mod stream;
pub mod timings;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Instant, SystemTime};

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use serde::{Deserialize, Serialize};

use self::call::Call;
use self::faults::{FaultBook, FaultKind, FaultRule};
use self::job_store::JobStore;
use self::journal::{capped, Journal, JournalEntry, UpstreamAuthorization, MAX_TEXT};
use self::options::SimOptions;
use self::output_ids::OutputIds;
use self::storage::Storage;
use self::timings::Timings;
use crate::json_error::json_response;
use crate::serve::{dropped_connection, DropConnection};
use crate::timefmt::iso8601;

/// How a request reached the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// Through `/api/fal/proxy`.
    Proxy,
    /// At a `/sim/...` route, as the app does with the user's own key.
    Direct,
}

/// Which fal service a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Queue,
    /// `fal.run` (synchronous).
    Run,
    Rest,
    /// Upload URLs and files (`/storage/...`, `/files/...`).
    Cdn,
}

/// One request, whichever way it came.
#[derive(Debug)]
pub struct SimRequest {
    pub via: Via,
    pub method: Method,
    pub service: Service,
    /// Path within the service, starting with `/`.
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// This server's origin, for upload and file URLs.
    pub origin: String,
    /// Where queue URLs in answers point: fal's host for proxy requests,
    /// `<origin>/sim/queue` for direct ones.
    pub queue_base: String,
    /// The path this server was called at (for the journal).
    pub server_path: String,
    pub target_url: Option<String>,
    /// Proxy requests: which key the proxy would send fal.
    pub upstream_authorization: Option<UpstreamAuthorization>,
    /// Whether fal would check a key here (queue and REST calls; not the
    /// signed upload URLs or files).
    pub key_required: bool,
}

impl SimRequest {
    /// `logs=1` in the query.
    pub fn wants_logs(&self) -> bool {
        self.query
            .as_deref()
            .is_some_and(|q| q.split('&').any(|p| p == "logs=1" || p == "logs=true"))
    }

    /// The value of `name` in the query.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .as_deref()?
            .split('&')
            .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
    }
}

/// Everything the simulator remembers.
#[derive(Debug)]
pub struct SimState {
    pub timings: Timings,
    pub jobs: JobStore,
    pub storage: Storage,
    pub faults: FaultBook,
    pub journal: Journal,
    /// Jobs whose result is a video: their output URL stays valid after the
    /// result expires, as fal's CDN files do.
    pub outputs: OutputIds,
}

#[derive(Debug)]
pub struct Simulator {
    state: Mutex<SimState>,
    /// The flags' timings, restored by a control `reset`.
    pub defaults: Timings,
    pub public_url: Option<String>,
    /// Woken when the control API ends a job, so open status streams send
    /// the change at once, as fal's stream does, instead of at their next
    /// look at the clock.
    pub job_changed: tokio::sync::Notify,
}

impl Simulator {
    pub fn new(options: SimOptions) -> Self {
        let timings = options.timings.with_floors();
        let mut faults = FaultBook::default();
        for rule in options.faults {
            faults.add(rule, Instant::now());
        }
        Self {
            state: Mutex::new(SimState {
                timings,
                jobs: JobStore::default(),
                storage: Storage::new(options.storage, options.max_upload),
                faults,
                journal: Journal::default(),
                outputs: OutputIds::default(),
            }),
            defaults: timings,
            public_url: options.public_url,
            job_changed: tokio::sync::Notify::new(),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, SimState> {
        self.state.lock().expect("simulator state lock")
    }

    /// Answers one request whose body is already read (the proxy's):
    /// fault, key check, handler, journal.
    pub async fn dispatch(self: &Arc<Self>, request: SimRequest) -> Response {
        self.dispatch_body(request, None).await
    }

    /// Answers one request, reading `body` (when given) only once the
    /// fault and key checks have passed, and no more of it than the call
    /// may have ([`body_limit`]).
    pub async fn dispatch_body(
        self: &Arc<Self>,
        mut request: SimRequest,
        body: Option<Body>,
    ) -> Response {
        let call = call::classify(&request);
        let route = call.route();
        let request_id = call.request_id().map(str::to_owned);
        let fault =
            self.lock()
                .faults
                .take(route, request.via, request_id.as_deref(), Instant::now());
        let response = self.answer(&mut request, call, fault.as_ref(), body).await;
        let status = match response.extensions().get::<DropConnection>() {
            Some(_) => None,
            None => Some(response.status().as_u16()),
        };
        self.record(&request, route, request_id, status, fault.map(|f| f.kind));
        response
    }

    async fn answer(
        self: &Arc<Self>,
        request: &mut SimRequest,
        call: Call,
        fault: Option<&FaultRule>,
        body: Option<Body>,
    ) -> Response {
        if let Some(delay) = fault.and_then(FaultRule::delay) {
            tokio::time::sleep(delay).await;
        }
        let mut stream_fault = None;
        match fault.map(|f| (f, f.kind)) {
            Some((f, FaultKind::Http)) => return f.http_response(),
            Some((_, FaultKind::Drop)) => return dropped_connection(),
            Some((f, FaultKind::Malformed)) if !matches!(call, Call::StatusStream { .. }) => {
                let status =
                    StatusCode::from_u16(f.status.unwrap_or(200)).unwrap_or(StatusCode::OK);
                let mut response = json_response(status, &serde_json::Value::Null);
                *response.body_mut() = f.malformed_body().into();
                return response;
            }
            Some((f, _)) => stream_fault = Some(f.clone()),
            None => {}
        }
        if request.key_required {
            if let Err(why) = auth::check_key(&request.headers) {
                return auth::unauthorized(why);
            }
        }
        if let Some(body) = body {
            match body_limit::read(self, request, &call, body).await {
                Ok(bytes) => request.body = bytes,
                Err(refusal) => return refusal,
            }
        }
        call::handle(self, request, call, stream_fault).await
    }

    /// Journals a request the proxy refused before it reached "fal".
    pub fn record_rejected(&self, request: &SimRequest, status: StatusCode) {
        let route = route::SimRoute::ProxyRejected;
        self.record(request, route, None, Some(status.as_u16()), None);
    }

    fn record(
        &self,
        request: &SimRequest,
        route: route::SimRoute,
        request_id: Option<String>,
        status: Option<u16>,
        fault: Option<FaultKind>,
    ) {
        let entry = JournalEntry {
            seq: 0,
            timestamp: iso8601(SystemTime::now()),
            via: request.via,
            method: capped(request.method.as_str(), 32),
            path: capped(&request.server_path, MAX_TEXT),
            target_url: request.target_url.as_deref().map(|t| capped(t, MAX_TEXT)),
            route,
            request_id,
            authorization: if request.headers.contains_key(header::AUTHORIZATION) {
                "present"
            } else {
                "absent"
            },
            upstream_authorization: request.upstream_authorization,
            body_bytes: request.body.len() as u64,
            content_type: request
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(|t| capped(t, 256)),
            status,
            fault: fault.map(|k| {
                serde_json::to_value(k)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            }),
        };
        self.lock().journal.record(entry);
    }
}
