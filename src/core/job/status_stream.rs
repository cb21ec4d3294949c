//! Reading fal's status stream as it arrives: whether the answer is a live
//! event stream at all, and the statuses in each chunk of bytes. Sans-IO:
//! the caller reads the body chunk by chunk and feeds it in; how the stream
//! ended goes to the [`crate::core::job::follow::Follower`].

use crate::core::fal::classify::classify;
use crate::core::fal::error::FalError;
use crate::core::fal::http::HttpResponse;
use crate::core::fal::sse::{SseItem, SseParser};
use crate::core::fal::status::{parse_status_event, QueueStatus};
use crate::core::job::follow::{is_event_stream, StreamEnd};

/// One status stream being read.
#[derive(Debug, Default)]
pub struct StatusStream {
    parser: SseParser,
}

/// What the answer's head says about reading its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamHead {
    /// A live event stream: read it chunk by chunk with
    /// [`StatusStream::feed`].
    Events,
    /// Something else (an error, or JSON from a proxy that buffers): read
    /// the whole body and hand it to [`StatusStream::refused`].
    NotAStream,
}

impl StatusStream {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the answer's status and `Content-Type`.
    pub fn head(status: u16, content_type: Option<&str>) -> StreamHead {
        if is_event_stream(status, content_type) {
            StreamHead::Events
        } else {
            StreamHead::NotAStream
        }
    }

    /// How a stream request answered with something else ended: the
    /// answer, read as an error (then the follower polls instead).
    pub fn refused(answer: &HttpResponse, now_unix_secs: u64) -> StreamEnd {
        StreamEnd::Failed(classify(answer, now_unix_secs, "expected a status stream"))
    }

    /// The statuses in the next chunk of bytes, in order, and how the
    /// stream ends if the chunk cannot be read past some point (an
    /// over-long line, an event that is not a status): the statuses before
    /// that point still count.
    pub fn feed(&mut self, bytes: &[u8], now_unix_secs: u64) -> StreamChunk {
        let mut chunk = StreamChunk::default();
        let items = match self.parser.feed(bytes) {
            Ok(items) => items,
            Err(_) => {
                chunk.end = Some(StreamEnd::Failed(FalError::malformed(
                    "the status stream sent an over-long line",
                )));
                return chunk;
            }
        };
        for item in items {
            let SseItem::Event(event) = item else {
                continue;
            };
            match parse_status_event(&event, now_unix_secs) {
                Ok(status) => chunk.statuses.push(status),
                Err(error) => {
                    chunk.end = Some(StreamEnd::Failed(error));
                    break;
                }
            }
        }
        chunk
    }
}

/// What one chunk of the stream brought.
#[derive(Debug, Default, PartialEq)]
pub struct StreamChunk {
    pub statuses: Vec<QueueStatus>,
    /// Set when the stream cannot be read on: stop reading it.
    pub end: Option<StreamEnd>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fal::error::FalErrorKind;

    const NOW: u64 = 1_795_513_909;

    #[test]
    fn only_a_2xx_event_stream_is_read_as_one() {
        assert_eq!(
            StatusStream::head(200, Some("text/event-stream; charset=utf-8")),
            StreamHead::Events
        );
        assert_eq!(
            StatusStream::head(200, Some("application/json")),
            StreamHead::NotAStream
        );
        assert_eq!(
            StatusStream::head(404, Some("text/event-stream")),
            StreamHead::NotAStream
        );
        assert_eq!(StatusStream::head(200, None), StreamHead::NotAStream);
    }

    #[test]
    fn statuses_come_out_of_chunks_split_anywhere() {
        let text = "data: {\"status\":\"IN_QUEUE\",\"queue_position\":2,\"request_id\":\"r1\"}\n\n\
                    : keep-alive\n\n\
                    data: {\"status\":\"IN_PROGRESS\",\"request_id\":\"r1\",\"logs\":[]}\n\n";
        let (first, second) = text.as_bytes().split_at(30);
        let mut stream = StatusStream::new();
        assert_eq!(stream.feed(first, NOW), StreamChunk::default());
        let StreamChunk { statuses, end } = stream.feed(second, NOW);
        assert_eq!(end, None);
        assert_eq!(statuses.len(), 2);
        assert_eq!(statuses[0], QueueStatus::InQueue { position: Some(2) });
        assert_eq!(statuses[1].name(), "IN_PROGRESS");
    }

    #[test]
    fn an_unreadable_stream_ends_as_failed() {
        let mut stream = StatusStream::new();
        let long = vec![b'x'; crate::core::fal::sse::MAX_EVENT_BYTES + 1];
        assert!(matches!(
            stream.feed(&long, NOW).end,
            Some(StreamEnd::Failed(_))
        ));
        // A status, then an error event: the status still counts.
        let text = "data: {\"status\":\"IN_QUEUE\",\"queue_position\":0}\n\n\
                    data: {\"detail\":\"Internal Server Error\"}\n\n";
        let chunk = StatusStream::new().feed(text.as_bytes(), NOW);
        assert_eq!(chunk.statuses.len(), 1);
        assert!(matches!(chunk.end, Some(StreamEnd::Failed(_))));
        let refused = StatusStream::refused(
            &HttpResponse::new(429, r#"{"detail":"Rate limit exceeded"}"#)
                .with_header("Retry-After", "5"),
            NOW,
        );
        let StreamEnd::Failed(error) = refused else {
            panic!("failed")
        };
        assert_eq!(error.kind, FalErrorKind::RateLimited);
    }
}
