//! When a request that hears nothing counts as stalled, checked a few times
//! per [`STALL_LIMIT`] instead of on every event.
//!
//! Progress events come about every 50 ms per request in flight. Pushing a
//! deadline back on each one (a `clearTimeout` and a `setTimeout` through
//! wasm-bindgen) costs the page's main thread work on every event, during
//! the very transfer it watches; noting "heard something" in a flag costs
//! nothing. So the request's events only set the flag, and a timer asks
//! [`StallWatch::check`] every [`StallWatch::period`] whether anything was
//! heard since the last look: after [`QUIET_CHECKS`] quiet looks in a row
//! the request has heard nothing for at least the limit (and for less than
//! the limit plus one period).

use std::time::Duration;

/// A request that hears nothing for this long (no byte sent, no answer) is
/// aborted and counts as timed out, then retried. Progress events come
/// every 50 ms or so while bytes move, so only a dead connection stays
/// silent this long.
pub const STALL_LIMIT: Duration = Duration::from_secs(60);

/// Quiet looks in a row that make a stall: the limit is checked in quarters.
pub const QUIET_CHECKS: u32 = 4;

/// Whether one request has gone silent for its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StallWatch {
    limit: Duration,
    quiet: u32,
}

impl StallWatch {
    /// A watch for a request that may stay silent for up to `limit`.
    pub fn new(limit: Duration) -> Self {
        Self { limit, quiet: 0 }
    }

    /// How often to look: a quarter of the limit (at least 1 ms).
    pub fn period(&self) -> Duration {
        (self.limit / QUIET_CHECKS).max(Duration::from_millis(1))
    }

    /// One look, a period after the last; `heard` says whether any event
    /// came since then. True when the request is stalled: nothing heard for
    /// [`QUIET_CHECKS`] periods after the last event, so at least `limit`.
    pub fn check(&mut self, heard: bool) -> bool {
        self.quiet = if heard { 0 } else { self.quiet + 1 };
        self.quiet >= QUIET_CHECKS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_quiet_looks_in_a_row_make_a_stall() {
        let mut watch = StallWatch::new(STALL_LIMIT);
        assert_eq!(watch.period(), Duration::from_secs(15));
        assert!(!watch.check(false));
        assert!(!watch.check(false));
        assert!(!watch.check(false));
        assert!(watch.check(false), "60 s of silence");
    }

    #[test]
    fn any_event_starts_the_count_again() {
        let mut watch = StallWatch::new(STALL_LIMIT);
        for _ in 0..3 {
            assert!(!watch.check(false));
        }
        assert!(!watch.check(true), "heard something in the last quarter");
        for _ in 0..3 {
            assert!(!watch.check(false));
        }
        assert!(watch.check(false));
    }

    /// When a watch looking every period declares the stall, for a request
    /// whose events come at `events` (ms after it was sent).
    fn stalled_at(limit: Duration, events: &[u64]) -> Duration {
        let mut watch = StallWatch::new(limit);
        let period = watch.period();
        let mut look = Duration::ZERO;
        loop {
            let since = look;
            look += period;
            let heard = events
                .iter()
                .map(|ms| Duration::from_millis(*ms))
                .any(|at| at > since && at <= look);
            if watch.check(heard) {
                return look;
            }
        }
    }

    #[test]
    fn the_silence_before_giving_up_is_the_limit_and_at_most_a_period_more() {
        let limit = Duration::from_secs(60);
        let period = Duration::from_secs(15);
        // The last event just after a look, just before one, and between.
        for last in [15_001, 29_999, 22_500, 1] {
            let silence = stalled_at(limit, &[1, 5_000, last]) - Duration::from_millis(last);
            assert!(silence >= limit, "gave up after {silence:?} of silence");
            assert!(silence <= limit + period, "waited {silence:?}");
        }
    }

    #[test]
    fn a_tiny_limit_still_has_a_period() {
        let watch = StallWatch::new(Duration::from_millis(2));
        assert_eq!(watch.period(), Duration::from_millis(1));
    }
}
