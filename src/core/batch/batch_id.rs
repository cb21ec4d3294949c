//! A batch's identity, and each run's place in it.
//!
//! [`BatchRun`] is stored in history records and carried in embed events,
//! so it is read back from storage, import files and other pages: reading
//! checks every field (an id of the expected shape, an index inside the
//! batch, a batch no larger than a batch can be, a caption of bounded
//! length) instead of trusting it.

use serde::{Deserialize, Serialize};

use crate::core::batch::variations::RUNS_MAX;

/// Longest caption kept: a run's varying values, not an essay.
pub const CAPTION_MAX_CHARS: usize = 300;
/// Longest batch id read back.
const ID_MAX_CHARS: usize = 40;

/// Which batch a run belongs to: `b-` and 16 hex digits, from 64 random
/// bits the web layer draws (the core has no randomness).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BatchId(String);

impl BatchId {
    /// A new id from 64 random bits.
    pub fn from_random(bits: u64) -> Self {
        Self(format!("b-{bits:016x}"))
    }

    /// Reads an id from outside: 1 to 40 ASCII letters, digits, `-` or `_`.
    pub fn parse(text: &str) -> Option<Self> {
        let ok = (1..=ID_MAX_CHARS).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for BatchId {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text).ok_or_else(|| "not a batch id".to_string())
    }
}

impl From<BatchId> for String {
    fn from(id: BatchId) -> String {
        id.0
    }
}

impl std::fmt::Display for BatchId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One run's place in its batch, kept on its history record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BatchRunWire")]
pub struct BatchRun {
    pub batch_id: BatchId,
    /// 0-based position in the batch's run order.
    pub index: usize,
    /// Runs in the batch.
    pub total: usize,
    /// The values that vary, for the grid and the history ("Seed 7 · 9:16").
    pub caption: String,
}

/// The same fields, unchecked, as they arrive.
#[derive(Deserialize)]
struct BatchRunWire {
    batch_id: BatchId,
    index: usize,
    total: usize,
    caption: String,
}

impl TryFrom<BatchRunWire> for BatchRun {
    type Error = String;
    fn try_from(wire: BatchRunWire) -> Result<Self, String> {
        if !(1..=RUNS_MAX).contains(&wire.total) {
            return Err(format!("a batch has 1 to {RUNS_MAX} runs"));
        }
        if wire.index >= wire.total {
            return Err("run index outside its batch".into());
        }
        if wire.caption.chars().count() > CAPTION_MAX_CHARS {
            return Err("caption too long".into());
        }
        Ok(BatchRun {
            batch_id: wire.batch_id,
            index: wire.index,
            total: wire.total,
            caption: wire.caption,
        })
    }
}

impl BatchRun {
    /// "Run 3 of 6", for screen readers and the history.
    pub fn position(&self) -> String {
        format!("Run {} of {}", self.index + 1, self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_come_from_random_bits_and_read_back() {
        let id = BatchId::from_random(0xdead_beef);
        assert_eq!(id.as_str(), "b-00000000deadbeef");
        assert_eq!(BatchId::parse(id.as_str()), Some(id.clone()));
        for bad in ["", "b c", "b-<script>", &"x".repeat(41), "ünï"] {
            assert_eq!(BatchId::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_run_round_trips_through_json() {
        let run = BatchRun {
            batch_id: BatchId::from_random(7),
            index: 2,
            total: 6,
            caption: "Seed 8 · 9:16".into(),
        };
        let value = serde_json::to_value(&run).unwrap();
        assert_eq!(
            value,
            json!({"batch_id": "b-0000000000000007", "index": 2, "total": 6,
                   "caption": "Seed 8 · 9:16"})
        );
        assert_eq!(serde_json::from_value::<BatchRun>(value).unwrap(), run);
        assert_eq!(run.position(), "Run 3 of 6");
    }

    #[test]
    fn a_run_from_outside_is_checked_field_by_field() {
        let read = |v: serde_json::Value| serde_json::from_value::<BatchRun>(v).is_ok();
        let ok = json!({"batch_id": "b-1", "index": 0, "total": 1, "caption": ""});
        assert!(read(ok));
        for bad in [
            json!({"batch_id": "b 1", "index": 0, "total": 1, "caption": ""}),
            json!({"batch_id": "b-1", "index": 1, "total": 1, "caption": ""}),
            json!({"batch_id": "b-1", "index": 0, "total": 0, "caption": ""}),
            json!({"batch_id": "b-1", "index": 0, "total": 17, "caption": ""}),
            json!({"batch_id": "b-1", "index": -1, "total": 2, "caption": ""}),
            json!({"batch_id": "b-1", "index": 0, "total": 2, "caption": "x".repeat(301)}),
            json!({"batch_id": "b-1", "index": 0, "total": 2}),
        ] {
            assert!(!read(bad.clone()), "{bad}");
        }
    }
}
