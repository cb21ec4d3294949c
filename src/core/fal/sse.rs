//! An incremental parser for server-sent events, as fal's status stream
//! (`…/requests/{id}/status/stream`) sends them.
//!
//! The network hands over chunks cut anywhere: inside a multi-byte UTF-8
//! character, between the CR and LF of a line ending, in the middle of a
//! field name. The parser keeps the unfinished line as bytes and decodes only
//! complete lines, so where a chunk ends never changes what comes out.
//! It follows the WHATWG "event stream interpretation" rules; fal's comment
//! keep-alives (every 15 s) surface as [`SseItem::KeepAlive`] so the caller
//! can tell a quiet stream from a dead one.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, or `"message"` when there was none.
    pub event: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
    /// The last `id:` seen so far in the stream (it carries over).
    pub id: Option<String>,
}

/// What one chunk can produce, in stream order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseItem {
    Event(SseEvent),
    /// A comment line (`: ping`); its text without the colon.
    KeepAlive(String),
    /// The server's `retry:` reconnection delay, in milliseconds.
    Retry(u64),
}

/// The stream broke the parser's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SseError {
    /// A line or an event's data grew past [`MAX_EVENT_BYTES`] without
    /// ending: something is wrong upstream, and buffering on would only
    /// exhaust memory.
    TooLong,
}

impl std::fmt::Display for SseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("The status stream sent an event larger than 8 MiB.")
    }
}

/// Largest line or event data accepted. A status event with a long log
/// list is tens of kilobytes; 8 MiB leaves a wide margin.
pub const MAX_EVENT_BYTES: usize = 8 * 1024 * 1024;

/// The parser's state between chunks.
#[derive(Debug, Clone, Default)]
pub struct SseParser {
    /// Bytes of the line not yet ended.
    line: Vec<u8>,
    /// The previous chunk ended with CR: an LF opening this one belongs to it.
    after_cr: bool,
    /// The first line is done (only it may start with a byte-order mark).
    past_first_line: bool,
    data: String,
    has_data: bool,
    event: String,
    last_id: Option<String>,
}

