//! The simulator's storage budget (`--sim-storage`): what is held, in the
//! order it arrived, so the oldest can be dropped to make room.
//!
//! Each file and each part costs its bytes plus a fixed overhead standing
//! for its map entry, name and ETag, so that many tiny uploads are bounded
//! by the same budget as a few large ones.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{json, Value};

/// A failure: status and fal-style `{"detail": ...}` body.
pub type StorageError = (StatusCode, Value);

pub fn fail(status: StatusCode, detail: impl Into<String>) -> StorageError {
    (status, json!({ "detail": detail.into() }))
}

/// Counted for each stored file beyond its bytes.
const FILE_OVERHEAD: u64 = 512;
/// Counted for each part beyond its bytes.
const PART_OVERHEAD: u64 = 256;
/// How often expired uploads are looked for.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct Holdings {
    /// Tokens that hold a file or parts, oldest first. A token whose
    /// holding was freed otherwise stays until popped or compacted.
    order: VecDeque<String>,
    used: u64,
    capacity: u64,
    last_sweep: Option<Instant>,
}

impl Holdings {
    pub fn new(capacity: u64) -> Self {
        Self {
            order: VecDeque::new(),
            used: 0,
            capacity,
            last_sweep: None,
        }
    }

    pub fn file_cost(len: usize) -> u64 {
        len as u64 + FILE_OVERHEAD
    }

    pub fn part_cost(len: usize) -> u64 {
        len as u64 + PART_OVERHEAD
    }

    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    pub fn used(&self) -> u64 {
        self.used
    }

    pub fn fits(&self, cost: u64) -> bool {
        self.used.saturating_add(cost) <= self.capacity
    }

    pub fn add(&mut self, cost: u64) {
        self.used += cost;
    }

    pub fn remove(&mut self, cost: u64) {
        self.used = self.used.saturating_sub(cost);
    }

    /// `token` starts holding bytes.
    pub fn push(&mut self, token: &str) {
        self.order.push_back(token.to_owned());
    }

    /// `token` holds nothing any more.
    pub fn forget(&mut self, token: &str) {
        self.order.retain(|t| t != token);
    }

    /// Takes the oldest token other than `keep` out of the order.
    pub fn oldest_except(&mut self, keep: &str) -> Option<String> {
        let at = self.order.iter().position(|t| t != keep)?;
        self.order.remove(at)
    }

    /// Whether a sweep for expired uploads is due; marks it done.
    pub fn sweep_due(&mut self, now: Instant) -> bool {
        let due = self
            .last_sweep
            .is_none_or(|last| now.duration_since(last) >= SWEEP_EVERY);
        if due {
            self.last_sweep = Some(now);
        }
        due
    }

    /// Drops tokens that hold nothing, once they are most of the order.
    pub fn compact(&mut self, holds: impl Fn(&str) -> bool) {
        let live = self.order.iter().filter(|t| holds(t)).count();
        if self.order.len() > 2 * live + 64 {
            self.order.retain(|t| holds(t));
        }
    }
}
