//! The embedded store: one SQLite file (rusqlite, SQLite built in), so
//! budgets and request ownership survive a restart with nothing to run
//! beside the server. Several processes on one machine may share the file:
//! SQLite's locking makes each check-and-add one transaction
//! (`BEGIN IMMEDIATE` takes the write lock before reading).
//!
//! Rate buckets stay in memory: they refill within seconds, and writing the
//! file on every status poll would cost an fsync each.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{
    Ownership, Rate, Reservation, Reserved, StateStore, StoreError, StoreResult, OWNERSHIP_TTL,
};
use crate::rate_limit::RateLimiter;
use crate::start_error::StartError;

#[derive(Debug)]
pub struct EmbeddedStore {
    path: PathBuf,
    connection: Arc<Mutex<Connection>>,
    buckets: RateLimiter,
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as i64
}

fn unavailable(error: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(error.to_string())
}

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS spend (
        key TEXT PRIMARY KEY,
        cents INTEGER NOT NULL,
        expires INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS requests (
        id TEXT PRIMARY KEY,
        identity TEXT NOT NULL,
        reservation TEXT,
        released INTEGER NOT NULL DEFAULT 0,
        expires INTEGER NOT NULL
    );";

impl EmbeddedStore {
    pub fn open(path: &Path) -> Result<Self, StartError> {
        let fail = |why: String| StartError::State(format!("{}: {why}", path.display()));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
        }
        let connection = Connection::open(path).map_err(|e| fail(e.to_string()))?;
        let setup = || -> rusqlite::Result<()> {
            connection.busy_timeout(Duration::from_secs(5))?;
            connection.pragma_update(None, "journal_mode", "WAL")?;
            // A reservation is on disk before the submit goes to fal.
            connection.pragma_update(None, "synchronous", "FULL")?;
            connection.execute_batch(SCHEMA)?;
            let now = now_secs();
            connection.execute("DELETE FROM spend WHERE expires < ?1", [now])?;
            connection.execute("DELETE FROM requests WHERE expires < ?1", [now])?;
            Ok(())
        };
        setup().map_err(|e| fail(e.to_string()))?;
        Ok(Self {
            path: path.to_owned(),
            connection: Arc::new(Mutex::new(connection)),
            buckets: RateLimiter::default(),
        })
    }

    /// Runs `work` on the connection off the async threads.
    fn run<'a, T: Send + 'static>(
        &'a self,
        work: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> StoreResult<'a, T> {
        let connection = self.connection.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let mut connection = connection.lock().expect("state store lock");
                work(&mut connection).map_err(unavailable)
            })
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?
        })
    }
}

fn subtract(tx: &rusqlite::Transaction<'_>, reservation: &Reservation) -> rusqlite::Result<()> {
    for counter in &reservation.counters {
        tx.execute(
            "UPDATE spend SET cents = MAX(0, cents - ?2) WHERE key = ?1",
            params![counter.key, reservation.cents as i64],
        )?;
    }
    Ok(())
}

impl StateStore for EmbeddedStore {
    fn describe(&self) -> String {
        format!("SQLite file {}", self.path.display())
    }

    fn reserve<'a>(&'a self, reservation: &'a Reservation) -> StoreResult<'a, Reserved> {
        let reservation = reservation.clone();
        self.run(move |connection| {
            let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for counter in &reservation.counters {
                let spent: i64 = tx
                    .query_row(
                        "SELECT cents FROM spend WHERE key = ?1",
                        [&counter.key],
                        |row| row.get(0),
                    )
                    .optional()?
                    .unwrap_or(0);
                let spent = spent.max(0) as u64;
                if counter
                    .limit
                    .is_some_and(|limit| spent + reservation.cents > limit)
                {
                    return Ok(Reserved::Over {
                        counter: counter.clone(),
                        spent,
                    });
                }
            }
            let now = now_secs();
            for counter in &reservation.counters {
                tx.execute(
                    "INSERT INTO spend (key, cents, expires) VALUES (?1, ?2, ?3)
                     ON CONFLICT(key) DO UPDATE SET cents = cents + ?2, expires = MAX(expires, ?3)",
                    params![
                        counter.key,
                        reservation.cents as i64,
                        now + counter.ttl_secs as i64
                    ],
                )?;
            }
            tx.commit()?;
            Ok(Reserved::Yes)
        })
    }

    fn release<'a>(&'a self, reservation: &'a Reservation) -> StoreResult<'a, ()> {
        let reservation = reservation.clone();
        self.run(move |connection| {
            let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            subtract(&tx, &reservation)?;
            tx.commit()
        })
    }

    fn record_owner<'a>(
        &'a self,
        request_id: &'a str,
        owner: &'a Ownership,
    ) -> StoreResult<'a, ()> {
        let (id, identity) = (request_id.to_owned(), owner.identity.clone());
        let reservation = owner
            .reservation
            .as_ref()
            .map(|r| serde_json::to_string(r).expect("a reservation serializes"));
        self.run(move |connection| {
            connection.execute(
                "INSERT OR REPLACE INTO requests (id, identity, reservation, released, expires)
                 VALUES (?1, ?2, ?3, 0, ?4)",
                params![
                    id,
                    identity,
                    reservation,
                    now_secs() + OWNERSHIP_TTL.as_secs() as i64
                ],
            )?;
            Ok(())
        })
    }

    fn owner<'a>(&'a self, request_id: &'a str) -> StoreResult<'a, Option<Ownership>> {
        let id = request_id.to_owned();
        self.run(move |connection| {
            connection
                .query_row(
                    "SELECT identity, reservation FROM requests WHERE id = ?1",
                    [id],
                    |row| {
                        let reservation: Option<String> = row.get(1)?;
                        Ok(Ownership {
                            identity: row.get(0)?,
                            reservation: reservation.and_then(|r| serde_json::from_str(&r).ok()),
                        })
                    },
                )
                .optional()
        })
    }

    fn release_request<'a>(&'a self, request_id: &'a str) -> StoreResult<'a, bool> {
        let id = request_id.to_owned();
        self.run(move |connection| {
            let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let row: Option<Option<String>> = tx
                .query_row(
                    "SELECT reservation FROM requests WHERE id = ?1 AND released = 0",
                    [&id],
                    |row| row.get(0),
                )
                .optional()?;
            let Some(reservation) = row
                .flatten()
                .and_then(|r| serde_json::from_str::<Reservation>(&r).ok())
            else {
                return Ok(false);
            };
            tx.execute("UPDATE requests SET released = 1 WHERE id = ?1", [&id])?;
            subtract(&tx, &reservation)?;
            tx.commit()?;
            Ok(true)
        })
    }

    fn take_token<'a>(
        &'a self,
        bucket: &'a str,
        rate: Rate,
    ) -> StoreResult<'a, Result<(), Duration>> {
        let answer = self.buckets.check(bucket, rate);
        Box::pin(async move { Ok(answer) })
    }
}
