//! Load figures for the proxy (a benchmark, not a test). On loopback, the
//! real server binary with `--simulate`: status streams held open through
//! `/api/fal/proxy`; while they are open, status polls through the proxy
//! and straight to the simulator's own routes, in turns (the difference is
//! what the proxy adds), and submits per second both ways; the server's
//! memory (VmRSS, VmHWM) throughout. Budgets: 2,000 streams held, p99 added
//! latency <= 5 ms, memory <= 150 MB.
//!
//!     scripts/bench-proxy            # 2,000 streams, 10 s of polls (release build)
//!     scripts/bench-proxy --quick    # 20 streams, 1 s: checks the figures are produced
//!
//! Flags: `--streams N`, `--seconds S`, `--server PATH` (default
//! `target/release/wan-r2v-server`, or `WAN_R2V_SERVER_BIN`), `--quick`.
//! Exits 1 when a figure could not be taken (a stream did not open, a call
//! failed), or in a full run when a budget is missed (PASS/FAIL per budget);
//! a quick run prints the figures with no verdict.

mod measure;
mod server;

use std::time::{Duration, Instant};

use measure::{submit_loop, Latencies, Streams};
use server::SimServer;

const STREAM_BUDGET: usize = 2_000;
const ADDED_P99_BUDGET_MS: f64 = 5.0;
const MEMORY_BUDGET_MB: f64 = 150.0;

struct Options {
    streams: usize,
    seconds: f64,
    server: String,
    quick: bool,
}

fn options() -> Options {
    let mut options = Options {
        streams: STREAM_BUDGET,
        seconds: 10.0,
        server: std::env::var("WAN_R2V_SERVER_BIN").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../target/release/wan-r2v-server"
            )
            .to_owned()
        }),
        quick: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--quick" => {
                options.quick = true;
                options.streams = 20;
                options.seconds = 1.0;
            }
            "--streams" => options.streams = value().parse().expect("--streams N"),
            "--seconds" => options.seconds = value().parse().expect("--seconds S"),
            "--server" => options.server = value(),
            other => panic!("unknown flag {other} (see the doc comment of proxy_load.rs)"),
        }
    }
    options
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "PASS"
    } else {
        "FAIL"
    }
}

#[tokio::main]
async fn main() {
    let options = options();
    // The streams are this process's sockets too.
    wan_r2v_server::open_files::fit(options.streams + 256);
    let server = SimServer::start(&options.server, options.streams);
    let started_rss = server.memory().0;
    let client = measure::client();

    let opening = Instant::now();
    let ids = measure::submit_jobs(&client, &server.url, options.streams).await;
    let streams = Streams::open(&server.url, &ids).await;
    let opened_in = opening.elapsed();
    let (streams_rss, _) = server.memory();

    let window = Duration::from_secs_f64(options.seconds);
    let (proxied, direct) = Latencies::status_polls(&client, &server.url, &ids, window).await;
    let submit_window = window.min(Duration::from_secs(5));
    let proxied_submits = submit_loop(&client, &server.url, true, submit_window).await;
    let direct_submits = submit_loop(&client, &server.url, false, submit_window).await;
    let still_open = streams.still_open();
    let opened = streams.opened();
    let (end_rss, peak_rss) = server.memory();
    drop(streams);

    let added_p50 = proxied.quantile(0.5) - direct.quantile(0.5);
    let added_p99 = proxied.quantile(0.99) - direct.quantile(0.99);
    let mb = |bytes: u64| bytes as f64 / 1_000_000.0;
    println!(
        "proxy load: wan-r2v-server --simulate on loopback, {} streams, {:.0} s of polls{}",
        options.streams,
        options.seconds,
        if options.quick { " (quick)" } else { "" }
    );
    println!(
        "status streams held open         {} (all opened in {:.2} s; {still_open} still open at the end)",
        opened,
        opened_in.as_secs_f64()
    );
    println!("status poll, simulator directly  {}", direct.describe());
    println!("status poll, through the proxy   {}", proxied.describe());
    println!("added by the proxy               p50 {added_p50:.3} ms  p99 {added_p99:.3} ms");
    println!(
        "submits through the proxy        {}",
        proxied_submits.describe()
    );
    println!(
        "submits, simulator directly      {}",
        direct_submits.describe()
    );
    println!(
        "server memory (VmRSS)            {:.1} MB at start, {:.1} MB with the streams open, {:.1} MB at the end; peak (VmHWM) {:.1} MB",
        mb(started_rss),
        mb(streams_rss),
        mb(end_rss),
        mb(peak_rss)
    );

    let complete = opened == options.streams
        && still_open == options.streams
        && proxied.count() > 0
        && direct.count() > 0
        && proxied_submits.count() > 0
        && direct_submits.count() > 0
        && proxied_submits.failures == 0
        && direct_submits.failures == 0;
    let streams_ok = still_open >= STREAM_BUDGET;
    let added_ok = added_p99 <= ADDED_P99_BUDGET_MS;
    let memory_ok = mb(peak_rss) <= MEMORY_BUDGET_MB;
    // Quick mode is too small for a verdict: it shows the figures only.
    let mark = |ok: bool| if options.quick { "-" } else { verdict(ok) };
    println!(
        "budgets{}:",
        if options.quick {
            " (quick mode: checks that every figure is produced; no verdict)"
        } else {
            ""
        }
    );
    println!(
        "  streams held >= {STREAM_BUDGET}        {still_open:>8}      {}",
        mark(streams_ok)
    );
    println!(
        "  p99 added <= {ADDED_P99_BUDGET_MS} ms        {added_p99:>8.3} ms   {}",
        mark(added_ok)
    );
    println!(
        "  peak memory <= {MEMORY_BUDGET_MB} MB     {:>8.1} MB   {}",
        mb(peak_rss),
        mark(memory_ok)
    );
    // `exit` runs no destructors: stop the server first.
    drop(server);
    if !complete {
        println!("INCOMPLETE: a stream did not open or stay open, or a call failed");
        std::process::exit(1);
    }
    if options.quick {
        println!("OK: every figure produced");
        return;
    }
    let all = streams_ok && added_ok && memory_ok;
    println!("{}", verdict(all));
    if !all {
        std::process::exit(1);
    }
}
