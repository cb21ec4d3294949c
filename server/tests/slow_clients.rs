//! Slow clients cannot take the site down: with every connection slot held
//! by clients trickling one byte every 1.5 s (request heads and request
//! bodies), the server keeps to `--max-connections`, cuts them at
//! `--header-timeout` / `--body-timeout`, and a normal request is served.
//! Loopback only; 16 trickling clients for 9 seconds.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::process::{sim_flags, strs, ServerProcess};

const CAP: usize = 8;
const TRICKLE_EVERY: Duration = Duration::from_millis(1500);

#[derive(Default)]
struct Seen {
    /// Head tricklers whose connection the server closed.
    heads_cut: AtomicUsize,
    /// Body tricklers answered 408.
    bodies_timed_out: AtomicUsize,
}

/// Connects again and again, sending `head` then `body` one byte every
/// [`TRICKLE_EVERY`], until `stop`; counts how each connection ended.
fn trickle(authority: String, head: String, body: bool, stop: Arc<AtomicBool>, seen: Arc<Seen>) {
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut stream) = TcpStream::connect(&authority) else {
            std::thread::sleep(TRICKLE_EVERY);
            continue;
        };
        stream.set_read_timeout(Some(TRICKLE_EVERY)).unwrap();
        let bytes: Vec<u8> = if body {
            let _ = stream.write_all(head.as_bytes());
            vec![b' '; 1000]
        } else {
            head.clone().into_bytes()
        };
        let mut buf = [0u8; 256];
        for byte in bytes {
            if stop.load(Ordering::Relaxed) || stream.write_all(&[byte]).is_err() {
                break;
            }
            match stream.read(&mut buf) {
                Ok(0) if !body => {
                    seen.heads_cut.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                Ok(n) if body && String::from_utf8_lossy(&buf[..n]).contains(" 408 ") => {
                    seen.bodies_timed_out.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                Ok(_) => break,
                Err(_) => {} // no answer yet: send the next byte
            }
        }
    }
}

/// Sockets the server process holds (its listener and its connections).
fn sockets(pid: u32) -> usize {
    let Ok(entries) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return 0;
    };
    entries
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|target| target.to_string_lossy().starts_with("socket:"))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn trickling_clients_hold_the_cap_and_a_normal_request_is_still_served() {
    let flags = sim_flags(&[
        "--max-connections",
        "8",
        "--header-timeout",
        "2s",
        "--body-timeout",
        "2s",
    ]);
    let server = ServerProcess::start(&strs(&flags), &[]);
    // Its listener and the runtime's own (signal handling), before any client.
    let idle_sockets = sockets(server.pid());
    let authority = server.authority().to_owned();
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Seen::default());
    let slow_head =
        format!("GET /config.json HTTP/1.1\r\nHost: {authority}\r\nX-Slow: yes\r\n\r\n");
    let slow_body = format!(
        "POST /api/fal/proxy HTTP/1.1\r\nHost: {authority}\r\n\
         x-fal-target-url: https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    );
    let tricklers: Vec<_> = (0..2 * CAP)
        .map(|i| {
            let (authority, stop, seen) = (authority.clone(), stop.clone(), seen.clone());
            let head = if i % 2 == 0 {
                slow_head.clone()
            } else {
                slow_body.clone()
            };
            std::thread::spawn(move || trickle(authority, head, i % 2 == 1, stop, seen))
        })
        .collect();

    let pid = server.pid();
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut most = 0;
            while !stop.load(Ordering::Relaxed) {
                most = most.max(sockets(pid));
                std::thread::sleep(Duration::from_millis(100));
            }
            most
        })
    };

    tokio::time::sleep(Duration::from_secs(1)).await;
    let asked = Instant::now();
    let normal = support::client()
        .get(format!("{}/config.json", server.url))
        .timeout(Duration::from_secs(8))
        .send()
        .await;
    let waited = asked.elapsed();
    tokio::time::sleep(Duration::from_secs(8).saturating_sub(waited)).await;
    stop.store(true, Ordering::Relaxed);
    let most_sockets = sampler.join().unwrap();
    for trickler in tricklers {
        trickler.join().unwrap();
    }

    let normal = normal.expect("the normal request was answered");
    assert_eq!(normal.status(), 200);
    assert!(waited < Duration::from_secs(7), "served after {waited:?}");
    assert!(
        most_sockets <= idle_sockets + CAP,
        "the server held {most_sockets} sockets ({idle_sockets} idle, cap {CAP})"
    );
    let heads_cut = seen.heads_cut.load(Ordering::Relaxed);
    let bodies_timed_out = seen.bodies_timed_out.load(Ordering::Relaxed);
    assert!(heads_cut >= CAP / 2, "slow heads cut: {heads_cut}");
    assert!(
        bodies_timed_out >= CAP / 2,
        "slow bodies answered 408: {bodies_timed_out}"
    );
    eprintln!(
        "normal request served after {waited:?}; at most {most_sockets} sockets \
         ({idle_sockets} idle); \
         {heads_cut} slow heads cut, {bodies_timed_out} slow bodies answered 408"
    );
}
