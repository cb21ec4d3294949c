//! A request body that must arrive in full within a time limit
//! (`--body-timeout`), counted from when its head was read. A client that
//! trickles a body a byte at a time otherwise holds a connection (and,
//! at `--max-connections`, a slot) for as long as it likes.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use http_body::{Frame, SizeHint};
use tokio::time::{Instant, Sleep};

/// The error a body gives once its time is up; handlers answer 408.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyTimedOut;

impl std::fmt::Display for BodyTimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body did not arrive in time (--body-timeout)")
    }
}

impl std::error::Error for BodyTimedOut {}

/// Whether `error` (or what caused it) is a [`BodyTimedOut`].
pub fn is_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<BodyTimedOut>() {
            return true;
        }
        current = error.source();
    }
    false
}

/// `inner`, failing with [`BodyTimedOut`] once `deadline` passes.
pub struct DeadlineBody<B> {
    inner: B,
    deadline: Instant,
    /// Made on the first wait, so bodies that are complete at once (every
    /// GET) never touch the timer.
    sleep: Option<Pin<Box<Sleep>>>,
}

impl<B> DeadlineBody<B> {
    pub fn new(inner: B, limit: Duration) -> Self {
        Self {
            inner,
            deadline: Instant::now() + limit,
            sleep: None,
        }
    }
}

impl<B> HttpBody for DeadlineBody<B>
where
    B: HttpBody<Data = Bytes> + Unpin,
    B::Error: Into<axum::BoxError>,
{
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => Poll::Ready(frame.map(|f| f.map_err(Into::into))),
            Poll::Pending => {
                let deadline = this.deadline;
                let sleep = this
                    .sleep
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
                match sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimedOut)))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A request body for the router, with its deadline.
pub fn with_deadline<B>(inner: B, limit: Duration) -> Body
where
    B: HttpBody<Data = Bytes> + Unpin + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    Body::new(DeadlineBody::new(inner, limit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::{read_body, BodyError};
    use futures_util::{stream, StreamExt};

    #[tokio::test(start_paused = true)]
    async fn a_body_that_stalls_past_its_deadline_fails_as_a_timeout() {
        let chunks = stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"{"))])
            .chain(stream::pending());
        let stalled = Body::from_stream(chunks);
        let body = with_deadline(stalled, Duration::from_secs(2));
        assert_eq!(read_body(body, 1 << 20).await, Err(BodyError::TimedOut));
        let whole = with_deadline(Body::from("{}"), Duration::from_secs(2));
        assert_eq!(read_body(whole, 1 << 20).await.unwrap(), Bytes::from("{}"));
    }
}
