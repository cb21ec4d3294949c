//! The server under load: the real binary, simulating, on a free loopback
//! port, with nothing that would limit one client (rate limits off) and
//! jobs that stay queued for the whole run, so their streams stay open
//! (the submit loops' jobs end at once and expire 100 ms later).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct SimServer {
    child: Child,
    pub url: String,
    /// The page and the state file, removed at the end.
    dir: std::path::PathBuf,
}

impl SimServer {
    /// Starts `binary` sized for `streams` connections.
    pub fn start(binary: &str, streams: usize) -> Self {
        let dir = std::env::temp_dir().join(format!("wan-r2v-bench-{}", std::process::id()));
        let dist = dir.join("dist");
        std::fs::create_dir_all(&dist).expect("a temporary folder");
        std::fs::write(
            dist.join("index.html"),
            "<!doctype html><title>bench</title>",
        )
        .expect("a page to serve");
        let state = dir.join("state.sqlite3");
        let max_connections = (streams + 512).to_string();
        let mut child = Command::new(binary)
            .args(["--simulate", "--address", "127.0.0.1", "--port", "0"])
            .arg("--dist")
            .arg(&dist)
            .arg("--state")
            .arg(&state)
            .args(["--rate-limit", "0", "--submit-rate", "0"])
            .args(["--max-connections", &max_connections])
            .args(["--sim-queue", "10m", "--sim-keepalive", "15s"])
            .args(["--sim-result-ttl", "100ms"])
            .env("RUST_LOG", "warn")
            .env_remove("FAL_KEY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {binary}: {e} (build it first)"));
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let line = lines
            .next()
            .and_then(Result::ok)
            .expect("the server printed its address");
        let url = line
            .strip_prefix("listening on ")
            .expect("a `listening on` line")
            .trim_end_matches('/')
            .to_owned();
        Self { child, url, dir }
    }

    /// (VmRSS, VmHWM) of the server process, in bytes.
    pub fn memory(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/<pid>/status");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
                .map_or(0, |kib| kib * 1024)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
