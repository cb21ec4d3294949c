//! The shared store: Redis, for several replicas behind one load balancer.
//! Every check-and-change is one Lua script, which Redis runs atomically,
//! so replicas never both spend the last dollar of a budget.
//!
//! A Redis that stops answering while the server runs makes these calls
//! fail fast: one connection attempt (2 s at most), then for a second no
//! attempt at all, so status polls are not slowed by an outage. The proxy
//! then refuses submits and cancels (503) and lets reads through.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands, Script};

use super::{
    Ownership, Rate, Reservation, Reserved, StateStore, StoreError, StoreResult, OWNERSHIP_TTL,
};
use crate::start_error::StartError;

/// Every key this server writes starts with this.
const PREFIX: &str = "wan-r2v:";

const RESERVE: &str = r"
local amount = tonumber(ARGV[1])
local n = #KEYS
for i = 1, n do
  local limit = tonumber(ARGV[1 + i])
  if limit >= 0 then
    local spent = tonumber(redis.call('GET', KEYS[i]) or '0')
    if spent + amount > limit then return {i, spent} end
  end
end
for i = 1, n do
  redis.call('INCRBY', KEYS[i], amount)
  local ttl = tonumber(ARGV[1 + n + i])
  if redis.call('TTL', KEYS[i]) < ttl then redis.call('EXPIRE', KEYS[i], ttl) end
end
return {0, 0}";

const RELEASE: &str = r"
for i = 1, #KEYS do
  if redis.call('DECRBY', KEYS[i], ARGV[1]) < 0 then
    redis.call('SET', KEYS[i], 0, 'KEEPTTL')
  end
end
return 1";

/// KEYS[1] is the request's hash; its `reservation` field is JSON.
const RELEASE_REQUEST: &str = r"
if redis.call('HGET', KEYS[1], 'released') ~= '0' then return 0 end
local text = redis.call('HGET', KEYS[1], 'reservation')
if not text or text == '' then return 0 end
redis.call('HSET', KEYS[1], 'released', '1')
local r = cjson.decode(text)
for _, counter in ipairs(r.counters) do
  local key = ARGV[1] .. counter.key
  if redis.call('DECRBY', key, r.cents) < 0 then redis.call('SET', key, 0, 'KEEPTTL') end
end
return 1";

/// A token bucket on Redis's own clock, so replicas agree on time.
const TAKE_TOKEN: &str = r"
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return tostring(wait)";

/// After a failed call, how long calls fail at once without trying.
const PAUSE_AFTER_FAILURE: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub struct RedisStore {
    /// The URL without any password, for logs.
    shown: String,
    connection: ConnectionManager,
    /// Until when calls fail at once (Redis just failed).
    paused_until: Arc<Mutex<Option<Instant>>>,
    reserve: Script,
    release: Script,
    release_request: Script,
    take_token: Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("url", &self.shown)
            .finish()
    }
}

fn unavailable(error: redis::RedisError) -> StoreError {
    StoreError::Unavailable(format!("Redis: {error}"))
}

/// `redis://user:secret@host:6379/0` → `redis://host:6379/0`.
fn without_password(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, _)), Some(at)) => format!("{scheme}://{}", &url[at + 1..]),
        _ => url.to_owned(),
    }
}

impl RedisStore {
    /// Connects and pings; a Redis that does not answer within 3 s stops
    /// start-up.
    pub async fn connect(url: &str) -> Result<Self, StartError> {
        let shown = without_password(url);
        let fail = |why: String| StartError::State(format!("{shown}: {why}"));
        let client = redis::Client::open(url).map_err(|e| fail(e.to_string()))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Duration::from_secs(2))
            .set_response_timeout(Duration::from_secs(2))
            .set_number_of_retries(0);
        let connect = ConnectionManager::new_with_config(client, config);
        let mut connection = tokio::time::timeout(Duration::from_secs(3), connect)
            .await
            .map_err(|_| fail("Redis did not answer within 3 s".to_owned()))?
            .map_err(|e| fail(format!("Redis did not answer: {e}")))?;
        let pong: String = redis::cmd("PING")
            .query_async(&mut connection)
            .await
            .map_err(|e| fail(format!("Redis did not answer PING: {e}")))?;
        if pong != "PONG" {
            return Err(fail(format!("Redis answered PING with {pong:?}")));
        }
        Ok(Self {
            shown,
            connection,
            paused_until: Arc::new(Mutex::new(None)),
            reserve: Script::new(RESERVE),
            release: Script::new(RELEASE),
            release_request: Script::new(RELEASE_REQUEST),
            take_token: Script::new(TAKE_TOKEN),
        })
    }

    fn request_key(request_id: &str) -> String {
        format!("{PREFIX}request:{request_id}")
    }

    /// Runs one Redis call, or fails at once while paused after a failure.
    async fn guarded<T>(
        &self,
        call: impl Future<Output = redis::RedisResult<T>>,
    ) -> Result<T, StoreError> {
        let now = Instant::now();
        if self
            .paused_until
            .lock()
            .expect("redis pause lock")
            .is_some_and(|until| now < until)
        {
            return Err(StoreError::Unavailable(
                "Redis failed less than a second ago".to_owned(),
            ));
        }
        call.await.map_err(|error| {
            *self.paused_until.lock().expect("redis pause lock") =
                Some(Instant::now() + PAUSE_AFTER_FAILURE);
            unavailable(error)
        })
    }
}

