//! The runner's log lines that fal sends with a job's status, and how they
//! accumulate.
//!
//! fal's two channels disagree on what a status carries: a polled status
//! (`?logs=1`) lists the logs so far, while fal-js concatenates the lists of
//! successive stream events, which implies each event carries only new lines.
//! [`merge_logs`] accepts either, so switching from stream to polling (or a
//! resent list) never duplicates or drops a line.

use serde::{Deserialize, Deserializer, Serialize};

/// One log line (`RequestLog` in fal-js: message, level, source, timestamp).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLog {
    #[serde(default, deserialize_with = "string_or_default")]
    pub message: String,
    /// `STDERR`, `STDOUT`, `ERROR`, `INFO`, `WARN`, `DEBUG`; kept as text so a
    /// new level does not make the whole status unreadable.
    #[serde(default, deserialize_with = "string_or_default")]
    pub level: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// ISO 8601, as fal sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}

impl RequestLog {
    /// Lines worth highlighting.
    pub fn is_error(&self) -> bool {
        matches!(self.level.as_str(), "ERROR" | "STDERR")
    }
}

fn string_or_default<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// Adds `incoming` to `known` without repeating lines.
///
/// - `incoming` starts with everything known (a full list, as polling
///   sends): it replaces `known`.
/// - The end of `known` overlaps the start of `incoming` (a resend that
///   begins part-way): only the lines after the overlap are added.
/// - Otherwise `incoming` is new lines only (a stream delta): appended.
pub fn merge_logs(known: &mut Vec<RequestLog>, incoming: &[RequestLog]) {
    if incoming.is_empty() {
        return;
    }
    if incoming.len() >= known.len() && incoming[..known.len()] == known[..] {
        known.extend_from_slice(&incoming[known.len()..]);
        return;
    }
    let longest = known.len().min(incoming.len());
    let overlap = (1..=longest)
        .rev()
        .find(|&n| known[known.len() - n..] == incoming[..n])
        .unwrap_or(0);
    known.extend_from_slice(&incoming[overlap..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: u32) -> RequestLog {
        RequestLog {
            message: format!("Step {n}/30"),
            level: "INFO".into(),
            source: Some("USER".into()),
            timestamp: Some(format!("2026-11-24T09:52:{n:02}.000Z")),
        }
    }

    fn lines(range: std::ops::Range<u32>) -> Vec<RequestLog> {
        range.map(line).collect()
    }

    #[test]
    fn reads_fal_log_objects_and_tolerates_gaps() {
        let logs: Vec<RequestLog> = serde_json::from_str(
            r#"[{"message":"Loading model","level":"INFO","source":"USER","timestamp":"2026-11-24T09:52:01.123456"},
                {"message":"CUDA warning","level":"STDERR"},
                {"message":null,"level":"DEBUG","extra":1}]"#,
        )
        .unwrap();
        assert_eq!(logs[0].message, "Loading model");
        assert_eq!(logs[0].source.as_deref(), Some("USER"));
        assert!(logs[1].is_error());
        assert_eq!(logs[1].timestamp, None);
        assert_eq!(logs[2].message, "");
        assert!(!logs[2].is_error());
    }

    #[test]
    fn full_lists_replace_and_deltas_append() {
        let mut known = Vec::new();
        merge_logs(&mut known, &lines(0..3));
        assert_eq!(known, lines(0..3));
        // Polling resends everything so far.
        merge_logs(&mut known, &lines(0..5));
        assert_eq!(known, lines(0..5));
        // A stream sends only what is new.
        merge_logs(&mut known, &lines(5..7));
        assert_eq!(known, lines(0..7));
        // The same list again adds nothing.
        merge_logs(&mut known, &lines(0..7));
        assert_eq!(known, lines(0..7));
        merge_logs(&mut known, &[]);
        assert_eq!(known, lines(0..7));
    }

    #[test]
    fn a_partial_resend_adds_only_what_follows_the_overlap() {
        let mut known = lines(0..5);
        merge_logs(&mut known, &lines(3..8));
        assert_eq!(known, lines(0..8));
        merge_logs(&mut known, &lines(7..8));
        assert_eq!(known, lines(0..8), "a resent last line is not repeated");
    }

    #[test]
    fn the_same_message_at_a_new_time_is_a_new_line() {
        let mut known = vec![line(1)];
        let mut again = line(1);
        again.timestamp = Some("2026-11-24T09:53:00.000Z".into());
        merge_logs(&mut known, std::slice::from_ref(&again));
        assert_eq!(known, vec![line(1), again]);
    }
}
