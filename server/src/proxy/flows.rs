//! What the proxy does around each kind of call with the server's key:
//! a submit is priced, reserved against the budgets and recorded as its
//! identity's; reads and cancels pass only for the identity that
//! submitted; a cancel that lands while the job is queued gives the
//! reservation back. A call with the user's own forwarded key only passes
//! through: fal bills that key and checks what it may read.

use std::time::SystemTime;

use axum::body::{to_bytes, Body};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};
use wan_r2v_studio::core::fal::calls::NO_SUCH_REQUEST_ID;
use wan_r2v_studio::core::model::pricing::format_usd;

use super::calls::ProxyCall;
use super::{Admitted, Proxy};
use crate::budget::estimate::{cents, estimate};
use crate::budget::over_budget;
use crate::json_error::{json_error, json_response};
use crate::public_origin::request_origin;
use crate::simulator::journal::UpstreamAuthorization;
use crate::state::{Ownership, Reserved, StoreError};

/// The largest submit answer read to learn the request id (fal's is a few
/// hundred bytes).
const MAX_SUBMIT_ANSWER: usize = 1 << 20;

fn state_unavailable(error: &StoreError, what: &str) -> Response {
    tracing::error!(%error, "{what} refused: the state store did not answer");
    json_response(
        StatusCode::SERVICE_UNAVAILABLE,
        &json!({
            "detail": format!(
                "The studio's budget store cannot be reached, so it cannot {what} right now. \
                 Jobs already running are not affected: their status and results still load. \
                 Try again in a minute."
            ),
            "reason": "state_unavailable",
        }),
    )
}

fn not_yours(id: &str) -> Response {
    json_error(
        StatusCode::FORBIDDEN,
        format!("request {id} was not submitted through this proxy by you"),
    )
}

impl Proxy {
    /// Runs an admitted call. `Err` is the proxy's own refusal.
    pub(super) async fn run(
        &self,
        parts: &Parts,
        admitted: Admitted,
    ) -> Result<Response, Response> {
        let server_key = admitted.out.which_key == UpstreamAuthorization::ServerKey;
        match (&admitted.call, server_key) {
            (ProxyCall::Submit, _) => self.submit(parts, admitted, server_key).await,
            (ProxyCall::Cancel { owner_alias, id }, true) => {
                let (owner_alias, id) = (owner_alias.clone(), id.clone());
                self.cancel(parts, admitted, &owner_alias, &id).await
            }
            // "Test connection" reads the status of a request that cannot
            // exist (all zeros): nobody owns it and fal answers it for free.
            (ProxyCall::Status { id }, true) if id == NO_SUCH_REQUEST_ID => {
                Ok(self.send(parts, admitted.out).await)
            }
            (call, true) if call.request_id().is_some() => {
                let id = call.request_id().unwrap_or_default().to_owned();
                match self.store.owner(&id).await {
                    Ok(Some(owner)) if owner.identity == admitted.identity.key => {}
                    Ok(_) => return Err(not_yours(&id)),
                    // Reads spend nothing: a paid result is never lost to a
                    // store outage (request ids are unguessable UUIDs).
                    Err(error) => tracing::warn!(%error, "ownership not checked for a read"),
                }
                Ok(self.send(parts, admitted.out).await)
            }
            _ => Ok(self.send(parts, admitted.out).await),
        }
    }

    async fn submit(
        &self,
        parts: &Parts,
        admitted: Admitted,
        server_key: bool,
    ) -> Result<Response, Response> {
        let identity = &admitted.identity;
        let bucket = format!("submit:{}", identity.key);
        self.take(bucket, self.submit_rate, "submits").await?;
        if !server_key {
            return Ok(self.send(parts, admitted.out).await);
        }
        let mut reservation = None;
        if self.priced {
            let origin = request_origin(&parts.headers, self.public_url.as_deref());
            let estimate = estimate(&admitted.out.body, &self.prober, origin.as_deref())
                .await
                .map_err(|refusal| *refusal)?;
            let cost = cents(&estimate);
            let now = SystemTime::now();
            let wanted = self.budgets.reservation(identity, cost, now);
            match self.store.reserve(&wanted).await {
                Ok(Reserved::Yes) => {}
                Ok(Reserved::Over { counter, spent }) => {
                    tracing::info!(identity = %identity.key, scope = ?counter.scope, "submit over budget");
                    return Err(over_budget(&counter, spent, cost, now));
                }
                Err(error) => return Err(state_unavailable(&error, "start a job")),
            }
            tracing::info!(
                identity = %identity.key,
                "reserved {} ({})",
                format_usd(cost),
                estimate.arithmetic()
            );
            reservation = Some(wanted);
        }
        let response = self.send(parts, admitted.out).await;
        if !response.status().is_success() {
            if let Some(reservation) = &reservation {
                match self.store.release(reservation).await {
                    Ok(()) => tracing::info!(
                        identity = %identity.key,
                        status = response.status().as_u16(),
                        "fal refused the submit; released {}",
                        format_usd(reservation.cents)
                    ),
                    Err(error) => tracing::error!(%error, "could not release a refused submit"),
                }
            }
            return Ok(response);
        }
        let (head, body) = response.into_parts();
        let bytes = to_bytes(body, MAX_SUBMIT_ANSWER).await.unwrap_or_default();
        let request_id = serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|v| v["request_id"].as_str().map(str::to_owned))
            .or_else(|| {
                let header = head.headers.get("x-fal-request-id")?;
                header.to_str().ok().map(str::to_owned)
            });
        match request_id {
            Some(id) => {
                let owner = Ownership {
                    identity: identity.key.clone(),
                    reservation,
                };
                if let Err(error) = self.store.record_owner(&id, &owner).await {
                    tracing::error!(%error, request_id = %id, "could not record who submitted");
                }
            }
            None => tracing::warn!("fal's submit answer named no request id"),
        }
        Ok(Response::from_parts(head, Body::from(bytes)))
    }

    async fn cancel(
        &self,
        parts: &Parts,
        admitted: Admitted,
        owner_alias: &str,
        id: &str,
    ) -> Result<Response, Response> {
        match self.store.owner(id).await {
            Ok(Some(owner)) if owner.identity == admitted.identity.key => {}
            Ok(_) => return Err(not_yours(id)),
            Err(error) => return Err(state_unavailable(&error, "cancel a job")),
        }
        // Queued or running? Only a job cancelled in the queue never runs,
        // so only then is its reservation given back.
        let status = self
            .send(parts, admitted.out.status_of(owner_alias, id))
            .await;
        let queued = status.status().is_success() && {
            let bytes = to_bytes(status.into_body(), MAX_SUBMIT_ANSWER)
                .await
                .unwrap_or_default();
            serde_json::from_slice::<Value>(&bytes).is_ok_and(|v| v["status"] == "IN_QUEUE")
        };
        let response = self.send(parts, admitted.out).await;
        if queued && response.status().is_success() {
            match self.store.release_request(id).await {
                Ok(true) => tracing::info!(request_id = id, "cancelled while queued; released"),
                Ok(false) => {}
                Err(error) => tracing::error!(%error, request_id = id, "could not release"),
            }
        }
        Ok(response)
    }
}
