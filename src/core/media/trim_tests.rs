//! Trims files made by ffmpeg in each test and checks every result with
//! ffprobe and ffmpeg's decoder: the length the plan states (within one
//! frame), a keyframe first, sound and picture of equal length (within one
//! AAC frame), and the first picture equal to the original's at the
//! snapped start.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::Command;

use super::probe::PROBE_READ_LIMIT;
use super::test_media::{self, ffprobe, make, Spec, Video};
use super::*;

/// One AAC frame at 44.1 kHz.
const AAC_FRAME: f64 = 1024.0 / 44100.0;

/// Runs the locator over the file the way the browser does with
/// `Blob.slice`, counting the bytes it reads.
fn locate(path: &Path) -> (Result<MediaIndex, TrimRefusal>, u64) {
    let mut file = std::fs::File::open(path).unwrap();
    let len = file.metadata().unwrap().len();
    let (mut locator, mut step) = BoxLocator::new(len);
    let mut read = 0;
    loop {
        match step {
            LocateStep::Read(range) => {
                let mut bytes = vec![0; range.len as usize];
                file.seek(SeekFrom::Start(range.offset)).unwrap();
                file.read_exact(&mut bytes).unwrap();
                read += range.len;
                step = locator.feed(&bytes);
            }
            LocateStep::Found(index) => return (Ok(*index), read),
            LocateStep::Refused(refusal) => return (Err(refusal), read),
        }
    }
}

/// Writes the trimmed file: the plan's header, then its ranges of `source`.
fn write_trimmed(plan: &TrimPlan, source: &Path, out: &Path) {
    let mut src = std::fs::File::open(source).unwrap();
    let mut dst = std::fs::File::create(out).unwrap();
    dst.write_all(&plan.header).unwrap();
    for range in &plan.ranges {
        src.seek(SeekFrom::Start(range.offset)).unwrap();
        std::io::copy(&mut (&mut src).take(range.len), &mut dst).unwrap();
    }
    dst.flush().unwrap();
    assert_eq!(std::fs::metadata(out).unwrap().len(), plan.output_len());
}

