//! Where the proxy keeps what must outlive a request: money reserved
//! against budgets, which identity submitted which request, and the rate
//! buckets. One trait, two stores: an embedded SQLite file (the default;
//! survives restarts) and Redis (several replicas share one state).
//!
//! Every check-and-change is atomic in the store itself (an SQLite
//! `BEGIN IMMEDIATE` transaction, a Redis Lua script), so two replicas, or
//! two submits in one process, can never both spend the last dollar.

pub mod embedded;
pub mod redis_store;
pub mod spec;

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};

pub use self::spec::StateSpec;
use crate::budget::money::Cents;
use crate::start_error::StartError;

/// Which budget a counter stands for; named in the 402 answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    GlobalDaily,
    GlobalMonthly,
    IdentityDaily,
    IdentityMonthly,
}

/// One spend counter a reservation adds to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    pub scope: Scope,
    /// e.g. `spend:all:day:2026-12-06`, `spend:code:alice:month:2026-12`.
    pub key: String,
    /// `None`: counted, never refused.
    pub limit: Option<Cents>,
    /// How long the counter must be kept (its period plus a margin).
    pub ttl_secs: u64,
}

/// Money set aside for one submit, in every counter it counts against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    pub cents: Cents,
    pub counters: Vec<Counter>,
}

/// The answer to a reservation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reserved {
    Yes,
    /// Nothing was added: `counter` would pass its limit (`spent` so far).
    Over {
        counter: Counter,
        spent: Cents,
    },
}

/// Who submitted a request, and what it reserved (released at most once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ownership {
    pub identity: String,
    pub reservation: Option<Reservation>,
}

/// A token bucket: `burst` calls at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_second: f64,
    pub burst: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store did not answer (Redis gone, the file unwritable).
    #[error("the state store is unavailable: {0}")]
    Unavailable(String),
}

pub type StoreResult<'a, T> = BoxFuture<'a, Result<T, StoreError>>;

/// How long ownership records are kept: longer than any fal result lives.
pub const OWNERSHIP_TTL: Duration = Duration::from_secs(30 * 86_400);

pub trait StateStore: Send + Sync + Debug {
    /// For the start-up log: where the state lives.
    fn describe(&self) -> String;

    /// Adds `reservation.cents` to every counter, unless one would pass its
    /// limit; then adds nothing.
    fn reserve<'a>(&'a self, reservation: &'a Reservation) -> StoreResult<'a, Reserved>;

    /// Takes a reservation back (a submit fal refused).
    fn release<'a>(&'a self, reservation: &'a Reservation) -> StoreResult<'a, ()>;

    fn record_owner<'a>(&'a self, request_id: &'a str, owner: &'a Ownership)
        -> StoreResult<'a, ()>;

    fn owner<'a>(&'a self, request_id: &'a str) -> StoreResult<'a, Option<Ownership>>;

    /// Releases a recorded request's reservation, once: `true` the first
    /// time, `false` after (or when it reserved nothing).
    fn release_request<'a>(&'a self, request_id: &'a str) -> StoreResult<'a, bool>;

    /// Takes a token from `bucket`, or says how long until one is free.
    fn take_token<'a>(
        &'a self,
        bucket: &'a str,
        rate: Rate,
    ) -> StoreResult<'a, Result<(), Duration>>;
}

/// Opens the store `spec` names; a store that cannot be opened (a file
/// that cannot be created, a Redis that does not answer) stops start-up.
pub async fn open(spec: &StateSpec) -> Result<Arc<dyn StateStore>, StartError> {
    match spec {
        StateSpec::File(path) => Ok(Arc::new(embedded::EmbeddedStore::open(path)?)),
        StateSpec::Redis(url) => Ok(Arc::new(redis_store::RedisStore::connect(url).await?)),
    }
}