impl StateStore for RedisStore {
    fn describe(&self) -> String {
        format!("Redis at {}", self.shown)
    }

    fn reserve<'a>(&'a self, reservation: &'a Reservation) -> StoreResult<'a, Reserved> {
        Box::pin(async move {
            let mut invocation = self.reserve.prepare_invoke();
            invocation.arg(reservation.cents);
            for counter in &reservation.counters {
                invocation.key(format!("{PREFIX}{}", counter.key));
            }
            for counter in &reservation.counters {
                invocation.arg(counter.limit.map_or(-1, |l| l as i64));
            }
            for counter in &reservation.counters {
                invocation.arg(counter.ttl_secs);
            }
            let mut connection = self.connection.clone();
            let (index, spent): (usize, u64) = self
                .guarded(invocation.invoke_async(&mut connection))
                .await?;
            Ok(match index.checked_sub(1) {
                None => Reserved::Yes,
                Some(i) => Reserved::Over {
                    counter: reservation.counters[i].clone(),
                    spent,
                },
            })
        })
    }

    fn release<'a>(&'a self, reservation: &'a Reservation) -> StoreResult<'a, ()> {
        Box::pin(async move {
            let mut invocation = self.release.prepare_invoke();
            invocation.arg(reservation.cents);
            for counter in &reservation.counters {
                invocation.key(format!("{PREFIX}{}", counter.key));
            }
            let mut connection = self.connection.clone();
            let _: i64 = self
                .guarded(invocation.invoke_async(&mut connection))
                .await?;
            Ok(())
        })
    }

    fn record_owner<'a>(
        &'a self,
        request_id: &'a str,
        owner: &'a Ownership,
    ) -> StoreResult<'a, ()> {
        Box::pin(async move {
            let reservation = owner
                .reservation
                .as_ref()
                .map(|r| serde_json::to_string(r).expect("a reservation serializes"))
                .unwrap_or_default();
            let key = Self::request_key(request_id);
            let mut connection = self.connection.clone();
            let mut pipe = redis::pipe();
            pipe.atomic()
                .hset_multiple(
                    &key,
                    &[
                        ("identity", owner.identity.as_str()),
                        ("reservation", reservation.as_str()),
                        ("released", "0"),
                    ],
                )
                .expire(&key, OWNERSHIP_TTL.as_secs() as i64);
            self.guarded(pipe.query_async::<()>(&mut connection)).await
        })
    }

    fn owner<'a>(&'a self, request_id: &'a str) -> StoreResult<'a, Option<Ownership>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let key = Self::request_key(request_id);
            let (identity, reservation): (Option<String>, Option<String>) = self
                .guarded(connection.hget(key, &["identity", "reservation"]))
                .await?;
            Ok(identity.map(|identity| Ownership {
                identity,
                reservation: reservation.and_then(|r| serde_json::from_str(&r).ok()),
            }))
        })
    }

    fn release_request<'a>(&'a self, request_id: &'a str) -> StoreResult<'a, bool> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let mut invocation = self.release_request.key(Self::request_key(request_id));
            invocation.arg(PREFIX);
            let released: i64 = self
                .guarded(invocation.invoke_async(&mut connection))
                .await?;
            Ok(released == 1)
        })
    }

    fn take_token<'a>(
        &'a self,
        bucket: &'a str,
        rate: Rate,
    ) -> StoreResult<'a, Result<(), Duration>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let mut invocation = self.take_token.key(format!("{PREFIX}rate:{bucket}"));
            invocation.arg(rate.per_second).arg(rate.burst.max(1));
            let wait: String = self
                .guarded(invocation.invoke_async(&mut connection))
                .await?;
            let wait: f64 = wait.parse().unwrap_or(0.0);
            Ok(if wait > 0.0 {
                Err(Duration::from_secs_f64(wait))
            } else {
                Ok(())
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_never_show_a_redis_password() {
        assert_eq!(
            without_password("redis://user:s3cret@10.0.0.5:6379/0"),
            "redis://10.0.0.5:6379/0"
        );
        assert_eq!(without_password("redis://h:1"), "redis://h:1");
    }
}
