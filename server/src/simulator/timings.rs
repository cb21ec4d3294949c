//! How long simulated things take. Start-up flags set the defaults (a
//! pleasant demo pace); `/sim/control` changes them at run time (tests use
//! milliseconds); prompt words change them for one job.

use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    pub queue: Duration,
    pub queue_position: u32,
    pub run: Duration,
    pub log_interval: Duration,
    pub result_ttl: Duration,
    pub upload_ttl: Duration,
    pub keepalive: Duration,
    pub cancel_delay: Duration,
}

impl Timings {
    /// Raises the intervals that drive loops to at least 1 ms.
    pub fn with_floors(mut self) -> Self {
        let floor = Duration::from_millis(1);
        self.log_interval = self.log_interval.max(floor);
        self.keepalive = self.keepalive.max(floor);
        self
    }

    /// Applies the fields a control request sets.
    pub fn apply(&mut self, change: &TimingsChange) {
        let ms = Duration::from_millis;
        let set = |slot: &mut Duration, value: Option<u64>| {
            if let Some(v) = value {
                *slot = ms(v);
            }
        };
        set(&mut self.queue, change.queue_ms);
        set(&mut self.run, change.run_ms);
        set(
            &mut self.log_interval,
            change.log_interval_ms.map(|v| v.max(1)),
        );
        set(&mut self.result_ttl, change.result_ttl_ms);
        set(&mut self.upload_ttl, change.upload_ttl_ms);
        set(&mut self.keepalive, change.keepalive_ms.map(|v| v.max(1)));
        set(&mut self.cancel_delay, change.cancel_delay_ms);
        if let Some(p) = change.queue_position {
            self.queue_position = p;
        }
    }

    /// The control API's view, in milliseconds.
    pub fn to_change(self) -> TimingsChange {
        let ms = |d: Duration| Some(d.as_millis() as u64);
        TimingsChange {
            queue_ms: ms(self.queue),
            queue_position: Some(self.queue_position),
            run_ms: ms(self.run),
            log_interval_ms: ms(self.log_interval),
            result_ttl_ms: ms(self.result_ttl),
            upload_ttl_ms: ms(self.upload_ttl),
            keepalive_ms: ms(self.keepalive),
            cancel_delay_ms: ms(self.cancel_delay),
        }
    }
}

/// `timings` in a `/sim/control` request: every field optional, in ms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimingsChange {
    pub queue_ms: Option<u64>,
    pub queue_position: Option<u32>,
    pub run_ms: Option<u64>,
    pub log_interval_ms: Option<u64>,
    pub result_ttl_ms: Option<u64>,
    pub upload_ttl_ms: Option<u64>,
    pub keepalive_ms: Option<u64>,
    pub cancel_delay_ms: Option<u64>,
}
