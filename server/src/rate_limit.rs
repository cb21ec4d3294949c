//! Token buckets kept in this process, one per bucket name (an identity's
//! general bucket, its submit bucket), so one caller cannot call the proxy,
//! or spend its key, at any rate it likes. The embedded store uses these;
//! the Redis store keeps its buckets in Redis so replicas share them.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::state::Rate;

/// Buckets kept before idle (full) ones are swept.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
    /// The refill rate it was last checked with, for sweeping.
    per_second: f64,
    burst: f64,
}

#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    /// Takes a token from `bucket`, or says how long until one is free.
    pub fn check(&self, bucket: &str, rate: Rate) -> Result<(), Duration> {
        self.check_at(bucket, rate, Instant::now())
    }

    fn check_at(&self, name: &str, rate: Rate, now: Instant) -> Result<(), Duration> {
        let burst = f64::from(rate.burst.max(1));
        let mut buckets = self.buckets.lock().expect("rate limiter lock");
        if buckets.len() > SWEEP_ABOVE {
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.updated).as_secs_f64() * b.per_second < b.burst
            });
        }
        let bucket = buckets.entry(name.to_owned()).or_insert(Bucket {
            tokens: burst,
            updated: now,
            per_second: rate.per_second,
            burst,
        });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate.per_second).min(burst);
        bucket.updated = now;
        bucket.per_second = rate.per_second;
        bucket.burst = burst;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / rate.per_second,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_a_burst_then_refills_at_the_rate() {
        let limiter = RateLimiter::default();
        let rate = Rate {
            per_second: 2.0,
            burst: 3,
        };
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at("ip:127.0.0.1", rate, t0).is_ok());
        }
        let wait = limiter.check_at("ip:127.0.0.1", rate, t0).unwrap_err();
        assert!((wait.as_secs_f64() - 0.5).abs() < 1e-6, "{wait:?}");
        assert!(
            limiter.check_at("ip:10.0.0.1", rate, t0).is_ok(),
            "buckets are per client"
        );
        let later = t0 + Duration::from_millis(500);
        assert!(limiter.check_at("ip:127.0.0.1", rate, later).is_ok());
        assert!(limiter.check_at("ip:127.0.0.1", rate, later).is_err());
    }
}