fn number(value: &serde_json::Value) -> f64 {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

struct Streams {
    video: f64,
    audio: Option<f64>,
    format: f64,
}

fn streams(path: &Path) -> Streams {
    let json = ffprobe(
        path,
        &[
            "-show_entries",
            "stream=codec_type,duration:format=duration",
        ],
    );
    let of = |kind: &str| {
        json["streams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["codec_type"] == kind)
            .map(|s| number(&s["duration"]))
    };
    Streams {
        video: of("video").expect("a video stream"),
        audio: of("audio"),
        format: number(&json["format"]["duration"]),
    }
}

fn first_video_packet_is_keyframe(path: &Path) -> bool {
    let json = ffprobe(
        path,
        &[
            "-select_streams",
            "v:0",
            "-read_intervals",
            "%+#1",
            "-show_entries",
            "packet=flags",
        ],
    );
    json["packets"][0]["flags"]
        .as_str()
        .is_some_and(|f| f.starts_with('K'))
}

/// The first decoded picture, as raw bytes, of `path` from `seek` seconds
/// (decoded exactly there, whatever the keyframes).
fn picture_at(path: &Path, seek: Option<f64>) -> Vec<u8> {
    let mut command = Command::new("ffmpeg");
    command.args(["-v", "error", "-nostdin"]);
    if let Some(seek) = seek {
        command.args(["-ss", &format!("{seek:.3}")]);
    }
    let output = command
        .arg("-i")
        .arg(path)
        .args(["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"])
        .output()
        .expect("ffmpeg must be installed");
    assert!(
        output.status.success() && !output.stdout.is_empty(),
        "{output:?}"
    );
    output.stdout
}

/// Decodes the whole file and returns what the decoder complained about.
fn decode_errors(path: &Path) -> String {
    let output = Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-i"])
        .arg(path)
        .args(["-f", "null", "-"])
        .output()
        .expect("ffmpeg must be installed");
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stderr).into_owned()
}

struct Case {
    name: &'static str,
    spec: Spec,
    start: f64,
    end: f64,
    snapped: f64,
    reason: SnapReason,
}

fn trim_and_check(case: Case) {
    let dir = test_media::temp_dir(case.name);
    let source = make(&dir, case.name, case.spec);
    let (index, read) = locate(&source);
    let index = index.unwrap_or_else(|r| panic!("{}: refused: {}", case.name, r.message()));
    let moov_len = index.moov.len() as u64;
    assert!(
        read <= 2 * HEAD_READ + moov_len,
        "{}: finding the header boxes read {read} bytes",
        case.name
    );
    let plan = index.plan(case.start, case.end).unwrap();
    let frame = 1.0 / f64::from(case.spec.fps);
    assert!(
        (plan.start.seconds - case.snapped).abs() < 1e-6,
        "{}: {:?}",
        case.name,
        plan.start
    );
    assert_eq!(plan.start.reason, case.reason, "{}", case.name);
    let end = case.end.min(f64::from(case.spec.seconds));
    assert!(
        plan.end_seconds >= end - 1e-6 && plan.end_seconds < end + frame,
        "{}: planned end {} for End {end}",
        case.name,
        plan.end_seconds
    );

    let out = dir.join(format!(
        "trimmed.{}",
        if case.spec.mov { "mov" } else { "mp4" }
    ));
    write_trimmed(&plan, &source, &out);
    let got = streams(&out);
    let planned = plan.duration_seconds();
    for (what, seconds) in [("video", got.video), ("file", got.format)] {
        assert!(
            (seconds - planned).abs() <= frame + 1e-3,
            "{}: {what} lasts {seconds} s, the plan {planned} s",
            case.name
        );
    }
    assert_eq!(
        got.audio.is_some(),
        case.spec.audio,
        "{}: sound kept exactly when there is sound",
        case.name
    );
    if let Some(audio) = got.audio {
        assert!(
            (audio - got.video).abs() <= AAC_FRAME + 1e-3,
            "{}: sound {audio} s, picture {} s",
            case.name,
            got.video
        );
    }
    assert!(
        first_video_packet_is_keyframe(&out),
        "{}: first video sample is not a keyframe",
        case.name
    );
    assert_eq!(
        picture_at(&out, None),
        picture_at(&source, Some(plan.start.seconds)),
        "{}: the first picture is the original's at the snapped start",
        case.name
    );
    let errors = decode_errors(&out);
    assert!(
        errors.is_empty(),
        "{}: the decoder complained: {errors}",
        case.name
    );
}

#[test]
fn h264_mp4_with_sound_keyframe_every_second() {
    trim_and_check(Case {
        name: "h264-fast-1s",
        spec: Spec::h264(),
        start: 3.0,
        end: 6.0,
        snapped: 3.0,
        reason: SnapReason::OnKeyframe,
    });
}

#[test]
fn h264_mp4_moov_at_end_keyframe_every_four_seconds() {
    trim_and_check(Case {
        name: "h264-end-4s",
        spec: Spec {
            faststart: false,
            keyframe_seconds: 4,
            ..Spec::h264()
        },
        start: 5.0,
        end: 7.5,
        snapped: 4.0,
        reason: SnapReason::EarlierKeyframe,
    });
}

#[test]
fn h264_mp4_without_sound_to_the_end() {
    trim_and_check(Case {
        name: "h264-silent-4s",
        spec: Spec {
            audio: false,
            keyframe_seconds: 4,
            ..Spec::h264()
        },
        start: 6.3,
        end: 30.0,
        snapped: 4.0,
        reason: SnapReason::EarlierKeyframe,
    });
}

#[test]
fn h265_hev1_mp4_with_sound_moov_at_end() {
    trim_and_check(Case {
        name: "h265-hev1-end-1s",
        spec: Spec {
            video: Video::H265,
            faststart: false,
            ..Spec::h264()
        },
        start: 2.5,
        end: 5.0,
        snapped: 2.0,
        reason: SnapReason::EarlierKeyframe,
    });
}

#[test]
fn h265_hvc1_mp4_without_sound_keyframe_every_four_seconds() {
    trim_and_check(Case {
        name: "h265-hvc1-silent-4s",
        spec: Spec {
            video: Video::H265Hvc1,
            audio: false,
            keyframe_seconds: 4,
            ..Spec::h264()
        },
        start: 4.0,
        end: 7.0,
        snapped: 4.0,
        reason: SnapReason::OnKeyframe,
    });
}

#[test]
fn h264_mov_with_sound_moov_at_end() {
    trim_and_check(Case {
        name: "h264-mov-end-1s",
        spec: Spec {
            mov: true,
            faststart: false,
            ..Spec::h264()
        },
        start: 1.2,
        end: 4.0,
        snapped: 1.0,
        reason: SnapReason::EarlierKeyframe,
    });
}

#[test]
fn h265_mov_with_sound_keyframe_every_four_seconds() {
    trim_and_check(Case {
        name: "h265-mov-fast-4s",
        spec: Spec {
            video: Video::H265Hvc1,
            mov: true,
            keyframe_seconds: 4,
            ..Spec::h264()
        },
        start: 0.0,
        end: 2.0,
        snapped: 0.0,
        reason: SnapReason::OnKeyframe,
    });
}

#[test]
fn a_large_original_is_located_by_its_headers_alone() {
    let dir = test_media::temp_dir("large");
    let source = dir.join("noise.mp4");
    // Noise does not compress: 3 s of it make several MB, moov at the end.
    test_media::noisy_video(&source, &["-g", "25"]);
    let file_len = std::fs::metadata(&source).unwrap().len();
    assert!(file_len > 4 * PROBE_READ_LIMIT, "{file_len} bytes");
    let (index, read) = locate(&source);
    let index = index.unwrap();
    assert!(
        read <= 2 * HEAD_READ + index.moov.len() as u64,
        "read {read} of {file_len} bytes"
    );
    let plan = index.plan(2.0, 2.5).unwrap();
    assert!(
        plan.output_len() < file_len / 4,
        "{} of {file_len} bytes",
        plan.output_len()
    );
    assert!(plan.ranges.len() <= 4, "{:?}", plan.ranges);
    let out = dir.join("trimmed.mp4");
    write_trimmed(&plan, &source, &out);
    let got = streams(&out);
    assert!((got.format - plan.duration_seconds()).abs() <= 0.04 + 1e-3);
    assert!(first_video_packet_is_keyframe(&out));
}

#[path = "trim_ranges_tests.rs"]
mod ranges;
#[path = "trim_refusal_tests.rs"]
mod refusals;
