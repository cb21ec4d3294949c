//! The load and the clock: jobs, streams held open, status polls timed in
//! turns through the proxy and directly, and submit loops.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

const SUBMIT_TARGET: &str = "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video";
const SUBMIT_PATH: &str = "/sim/queue/fal-ai/wan/v2.7/reference-to-video";
const KEY: &str = "Key bench-id:bench-secret";
/// Submits in flight at once in the submit loops.
const IN_FLIGHT: usize = 16;
/// Most submits per loop (a bound on the run, far above what it reaches).
const MOST_SUBMITS: usize = 200_000;
/// The submit loops' jobs end at once, and their results expire soon after
/// (`--sim-result-ttl`), so the simulator's live jobs stay under its cap.
const QUICK_JOB: &str = "bench [sim:queue=0ms] [sim:run=0ms]";

/// One connection pool for everything but the streams.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(IN_FLIGHT * 2)
        .build()
        .expect("client")
}

fn status_target(id: &str) -> String {
    format!("https://queue.fal.run/fal-ai/wan/requests/{id}/status")
}

/// Submits one job; its request id.
async fn submit(
    client: &reqwest::Client,
    base: &str,
    through_proxy: bool,
    prompt: &str,
) -> Option<String> {
    let request = if through_proxy {
        client
            .post(format!("{base}/api/fal/proxy"))
            .header("x-fal-target-url", SUBMIT_TARGET)
    } else {
        client
            .post(format!("{base}{SUBMIT_PATH}"))
            .header("authorization", KEY)
    };
    let response = request
        .json(&json!({ "prompt": prompt }))
        .send()
        .await
        .ok()?;
    if !response.status().is_success() {
        return None;
    }
    let body: Value = response.json().await.ok()?;
    body["request_id"].as_str().map(str::to_owned)
}

/// `count` jobs submitted through the proxy (so the proxy's identity owns
/// them and may stream them).
pub async fn submit_jobs(client: &reqwest::Client, base: &str, count: usize) -> Vec<String> {
    let jobs = futures_util::stream::iter(0..count)
        .map(|_| submit(client, base, true, "bench"))
        .buffer_unordered(IN_FLIGHT)
        .collect::<Vec<_>>()
        .await;
    jobs.into_iter()
        .map(|id| id.expect("a submit through the proxy"))
        .collect()
}

/// Status streams held open through the proxy, one per job.
pub struct Streams {
    tasks: Vec<JoinHandle<()>>,
    opened: usize,
    closed: Arc<AtomicUsize>,
}

impl Streams {
    /// Opens one stream per id (128 connecting at once) and waits until
    /// each has delivered its first event; then keeps reading them.
    pub async fn open(base: &str, ids: &[String]) -> Self {
        let connecting = Arc::new(Semaphore::new(128));
        let first_events = Arc::new(AtomicUsize::new(0));
        let closed = Arc::new(AtomicUsize::new(0));
        let (tx, mut rx) = tokio::sync::mpsc::channel::<bool>(ids.len().max(1));
        let mut tasks = Vec::with_capacity(ids.len());
        for id in ids {
            // One client each: a connection of its own, as each browser has.
            let client = reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("client");
            let url = format!("{base}/api/fal/proxy");
            let target = format!("{}/stream", status_target(id));
            let (connecting, closed, tx) = (connecting.clone(), closed.clone(), tx.clone());
            let first_events = first_events.clone();
            tasks.push(tokio::spawn(async move {
                let mut connecting = Some(connecting.acquire_owned().await.expect("semaphore"));
                let response = client
                    .get(url)
                    .header("x-fal-target-url", target)
                    .header("accept", "text/event-stream")
                    .send()
                    .await;
                let Ok(response) = response.and_then(|r| r.error_for_status()) else {
                    let _ = tx.send(false).await;
                    return;
                };
                let mut body = response.bytes_stream();
                let mut told = false;
                while let Some(Ok(chunk)) = body.next().await {
                    if !told && chunk.windows(5).any(|w| w == b"data:") {
                        told = true;
                        first_events.fetch_add(1, Ordering::Relaxed);
                        connecting.take();
                        let _ = tx.send(true).await;
                    }
                }
                closed.fetch_add(1, Ordering::Relaxed);
                if !told {
                    let _ = tx.send(false).await;
                }
            }));
        }
        drop(tx);
        let mut opened = 0;
        for _ in 0..ids.len() {
            let first = tokio::time::timeout(Duration::from_secs(60), rx.recv()).await;
            if let Ok(Some(true)) = first {
                opened += 1;
            }
        }
        Self {
            tasks,
            opened,
            closed,
        }
    }

