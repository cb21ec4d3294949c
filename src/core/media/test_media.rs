//! Test videos made by ffmpeg in the test itself, and ffprobe's view of
//! files. A missing ffmpeg or ffprobe fails the test (scripts/test installs
//! them); nothing here is skipped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Video {
    H264,
    /// H.265 stored as `hev1` (ffmpeg's default in MP4).
    H265,
    /// H.265 stored as `hvc1` (what Apple devices write).
    H265Hvc1,
}

#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub video: Video,
    pub audio: bool,
    /// `mov` or `mp4`.
    pub mov: bool,
    /// `moov` before `mdat`.
    pub faststart: bool,
    pub keyframe_seconds: u32,
    pub seconds: u32,
    pub fps: u32,
}

impl Spec {
    pub fn h264() -> Self {
        Spec {
            video: Video::H264,
            audio: true,
            mov: false,
            faststart: true,
            keyframe_seconds: 1,
            seconds: 8,
            fps: 25,
        }
    }
}

/// A fresh directory for one test's files, removed when the test passes
/// (kept, and named on stderr, when it fails).
pub fn temp_dir(name: &str) -> TempDir {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "wan-r2v-media-{}-{}-{name}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    TempDir(dir)
}

pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("test files kept in {}", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Indexes a file held in memory, reading it as the locator asks.
pub fn index_of(bytes: &[u8]) -> Result<super::MediaIndex, super::TrimRefusal> {
    let (mut locator, mut step) = super::BoxLocator::new(bytes.len() as u64);
    loop {
        step = match step {
            super::LocateStep::Read(r) => {
                locator.feed(&bytes[r.offset as usize..(r.offset + r.len) as usize])
            }
            super::LocateStep::Found(index) => return Ok(*index),
            super::LocateStep::Refused(refusal) => return Err(refusal),
        };
    }
}

/// Runs ffmpeg with the given arguments (after `-v error -y`); fails the
/// test with ffmpeg's own message when it cannot run or fails.
pub fn ffmpeg(args: &[&str]) {
    let output = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostdin", "-v", "error", "-y"])
        .args(args)
        .output()
        .expect("ffmpeg must be installed (scripts/test installs Debian's ffmpeg)");
    assert!(
        output.status.success(),
        "ffmpeg {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Two seconds of the moving test pattern at 160x90, as ffmpeg input.
pub const PATTERN: [&str; 4] = [
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=160x90:rate=25:duration=2",
];

/// Runs ffmpeg on `args` writing `file_name` in a fresh directory named
/// after `dir_name`; the directory lives as long as the returned guard.
pub fn made_with(dir_name: &str, file_name: &str, args: &[&str]) -> (TempDir, PathBuf) {
    let dir = temp_dir(dir_name);
    let path = dir.join(file_name);
    let mut all = args.to_vec();
    all.push(path.to_str().unwrap());
    ffmpeg(&all);
    (dir, path)
}

/// A fragmented MP4 (`moov` empty, the samples in fragments): both the
/// probe and the trimmer must refuse it.
pub fn fragmented_mp4(dir_name: &str) -> (TempDir, PathBuf) {
    let mut args = PATTERN.to_vec();
    args.extend([
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-movflags",
        "frag_keyframe+empty_moov",
    ]);
    made_with(dir_name, "frag.mp4", &args)
}

/// Three seconds of lossless noise with sound, written to `path`: several
/// MB, since noise does not compress, so `moov` at the end is out of reach
/// of a first read. `extra` are more output options (`+faststart`, `-g`).
pub fn noisy_video(path: &Path, extra: &[&str]) {
    let mut args = vec![
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x180:rate=25:duration=3,noise=alls=100:allf=t",
        "-f",
        "lavfi",
        "-i",
        "sine=duration=3",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-qp",
        "0",
        "-c:a",
        "aac",
    ];
    args.extend_from_slice(extra);
    args.push(path.to_str().unwrap());
    ffmpeg(&args);
}

/// Makes a test video: a moving test pattern and, with audio, a sine tone
/// of the same length, at a fixed keyframe interval (no scene cuts).
pub fn make(dir: &Path, name: &str, spec: Spec) -> PathBuf {
    let path = dir.join(format!("{name}.{}", if spec.mov { "mov" } else { "mp4" }));
    let keyint = (spec.keyframe_seconds * spec.fps).to_string();
    let video_in = format!(
        "testsrc2=size=160x90:rate={}:duration={}",
        spec.fps, spec.seconds
    );
    let audio_in = format!(
        "sine=frequency=440:sample_rate=44100:duration={}",
        spec.seconds
    );
    let x265_params = format!("keyint={keyint}:min-keyint={keyint}:scenecut=0:log-level=error");
    let mut args: Vec<&str> = vec!["-f", "lavfi", "-i", &video_in];
    if spec.audio {
        args.extend(["-f", "lavfi", "-i", &audio_in]);
    }
    match spec.video {
        Video::H264 => args.extend([
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-g",
            &keyint,
            "-keyint_min",
            &keyint,
            "-sc_threshold",
            "0",
        ]),
        Video::H265 | Video::H265Hvc1 => {
            args.extend([
                "-c:v",
                "libx265",
                "-preset",
                "ultrafast",
                "-x265-params",
                &x265_params,
            ]);
            if spec.video == Video::H265Hvc1 {
                args.extend(["-tag:v", "hvc1"]);
            }
        }
    }
    args.extend(["-pix_fmt", "yuv420p"]);
    if spec.audio {
        args.extend(["-c:a", "aac", "-b:a", "64k"]);
    }
    if spec.faststart {
        args.extend(["-movflags", "+faststart"]);
    }
    let out = path.to_str().expect("utf-8 temp path");
    args.push(out);
    ffmpeg(&args);
    path
}

/// ffprobe's JSON for `args` (e.g. `-show_format`) on `path`.
pub fn ffprobe(path: &Path, args: &[&str]) -> serde_json::Value {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-of", "json"])
        .args(args)
        .arg(path)
        .output()
        .expect("ffprobe must be installed (scripts/test installs Debian's ffmpeg)");
    assert!(
        output.status.success(),
        "ffprobe {args:?} {path:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("ffprobe prints JSON")
}

/// The container's duration as ffprobe reads it.
pub fn format_seconds(path: &Path) -> f64 {
    let json = ffprobe(path, &["-show_entries", "format=duration"]);
    json["format"]["duration"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no duration from ffprobe for {path:?}: {json}"))
}

/// Where the top-level box of this type starts, by a plain walk of the file
/// (independent of the code under test).
pub fn top_level_offset(bytes: &[u8], kind: &[u8; 4]) -> Option<u64> {
    let mut pos = 0usize;
    while pos + 8 <= bytes.len() {
        let size = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        if &bytes[pos + 4..pos + 8] == kind {
            return Some(pos as u64);
        }
        if size < 8 {
            return None;
        }
        pos += size;
    }
    None
}
