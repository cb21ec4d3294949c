//! How far one file's upload has got and how fast it is going, from the
//! browser's upload progress events.
//!
//! Several transfers of one file can be in flight at once (multipart
//! parts), each reporting its own `loaded` count, and a failed transfer is
//! sent again from its first byte. So two numbers are kept apart:
//! - **sent**: bytes the storage has confirmed plus what the transfers in
//!   flight report now. It can go down when a transfer fails (its bytes
//!   must be sent again), which is the honest progress to show.
//! - **bytes on the wire**: every byte the browser reported sending, never
//!   decreasing. The speed is computed from it over a short window, so a
//!   retry does not show as a negative speed.

use std::collections::{BTreeMap, VecDeque};

use crate::core::model::byte_size::{format_bytes, format_bytes_in, ByteUnit};

/// How far back the speed looks: long enough to smooth the bursts of
/// progress events, short enough to follow a connection that slows down.
pub const SPEED_WINDOW_MS: u64 = 3_000;
/// Below this much history the speed is not shown (a first burst into the
/// socket buffer would read as an absurd figure).
pub const MIN_SPEED_SPAN_MS: u64 = 500;

/// One file's progress at a moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UploadProgress {
    pub sent: u64,
    pub total: u64,
    /// `None` until enough time has passed to measure it.
    pub bytes_per_second: Option<f64>,
}

impl UploadProgress {
    /// Whole percent, 0 to 100, for a progress bar's `value`.
    pub fn percent(&self) -> u8 {
        if self.total == 0 {
            return 100;
        }
        let sent = self.sent.min(self.total);
        u8::try_from(sent * 100 / self.total).unwrap_or(100)
    }

    /// Seconds left at the current speed, when it is known.
    pub fn seconds_left(&self) -> Option<u64> {
        let speed = self.bytes_per_second.filter(|s| *s >= 1.0)?;
        let left = self.total.saturating_sub(self.sent) as f64;
        Some((left / speed).ceil() as u64)
    }

    /// "12.6 MB of 99.6 MB · 41.3 MB/s · 3 s left", or just the sizes while
    /// the speed is unknown.
    pub fn describe(&self) -> String {
        // A small file reads each figure in its own unit ("0 B of 500 KB");
        // from a megabyte up both share the total's, so a video stays in
        // megabytes throughout ("0 MB of 99.6 MB").
        let unit = ByteUnit::of(self.total);
        let size = |bytes: u64| {
            if unit < ByteUnit::Megabytes {
                format_bytes(bytes)
            } else {
                format_bytes_in(bytes, unit)
            }
        };
        let mut text = format!(
            "{} of {}",
            size(self.sent.min(self.total)),
            size(self.total)
        );
        if let Some(speed) = self.bytes_per_second {
            text.push_str(" \u{b7} ");
            text.push_str(&format_speed(speed));
            if let Some(left) = self.seconds_left().filter(|s| *s > 0) {
                text.push_str(&format!(" \u{b7} {} left", format_duration(left)));
            }
        }
        text
    }
}

/// "850 KB/s", "12.3 MB/s" (decimal units, like the file sizes shown).
pub fn format_speed(bytes_per_second: f64) -> String {
    let rate = if bytes_per_second.is_finite() {
        bytes_per_second.max(0.0)
    } else {
        0.0
    };
    let bytes = rate.round() as u64;
    let unit = ByteUnit::of(bytes).max(ByteUnit::Kilobytes);
    format!("{}/s", format_bytes_in(bytes, unit))
}

/// "45 s", "2 min", "1 h 5 min".
fn format_duration(seconds: u64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3_600 => format!("{} min", s.div_ceil(60)),
        s => format!("{} h {} min", s / 3_600, (s % 3_600) / 60),
    }
}

/// Follows one file's transfers. Part numbers identify transfers; a single
/// `PUT` of a whole file is part 1.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressMeter {
    total: u64,
    confirmed: u64,
    /// What each transfer in flight last reported.
    in_flight: BTreeMap<u32, u64>,
    /// Every byte reported sent so far, never decreasing.
    on_the_wire: u64,
    /// `(time_ms, on_the_wire)`, oldest first, spanning about one window.
    samples: VecDeque<(u64, u64)>,
}

impl ProgressMeter {
    /// A meter for a file of `total` bytes, starting at `now_ms`.
    pub fn new(total: u64, now_ms: u64) -> Self {
        Self {
            total,
            confirmed: 0,
            in_flight: BTreeMap::new(),
            on_the_wire: 0,
            samples: VecDeque::from([(now_ms, 0)]),
        }
    }

    /// A transfer reported `loaded` bytes of its body sent.
    pub fn sent(&mut self, part: u32, loaded: u64, now_ms: u64) {
        let before = self.in_flight.insert(part, loaded).unwrap_or(0);
        self.on_the_wire += loaded.saturating_sub(before);
        self.sample(now_ms);
    }

    /// The storage confirmed a transfer of `bytes` bytes.
    pub fn confirmed(&mut self, part: u32, bytes: u64, now_ms: u64) {
        let before = self.in_flight.remove(&part).unwrap_or(0);
        self.on_the_wire += bytes.saturating_sub(before);
        self.confirmed += bytes;
        self.sample(now_ms);
    }

    /// A transfer failed: its bytes will be sent again.
    pub fn lost(&mut self, part: u32) {
        self.in_flight.remove(&part);
    }

    /// Everything is sent again from the start (after a fresh upload
    /// address replaced an expired one). The speed history is kept: the
    /// connection is the same.
    pub fn restart(&mut self) {
        self.confirmed = 0;
        self.in_flight.clear();
    }

    /// Progress at `now_ms`.
    pub fn snapshot(&self, now_ms: u64) -> UploadProgress {
        let sent = self.confirmed + self.in_flight.values().sum::<u64>();
        UploadProgress {
            sent: sent.min(self.total),
            total: self.total,
            bytes_per_second: self.speed(now_ms),
        }
    }

    fn sample(&mut self, now_ms: u64) {
        self.samples.push_back((now_ms, self.on_the_wire));
        // Keep one sample at or before the window's start, so the window
        // is always fully covered once enough time has passed.
        while self.samples.len() > 2
            && self
                .samples
                .get(1)
                .is_some_and(|(t, _)| now_ms.saturating_sub(*t) >= SPEED_WINDOW_MS)
        {
            self.samples.pop_front();
        }
    }

    fn speed(&self, now_ms: u64) -> Option<f64> {
        let (first_ms, first_bytes) = *self.samples.front()?;
        let span = now_ms.saturating_sub(first_ms);
        if span < MIN_SPEED_SPAN_MS {
            return None;
        }
        let bytes = self.on_the_wire.saturating_sub(first_bytes);
        Some(bytes as f64 * 1_000.0 / span as f64)
    }
}

#[cfg(test)]
#[path = "progress_tests.rs"]
mod tests;