    pub fn opened(&self) -> usize {
        self.opened
    }

    pub fn still_open(&self) -> usize {
        self.opened
            .saturating_sub(self.closed.load(Ordering::Relaxed))
    }
}

impl Drop for Streams {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Latencies of one kind of call, and failures.
#[derive(Default)]
pub struct Latencies {
    times: Vec<Duration>,
    pub failures: usize,
    window: Duration,
}

impl Latencies {
    pub fn count(&self) -> usize {
        self.times.len()
    }

    /// The quantile `q` in milliseconds (0 when nothing was measured).
    pub fn quantile(&self, q: f64) -> f64 {
        let mut sorted = self.times.clone();
        sorted.sort();
        let Some(last) = sorted.len().checked_sub(1) else {
            return 0.0;
        };
        sorted[(last as f64 * q).round() as usize].as_secs_f64() * 1e3
    }

    pub fn describe(&self) -> String {
        let rate = match self.window.is_zero() {
            true => String::new(),
            false => format!(
                "{:.0}/s ({IN_FLIGHT} in flight), ",
                self.count() as f64 / self.window.as_secs_f64()
            ),
        };
        format!(
            "{rate}p50 {:.3} ms  p99 {:.3} ms  ({} calls, {} failed)",
            self.quantile(0.5),
            self.quantile(0.99),
            self.count(),
            self.failures
        )
    }

    /// Status polls for `window`: one through the proxy, then the same one
    /// directly, in turns, so both see the same load.
    pub async fn status_polls(
        client: &reqwest::Client,
        base: &str,
        ids: &[String],
        window: Duration,
    ) -> (Self, Self) {
        let (mut proxied, mut direct) = (Self::default(), Self::default());
        let started = Instant::now();
        let mut round = 0;
        while started.elapsed() < window {
            let id = &ids[round % ids.len()];
            round += 1;
            let through_proxy = client
                .get(format!("{base}/api/fal/proxy"))
                .header("x-fal-target-url", status_target(id));
            let straight = client
                .get(format!("{base}/sim/queue/fal-ai/wan/requests/{id}/status"))
                .header("authorization", KEY);
            for (request, into) in [(through_proxy, &mut proxied), (straight, &mut direct)] {
                let sent = Instant::now();
                let answered = match request.send().await {
                    Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                    _ => false,
                };
                match answered {
                    true => into.times.push(sent.elapsed()),
                    false => into.failures += 1,
                }
            }
        }
        (proxied, direct)
    }
}

/// Submits for `window` with [`IN_FLIGHT`] at once (at most
/// [`MOST_SUBMITS`]), through the proxy or directly.
pub async fn submit_loop(
    client: &reqwest::Client,
    base: &str,
    through_proxy: bool,
    window: Duration,
) -> Latencies {
    let started = Instant::now();
    let remaining = Arc::new(AtomicUsize::new(MOST_SUBMITS));
    let loops = (0..IN_FLIGHT).map(|_| {
        let remaining = remaining.clone();
        async move {
            let mut mine = Latencies::default();
            while started.elapsed() < window
                && remaining
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                    .is_ok()
            {
                let sent = Instant::now();
                match submit(client, base, through_proxy, QUICK_JOB).await {
                    Some(_) => mine.times.push(sent.elapsed()),
                    None => mine.failures += 1,
                }
            }
            mine
        }
    });
    let mut all = Latencies {
        window: Duration::ZERO,
        ..Latencies::default()
    };
    for part in futures_util::future::join_all(loops).await {
        all.times.extend(part.times);
        all.failures += part.failures;
    }
    all.window = started.elapsed();
    all
}
