//! The status stream: `text/event-stream` with one `data: {status}` event
//! per change, `: keep-alive` comments in between, closed after COMPLETED
//! (fal docs, "status stream"). Faults can cut it mid-stream, garble an
//! event, or hold every event back until the end like a buffering proxy.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::faults::{FaultKind, FaultRule};
use super::Simulator;

/// The longest a stream sleeps without looking at its job (it wakes at
/// the job's next change, at a keep-alive, and when told of a change).
const LONGEST_SLEEP: Duration = Duration::from_secs(1);

type Chunk = Result<Bytes, std::io::Error>;

struct Writer {
    tx: mpsc::Sender<Chunk>,
    buffer: Option<String>,
    last_write: Instant,
}

impl Writer {
    /// Sends (or buffers) text; `false` when the client has gone.
    async fn write(&mut self, text: String) -> bool {
        self.last_write = Instant::now();
        match &mut self.buffer {
            Some(buffer) => {
                buffer.push_str(&text);
                true
            }
            None => self.tx.send(Ok(Bytes::from(text))).await.is_ok(),
        }
    }
}

pub fn status_stream(
    sim: Arc<Simulator>,
    id: String,
    queue_base: String,
    with_logs: bool,
    fault: Option<FaultRule>,
) -> Response {
    let (tx, rx) = mpsc::channel::<Chunk>(16);
    let kind = fault.as_ref().map(|f| f.kind);
    let drop_after = match kind {
        Some(FaultKind::StreamDrop) => fault.as_ref().and_then(|f| f.after_events).or(Some(1)),
        _ => None,
    };
    let keepalive = sim.lock().timings.keepalive;
    tokio::spawn(async move {
        let mut writer = Writer {
            tx,
            buffer: (kind == Some(FaultKind::BufferStream)).then(String::new),
            last_write: Instant::now(),
        };
        if let (Some(FaultKind::Malformed), Some(f)) = (kind, &fault) {
            if !writer
                .write(format!("data: {}\n\n", f.malformed_body()))
                .await
            {
                return;
            }
        }
        let mut last_sent = String::new();
        let mut events = 0;
        loop {
            // Listen for changes before looking, so none falls in between.
            let changed = sim.job_changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let now = Instant::now();
            let snapshot = {
                let mut state = sim.lock();
                state.jobs.get_mut(&id, now).map(|job| {
                    let next = job.next_change(now, with_logs);
                    (job.status(now, &queue_base, with_logs).1, next)
                })
            };
            let Some((status, next_change)) = snapshot else {
                break;
            };
            let text = status.to_string();
            if text != last_sent {
                if !writer.write(format!("data: {text}\n\n")).await {
                    return;
                }
                last_sent = text;
                events += 1;
                if drop_after == Some(events) {
                    // Let the events already sent reach the client first:
                    // the point is a cut after them, not instead of them.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    let cut = std::io::Error::other("simulated mid-stream drop");
                    let _ = writer.tx.send(Err(cut)).await;
                    return;
                }
            }
            if status["status"] == "COMPLETED" {
                break;
            }
            if writer.last_write.elapsed() >= keepalive
                && !writer.write(": keep-alive\n\n".into()).await
            {
                return;
            }
            let mut wake = (writer.last_write + keepalive).min(now + LONGEST_SLEEP);
            if let Some(next) = next_change {
                wake = wake.min(next);
            }
            tokio::select! {
                () = tokio::time::sleep_until(wake.into()) => {}
                () = &mut changed => {}
            }
        }
        if let Some(buffer) = writer.buffer.take() {
            let _ = writer.tx.send(Ok(Bytes::from(buffer))).await;
        }
    });
    let mut response = Response::new(Body::from_stream(ReceiverStream::new(rx)));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
