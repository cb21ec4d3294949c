//! What the app sent the simulator, for tests to read at `GET /sim/journal`.
//!
//! It records whether an `Authorization` header came along, never its
//! value: tests check where keys go without the journal becoming a place a
//! key could leak from.

use std::collections::VecDeque;

use serde::Serialize;

use super::route::SimRoute;
use super::Via;

/// Entries kept; the oldest are dropped beyond this.
const CAPACITY: usize = 5_000;
/// Longest path or target URL kept in an entry: with [`CAPACITY`], the
/// journal stays within a few MiB whatever callers send.
pub const MAX_TEXT: usize = 1024;

/// `text`, cut to at most `max` bytes (at a character boundary) with `…`.
pub fn capped(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Which credentials the proxy would have sent fal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UpstreamAuthorization {
    /// The server's own key (FAL_KEY, or a stand-in in simulation).
    ServerKey,
    /// The key the browser sent, forwarded (`--forward-user-key`).
    UserKey,
}

#[derive(Debug, Clone, Serialize)]
pub struct JournalEntry {
    /// Increasing number, from 1.
    pub seq: u64,
    /// ISO 8601, UTC.
    pub timestamp: String,
    pub via: Via,
    pub method: String,
    /// The path on this server, with its query (`/api/fal/proxy`,
    /// `/sim/queue/fal-ai/wan/requests/<id>/status?logs=1`).
    pub path: String,
    /// The fal URL the request stands for (the proxy's `x-fal-target-url`,
    /// or the direct route's fal equivalent); absent for uploads and files.
    pub target_url: Option<String>,
    pub route: SimRoute,
    pub request_id: Option<String>,
    /// `"present"` or `"absent"`: whether the request carried one.
    pub authorization: &'static str,
    /// Proxy requests only.
    pub upstream_authorization: Option<UpstreamAuthorization>,
    pub body_bytes: u64,
    pub content_type: Option<String>,
    /// The status answered; `null` when the connection was dropped.
    pub status: Option<u16>,
    /// The fault kind applied, if any.
    pub fault: Option<String>,
}

#[derive(Debug, Default)]
pub struct Journal {
    entries: VecDeque<JournalEntry>,
    next_seq: u64,
}

impl Journal {
    pub fn record(&mut self, mut entry: JournalEntry) {
        self.next_seq += 1;
        entry.seq = self.next_seq;
        if self.entries.len() == CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub fn entries(&self) -> Vec<JournalEntry> {
        self.entries.iter().cloned().collect()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_at_a_character_boundary() {
        assert_eq!(capped("short", 10), "short");
        let cut = capped(&"é".repeat(1000), MAX_TEXT);
        assert!(cut.len() <= MAX_TEXT && cut.ends_with('…'), "{}", cut.len());
    }
}
