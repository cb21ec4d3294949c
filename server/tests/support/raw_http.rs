//! Hand-written HTTP/1.1 over a plain socket, for what a polite client
//! never does: declare a body and not send it, trickle bytes, hold a
//! connection open. Loopback only.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Connects to `authority` (`127.0.0.1:port`).
pub fn connect(authority: &str) -> TcpStream {
    let stream = TcpStream::connect(authority).expect("connect");
    stream.set_nodelay(true).unwrap();
    stream
}

/// Writes `head` (lines joined with CRLF, blank line added) and `body`.
pub fn send(stream: &mut TcpStream, head: &[&str], body: &[u8]) {
    let mut text = head.join("\r\n");
    text.push_str("\r\n\r\n");
    stream.write_all(text.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
}

/// The status code of the answer, if one arrives within `wait`; `None` if
/// none did or the connection closed first. Also how long it took.
pub fn status_within(stream: &mut TcpStream, wait: Duration) -> (Option<u16>, Duration) {
    let started = Instant::now();
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while !got.windows(2).any(|w| w == b"\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return (None, started.elapsed()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    let line = String::from_utf8_lossy(&got);
    let code = line.split_whitespace().nth(1).and_then(|c| c.parse().ok());
    (code, started.elapsed())
}
