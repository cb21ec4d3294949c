//! What the trimmer refuses, in words, and hostile bytes that must never
//! make it panic.

use std::sync::OnceLock;

use proptest::prelude::*;

use super::super::test_media::{self, make, Spec, PATTERN};
use super::super::*;
use super::locate;

/// Makes `{name}.mp4` with ffmpeg from `args`.
fn made_with(name: &str, args: &[&str]) -> (test_media::TempDir, std::path::PathBuf) {
    test_media::made_with(name, &format!("{name}.mp4"), args)
}

fn refusal(path: &std::path::Path) -> TrimRefusal {
    match locate(path).0 {
        Err(refusal) => refusal,
        Ok(_) => panic!("{path:?} was accepted for trimming"),
    }
}

#[test]
fn fragmented_mp4_is_refused() {
    let refusal = refusal(&test_media::fragmented_mp4("frag").1);
    assert_eq!(refusal, TrimRefusal::Fragmented);
    assert!(
        refusal.message().contains("fragmented MP4"),
        "{}",
        refusal.message()
    );
}

#[test]
fn other_video_codecs_are_refused_by_name() {
    let mut args = PATTERN.to_vec();
    args.extend(["-c:v", "mpeg4"]);
    let refusal = refusal(&made_with("mpeg4", &args).1);
    assert_eq!(refusal, TrimRefusal::VideoCodec("mp4v".into()));
    assert!(refusal.message().contains("'mp4v'") && refusal.message().contains("H.264 and H.265"));
}

#[test]
fn other_sound_codecs_are_refused_by_name() {
    let mut args = PATTERN.to_vec();
    args.extend([
        "-f",
        "lavfi",
        "-i",
        "sine=duration=2",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-c:a",
        "ac3",
    ]);
    let refusal = refusal(&made_with("ac3", &args).1);
    assert_eq!(refusal, TrimRefusal::AudioCodec("ac-3".into()));
    assert!(refusal.message().contains("AAC"), "{}", refusal.message());
}

#[test]
fn a_file_that_is_not_mp4_is_refused() {
    let (_dir, path) = test_media::made_with(
        "png",
        "still.png",
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=160x90",
            "-frames:v",
            "1",
        ],
    );
    let refusal = refusal(&path);
    assert!(
        matches!(refusal, TrimRefusal::NotIsoMedia(_)),
        "{refusal:?}"
    );
    assert!(refusal
        .message()
        .starts_with("This file is not an MP4 or MOV video"));
}

#[test]
fn ranges_outside_the_video_are_refused() {
    let index = sample_index();
    let message = |start, end| index.plan(start, end).unwrap_err().message();
    assert_eq!(message(3.0, 3.0), "End must be after Start.");
    assert_eq!(
        message(-1.0, 3.0),
        "Start and End must be numbers of seconds from 0."
    );
    assert_eq!(
        message(f64::NAN, 3.0),
        "Start and End must be numbers of seconds from 0."
    );
    assert_eq!(
        message(8.0, 9.0),
        "Start must be before the video's end (8.0 s)."
    );
}

#[test]
fn snapping_says_why() {
    let index = sample_index();
    let snap = index.snap_start(2.5);
    assert_eq!(
        (snap.seconds, snap.reason),
        (2.0, SnapReason::EarlierKeyframe)
    );
    assert_eq!(
        snap.message().unwrap(),
        "Starts at 2.0 s, the keyframe at or before 2.5 s: a cut without re-encoding must start on a keyframe."
    );
    assert_eq!(index.snap_start(3.0).message(), None);
    let keyframes = index.keyframe_seconds();
    assert_eq!(keyframes.len(), 8);
    assert!(
        keyframes
            .iter()
            .zip(0..)
            .all(|(t, n)| (t - f64::from(n)).abs() < 1e-9),
        "{keyframes:?}"
    );
}

/// An 8-second H.264 clip with sound and a keyframe every second, made
/// once for the tests that only read its index.
pub(super) fn sample_file() -> &'static [u8] {
    static FILE: OnceLock<Vec<u8>> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = test_media::temp_dir("sample");
        std::fs::read(make(&dir, "sample", Spec::h264())).unwrap()
    })
}

fn sample_index() -> MediaIndex {
    test_media::index_of(sample_file()).unwrap()
}

/// The sample's `ftyp` and `moov` boxes.
fn sample_boxes() -> (Vec<u8>, Vec<u8>, u64) {
    let bytes = sample_file();
    let at = test_media::top_level_offset(bytes, b"moov").unwrap() as usize;
    let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
    let ftyp_len = u32::from_be_bytes(bytes[..4].try_into().unwrap()) as usize;
    (
        bytes[..ftyp_len].to_vec(),
        bytes[at..at + len].to_vec(),
        bytes.len() as u64,
    )
}

/// Whatever the bytes, a plan either fails with a reason or describes a
/// file made only of the original's bytes.
fn check_plan(
    index: &MediaIndex,
    file_len: u64,
    start: f64,
    end: f64,
) -> Result<(), TestCaseError> {
    if let Ok(plan) = index.plan(start, end) {
        prop_assert!(plan.duration_seconds().is_finite());
        for range in &plan.ranges {
            prop_assert!(range.offset + range.len <= file_len);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn a_damaged_header_never_panics(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        start in 0.0..10.0f64,
        len in 0.0..10.0f64,
    ) {
        let (ftyp, mut moov, file_len) = sample_boxes();
        for (at, value) in flips {
            let i = at.index(moov.len());
            moov[i] = value;
        }
        if let Ok(index) = MediaIndex::parse(Some(&ftyp), &moov, file_len) {
            check_plan(&index, file_len, start, start + len)?;
        }
    }

    #[test]
    fn arbitrary_files_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
        tail in 0..(1u64 << 40),
    ) {
        let file_len = bytes.len() as u64 + tail;
        let (mut locator, mut step) = BoxLocator::new(file_len);
        for _ in 0..100 {
            let LocateStep::Read(range) = step else { break };
            prop_assert!(range.len <= MOOV_LIMIT && range.offset + range.len <= file_len);
            // Bytes past the generated ones read as zeros.
            let chunk: Vec<u8> = (range.offset..range.offset + range.len)
                .map(|i| bytes.get(i as usize).copied().unwrap_or(0))
                .collect();
            step = locator.feed(&chunk);
        }
        prop_assert!(!matches!(step, LocateStep::Read(_)), "the locator kept asking");
    }
}