impl SseParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next chunk; returns what it completed, in order.
    pub fn feed(&mut self, mut chunk: &[u8]) -> Result<Vec<SseItem>, SseError> {
        let mut items = Vec::new();
        if self.after_cr && !chunk.is_empty() {
            self.after_cr = false;
            if chunk[0] == b'\n' {
                chunk = &chunk[1..];
            }
        }
        while let Some(end) = chunk.iter().position(|&b| b == b'\r' || b == b'\n') {
            self.push_bytes(&chunk[..end])?;
            self.end_line(&mut items)?;
            let crlf = chunk[end] == b'\r' && chunk.get(end + 1) == Some(&b'\n');
            if chunk[end] == b'\r' && end + 1 == chunk.len() {
                self.after_cr = true;
            }
            chunk = &chunk[end + if crlf { 2 } else { 1 }..];
        }
        self.push_bytes(chunk)?;
        Ok(items)
    }

    /// Ends the stream. Per the standard an event without its closing blank
    /// line is discarded; returns true when that happened, so a caller can
    /// tell a cut-off stream from a clean end.
    pub fn finish(&mut self) -> bool {
        let discarded = self.has_data || !self.line.is_empty();
        self.line.clear();
        self.reset_event();
        discarded
    }

    fn push_bytes(&mut self, bytes: &[u8]) -> Result<(), SseError> {
        if self.line.len() + bytes.len() > MAX_EVENT_BYTES {
            self.line.clear();
            return Err(SseError::TooLong);
        }
        self.line.extend_from_slice(bytes);
        Ok(())
    }

    fn end_line(&mut self, items: &mut Vec<SseItem>) -> Result<(), SseError> {
        let bytes = std::mem::take(&mut self.line);
        let mut line = String::from_utf8_lossy(&bytes).into_owned();
        if !self.past_first_line {
            self.past_first_line = true;
            if let Some(rest) = line.strip_prefix('\u{feff}') {
                line = rest.to_owned();
            }
        }
        if line.is_empty() {
            self.dispatch(items);
            return Ok(());
        }
        if let Some(comment) = line.strip_prefix(':') {
            items.push(SseItem::KeepAlive(comment.trim_start().to_owned()));
            return Ok(());
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_str(), ""),
        };
        match field {
            "data" => {
                if self.data.len() + value.len() + 1 > MAX_EVENT_BYTES {
                    self.reset_event();
                    return Err(SseError::TooLong);
                }
                self.data.push_str(value);
                self.data.push('\n');
                self.has_data = true;
            }
            "event" => self.event = value.to_owned(),
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse() {
                    items.push(SseItem::Retry(ms));
                }
            }
            _ => {} // Unknown fields are ignored, as the standard says.
        }
        Ok(())
    }

    fn dispatch(&mut self, items: &mut Vec<SseItem>) {
        if self.has_data {
            let mut data = std::mem::take(&mut self.data);
            data.pop(); // the '\n' after the last data line
            let event = match std::mem::take(&mut self.event) {
                e if e.is_empty() => "message".to_owned(),
                e => e,
            };
            items.push(SseItem::Event(SseEvent {
                event,
                data,
                id: self.last_id.clone(),
            }));
        }
        self.reset_event();
    }

    fn reset_event(&mut self) {
        self.data.clear();
        self.has_data = false;
        self.event.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream in fal's shape: status objects as `data:`, a keep-alive
    /// comment, CRLF and bare CR endings, a multi-line event, multi-byte
    /// characters in log messages, and a BOM.
    const STREAM: &str = "\u{feff}: connected\r\n\r\n\
        data: {\"status\":\"IN_QUEUE\",\"request_id\":\"764cabcf\",\"queue_position\":2}\r\n\r\n\
        : keep-alive\n\n\
        event: status\rid: 7\rdata: {\"status\":\"IN_PROGRESS\",\"logs\":[{\"message\":\"Schritt 1/30 \u{2014} \u{1f3ac} gr\u{fc}\u{df}e\",\"level\":\"INFO\",\"source\":\"USER\",\"timestamp\":\"2026-11-24T09:51:49.123Z\"}]}\r\r\
        data:first line\r\ndata:  second line\r\ndata\r\n\n\
        retry: 3000\n\
        data: {\"status\":\"COMPLETED\",\"logs\":[],\"metrics\":{\"inference_time\":83.2}}\r\n\r\n";

    fn expected() -> Vec<SseItem> {
        vec![
            SseItem::KeepAlive("connected".into()),
            SseItem::Event(SseEvent {
                event: "message".into(),
                data: r#"{"status":"IN_QUEUE","request_id":"764cabcf","queue_position":2}"#.into(),
                id: None,
            }),
            SseItem::KeepAlive("keep-alive".into()),
            SseItem::Event(SseEvent {
                event: "status".into(),
                data: "{\"status\":\"IN_PROGRESS\",\"logs\":[{\"message\":\"Schritt 1/30 \u{2014} \u{1f3ac} gr\u{fc}\u{df}e\",\"level\":\"INFO\",\"source\":\"USER\",\"timestamp\":\"2026-11-24T09:51:49.123Z\"}]}".into(),
                id: Some("7".into()),
            }),
            SseItem::Event(SseEvent {
                event: "message".into(),
                data: "first line\n second line\n".into(),
                id: Some("7".into()),
            }),
            SseItem::Retry(3000),
            SseItem::Event(SseEvent {
                event: "message".into(),
                data: r#"{"status":"COMPLETED","logs":[],"metrics":{"inference_time":83.2}}"#.into(),
                id: Some("7".into()),
            }),
        ]
    }

    fn parse_in(chunks: &[&[u8]]) -> Vec<SseItem> {
        let mut parser = SseParser::new();
        let mut items = Vec::new();
        for chunk in chunks {
            items.extend(parser.feed(chunk).unwrap());
        }
        assert!(!parser.finish(), "nothing left over");
        items
    }

    #[test]
    fn parses_fal_status_events_keep_alives_and_all_line_endings() {
        assert_eq!(parse_in(&[STREAM.as_bytes()]), expected());
    }

    #[test]
    fn a_split_at_every_byte_boundary_gives_the_same_events() {
        let bytes = STREAM.as_bytes();
        for cut in 0..=bytes.len() {
            let (a, b) = bytes.split_at(cut);
            assert_eq!(parse_in(&[a, b]), expected(), "split at byte {cut}");
        }
        // Every pair of cuts, too: a chunk can be a single byte of a CRLF or
        // a middle byte of a 4-byte emoji with a cut on either side.
        for first in 0..=bytes.len() {
            for second in first..=bytes.len() {
                let chunks = [&bytes[..first], &bytes[first..second], &bytes[second..]];
                assert_eq!(parse_in(&chunks), expected(), "cuts {first}, {second}");
            }
        }
    }

    #[test]
    fn byte_by_byte_gives_the_same_events() {
        let singles: Vec<&[u8]> = STREAM.as_bytes().chunks(1).collect();
        assert_eq!(parse_in(&singles), expected());
    }

    #[test]
    fn an_unfinished_event_is_discarded_and_reported() {
        let mut parser = SseParser::new();
        let items = parser.feed(b"data: {\"status\":\"IN_PR").unwrap();
        assert!(items.is_empty());
        assert!(parser.finish());
        let mut parser = SseParser::new();
        assert!(parser.feed(b"data: x\n").unwrap().is_empty());
        assert!(
            parser.finish(),
            "data without the blank line is not an event"
        );
    }

    #[test]
    fn blank_lines_without_data_dispatch_nothing_and_unknown_fields_are_ignored() {
        let items = parse_in(&[b"event: ping\n\nfoo: bar\nretry: soon\nid: a\0b\n\ndata: x\n\n"]);
        assert_eq!(
            items,
            vec![SseItem::Event(SseEvent {
                event: "message".into(),
                data: "x".into(),
                id: None,
            })]
        );
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        let items = parse_in(&[b"data: caf\xc3\n\n"]);
        assert_eq!(
            items,
            vec![SseItem::Event(SseEvent {
                event: "message".into(),
                data: "caf\u{fffd}".into(),
                id: None,
            })]
        );
    }

    #[test]
    fn an_endless_line_is_an_error_not_unbounded_memory() {
        let mut parser = SseParser::new();
        let megabyte = vec![b'a'; 1024 * 1024];
        let mut result = Ok(Vec::new());
        for _ in 0..9 {
            result = parser.feed(&megabyte);
            if result.is_err() {
                break;
            }
        }
        assert_eq!(result, Err(SseError::TooLong));
        assert!(SseError::TooLong.to_string().contains("8 MiB"));
        // The parser keeps working on what follows.
        let items = parser.feed(b"\n\ndata: ok\n\n").unwrap();
        assert_eq!(items.len(), 1);
    }
}
