//! Real processes for the access, budget and state tests: the server
//! binary itself (`CARGO_BIN_EXE_wan-r2v-server`), `redis-server` on a free
//! loopback port, and ffmpeg for reference videos. Each is killed when its
//! handle drops.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::client;

pub const BIN: &str = env!("CARGO_BIN_EXE_wan-r2v-server");
pub const SUBMIT: &str = "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video";

/// A running `wan-r2v-server` process.
pub struct ServerProcess {
    child: Child,
    pub url: String,
    stderr: Arc<Mutex<String>>,
}

/// Flags every simulating test server gets: no general rate limit (tests
/// fire many calls), loopback.
pub const SIM: [&str; 7] = [
    "--simulate",
    "--rate-limit",
    "0",
    "--address",
    "127.0.0.1",
    "--dist",
    "/nonexistent-dist",
];

/// [`SIM`] plus `extra`, with a 2 s queue and run unless `extra` sets them.
pub fn sim_flags(extra: &[&str]) -> Vec<String> {
    let mut flags: Vec<String> = SIM.iter().chain(extra).map(|s| s.to_string()).collect();
    for (flag, value) in [("--sim-queue", "2s"), ("--sim-run", "2s")] {
        if !extra.contains(&flag) {
            flags.extend([flag.to_owned(), value.to_owned()]);
        }
    }
    flags
}

/// `&str`s of owned flags.
pub fn strs(flags: &[String]) -> Vec<&str> {
    flags.iter().map(String::as_str).collect()
}

impl ServerProcess {
    /// Starts the binary with `args` and `env`, waiting for its
    /// `listening on` line.
    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Self {
        match Self::try_start(args, env) {
            Ok(server) => server,
            Err(stderr) => panic!("the server did not start:\n{stderr}"),
        }
    }

    /// Like [`start`](Self::start), but a server that exits first gives
    /// back its stderr.
    pub fn try_start(args: &[&str], env: &[(&str, &str)]) -> Result<Self, String> {
        let state = super::temp_path("state.sqlite3");
        let mut command = Command::new(BIN);
        command.args(["--port", "0"]).args(args);
        if !args.contains(&"--state") {
            command.arg("--state").arg(&state);
        }
        command
            .env_remove("FAL_KEY")
            .env_remove("WAN_R2V_UPSTREAM_OVERRIDE")
            .env_remove("WAN_R2V_PROBE_ALLOW_LOOPBACK")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the server binary runs");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        match lines.next() {
            Some(Ok(line)) if line.starts_with("listening on ") => {
                let url = line["listening on ".len()..]
                    .trim_end_matches('/')
                    .to_owned();
                Ok(Self { child, url, stderr })
            }
            _ => {
                let _ = child.wait();
                std::thread::sleep(Duration::from_millis(100));
                let text = stderr.lock().unwrap().clone();
                Err(text)
            }
        }
    }

    /// The process id, for reading /proc/<pid>/.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The resident memory of the process now (VmRSS), in bytes.
    pub fn rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("/proc/<pid>/status");
        let line = status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .expect("VmRSS line");
        let kib: u64 = line
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .expect("VmRSS in kB");
        kib * 1024
    }

    /// `host:port` the server listens on.
    pub fn authority(&self) -> &str {
        self.url.trim_start_matches("http://")
    }

    /// Waits up to 5 s for the server to log `needle` (its stderr is read
    /// by another thread, so a line may land a moment after it was written).
    pub fn logged(&self, needle: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.stderr().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// What the server logged so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A proxy call with `target` and, when given, extra headers.
    pub fn proxy(
        &self,
        method: reqwest::Method,
        target: &str,
        headers: &[(&str, &str)],
    ) -> reqwest::RequestBuilder {
        let mut request = client()
            .request(method, format!("{}/api/fal/proxy", self.url))
            .header("x-fal-target-url", target);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request
    }

    /// Submits `body` with `headers`; returns status and JSON answer.
    pub async fn submit(&self, body: Value, headers: &[(&str, &str)]) -> (u16, Value) {
        let response = self
            .proxy(reqwest::Method::POST, SUBMIT, headers)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// The simulator's journal.
    pub async fn journal(&self) -> Vec<Value> {
        client()
            .get(format!("{}/sim/journal", self.url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// How many journal entries have `route`.
    pub async fn count(&self, route: &str) -> usize {
        self.journal()
            .await
            .iter()
            .filter(|e| e["route"] == route)
            .count()
    }

    /// Uploads `bytes` through the proxy's storage initiate and the
    /// simulator's upload URL, as the app does; returns the file URL.
    pub async fn upload(&self, bytes: Vec<u8>, name: &str, headers: &[(&str, &str)]) -> String {
        let initiate = "https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3";
        let answer: Value = self
            .proxy(reqwest::Method::POST, initiate, headers)
            .json(&json!({ "content_type": "video/mp4", "file_name": name }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let put = client()
            .put(answer["upload_url"].as_str().unwrap())
            .header("content-type", "video/mp4")
            .body(bytes)
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), 200, "upload");
        answer["file_url"].as_str().unwrap().to_owned()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the binary expecting it to refuse to start: its exit code and
/// stderr. A server that starts instead is killed after 10 s (code -1).
pub fn refusal(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut command = Command::new(BIN);
    command
        .args(["--port", "0", "--dist", "/nonexistent-dist"])
        .args(args)
        .env_remove("FAL_KEY")
        .env_remove("WAN_R2V_UPSTREAM_OVERRIDE")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code().unwrap_or(-1);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break -1;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (code, reader.join().unwrap())
}

/// An H.264 MP4 of `seconds`, made by ffmpeg: noise over a test pattern,
/// lossless, so the file is several MiB and its header cannot be in the
/// first 1 MiB read unless it comes first. With `faststart` the header
/// (moov) comes first; without it, after the media, as ffmpeg writes it.
pub fn ffmpeg_video(dir: &Path, seconds: u32, faststart: bool) -> PathBuf {
    let path = dir.join(format!("ref-{seconds}s-{faststart}.mp4"));
    let mut command = Command::new("ffmpeg");
    command.args(["-hide_banner", "-loglevel", "error", "-y"]);
    command.args(["-f", "lavfi", "-i"]);
    command.arg(format!("testsrc=size=320x240:rate=24:duration={seconds}"));
    command.args([
        "-f",
        "lavfi",
        "-i",
        "nullsrc=s=320x240:r=24,geq=random(1)*255:128:128",
    ]);
    command.args([
        "-filter_complex",
        "[0][1]blend=all_mode=addition,format=yuv420p",
    ]);
    command.args([
        "-t",
        &seconds.to_string(),
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
    ]);
    command.args(["-qp", "0"]);
    if faststart {
        command.args(["-movflags", "+faststart"]);
    }
    let status = command.arg(&path).status().expect("ffmpeg is installed");
    assert!(status.success(), "ffmpeg made the video");
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(
        size > 2 << 20,
        "the video is larger than two reads: {size} bytes"
    );
    path
}

/// An access-codes file with one code per (name, extra TOML lines);
/// returns the path and the codes.
pub fn codes_file(entries: &[(&str, &str)]) -> (PathBuf, Vec<String>) {
    let mut text = String::new();
    let mut codes = Vec::new();
    for (name, extra) in entries {
        let (code, entry) = wan_r2v_server::access::codes::new_code(name).unwrap();
        text.push_str(&entry);
        text.push_str(extra);
        text.push('\n');
        codes.push(code);
    }
    let path = super::temp_path("codes.toml");
    std::fs::write(&path, text).unwrap();
    (path, codes)
}
