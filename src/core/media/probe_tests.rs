//! Tests for [`super`]: files made by ffmpeg (moov at the start and at the
//! end), refusals, and hostile bytes.

use proptest::prelude::*;

use super::*;
use crate::core::media::test_media::{self, format_seconds, make, top_level_offset, Spec};

const LIMIT: usize = PROBE_READ_LIMIT as usize;

/// Runs the probe the way the server does: the first MiB, then at most one
/// more read of what it asks for.
fn probe_file(bytes: &[u8], file_len: Option<u64>) -> (DurationProbe, usize) {
    let first = &bytes[..bytes.len().min(LIMIT)];
    match probe_duration(0, first, file_len) {
        DurationProbe::NeedBytes { offset, len } => {
            assert!(len <= PROBE_READ_LIMIT && len > 0, "asked for {len} bytes");
            let start = offset as usize;
            let end = (start + len as usize).min(bytes.len());
            (probe_duration(offset, &bytes[start..end], file_len), 2)
        }
        other => (other, 1),
    }
}

fn seconds_of(probe: &DurationProbe) -> f64 {
    match probe {
        DurationProbe::Seconds(s) => *s,
        other => panic!("expected a length, got {other:?}"),
    }
}

fn reason_of(probe: DurationProbe) -> String {
    match probe {
        DurationProbe::Unreadable(reason) => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A video bigger than one read, so `moov` at the end is out of reach of
/// the first read.
fn large_noisy_video(dir: &std::path::Path, faststart: bool) -> std::path::PathBuf {
    let path = dir.join(if faststart { "fast.mp4" } else { "slow.mp4" });
    let extra: &[&str] = if faststart {
        &["-movflags", "+faststart"]
    } else {
        &[]
    };
    test_media::noisy_video(&path, extra);
    path
}

#[test]
fn moov_at_the_start_is_read_in_one_pass() {
    let dir = test_media::temp_dir("probe-fast");
    let path = large_noisy_video(&dir, true);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 2 * LIMIT, "the file must outgrow one read");
    let (probe, reads) = probe_file(&bytes, Some(bytes.len() as u64));
    assert_eq!(reads, 1);
    let expected = format_seconds(&path);
    assert!(
        (seconds_of(&probe) - expected).abs() < 0.05,
        "{probe:?} vs {expected}"
    );
}

#[test]
fn moov_at_the_end_takes_one_more_read_of_the_moov_box() {
    let dir = test_media::temp_dir("probe-end");
    let path = large_noisy_video(&dir, false);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 2 * LIMIT);
    let moov = top_level_offset(&bytes, b"moov").expect("ffmpeg wrote a moov");
    let file_len = Some(bytes.len() as u64);
    match probe_duration(0, &bytes[..LIMIT], file_len) {
        DurationProbe::NeedBytes { offset, len } => {
            assert_eq!(offset, moov, "the second read starts at the moov box");
            assert_eq!(offset + len, bytes.len() as u64, "and covers it to the end");
        }
        other => panic!("expected a second read, got {other:?}"),
    }
    let expected = format_seconds(&path);
    for known_len in [file_len, None] {
        let (probe, reads) = probe_file(&bytes, known_len);
        assert_eq!(reads, 2);
        assert!(
            (seconds_of(&probe) - expected).abs() < 0.05,
            "{probe:?} vs {expected}"
        );
    }
}

#[test]
fn small_files_of_every_kind_read_their_length() {
    let dir = test_media::temp_dir("probe-kinds");
    let specs = [
        (
            "h264-end",
            Spec {
                faststart: false,
                ..Spec::h264()
            },
        ),
        (
            "mov",
            Spec {
                mov: true,
                ..Spec::h264()
            },
        ),
        (
            "h265-silent",
            Spec {
                video: test_media::Video::H265,
                audio: false,
                seconds: 3,
                ..Spec::h264()
            },
        ),
    ];
    for (name, spec) in specs {
        let path = make(&dir, name, spec);
        let bytes = std::fs::read(&path).unwrap();
        let (probe, _) = probe_file(&bytes, Some(bytes.len() as u64));
        let expected = format_seconds(&path);
        assert!(
            (seconds_of(&probe) - expected).abs() < 0.05,
            "{name}: {probe:?} vs {expected}"
        );
    }
}

#[test]
fn without_a_movie_length_the_longest_track_counts() {
    let dir = test_media::temp_dir("probe-tracks");
    let path = make(&dir, "clip", Spec::h264());
    let mut bytes = std::fs::read(&path).unwrap();
    let mvhd = bytes.windows(4).position(|w| w == b"mvhd").unwrap();
    assert_eq!(bytes[mvhd + 4], 0, "ffmpeg writes a version 0 mvhd");
    // version+flags, creation, modification, timescale, then the duration.
    bytes[mvhd + 20..mvhd + 24].copy_from_slice(&[0; 4]);
    let (probe, _) = probe_file(&bytes, Some(bytes.len() as u64));
    let expected = format_seconds(&path);
    assert!(
        (seconds_of(&probe) - expected).abs() < 0.1,
        "{probe:?} vs {expected}"
    );
}

#[test]
fn a_64_bit_mdat_before_the_moov_box_is_stepped_over() {
    let dir = test_media::temp_dir("probe-large");
    let path = make(&dir, "clip", Spec::h264());
    let bytes = std::fs::read(&path).unwrap();
    let moov_at = top_level_offset(&bytes, b"moov").unwrap() as usize;
    let moov_len = u32::from_be_bytes(bytes[moov_at..moov_at + 4].try_into().unwrap()) as usize;
    let moov = &bytes[moov_at..moov_at + moov_len];
    let ftyp_len = u32::from_be_bytes(bytes[0..4].try_into().unwrap()) as usize;
    // ftyp, then a 5 GiB mdat with a 64-bit size (never read), then moov.
    let mdat_len: u64 = 5 << 30;
    let mut head = bytes[..ftyp_len].to_vec();
    head.extend_from_slice(&1u32.to_be_bytes());
    head.extend_from_slice(b"mdat");
    head.extend_from_slice(&mdat_len.to_be_bytes());
    let moov_offset = ftyp_len as u64 + mdat_len;
    let file_len = moov_offset + moov_len as u64;
    assert_eq!(
        probe_duration(0, &head, Some(file_len)),
        DurationProbe::NeedBytes {
            offset: moov_offset,
            len: moov_len as u64
        }
    );
    let probe = probe_duration(moov_offset, moov, Some(file_len));
    assert!((seconds_of(&probe) - format_seconds(&path)).abs() < 0.05);
}

#[test]
fn fragmented_mp4_without_a_stated_length_is_refused() {
    let (_dir, path) = test_media::fragmented_mp4("probe-frag");
    let bytes = std::fs::read(&path).unwrap();
    let (probe, _) = probe_file(&bytes, Some(bytes.len() as u64));
    let reason = reason_of(probe);
    assert!(reason.contains("fragmented MP4"), "{reason}");
}

#[test]
fn other_formats_are_refused_by_name() {
    let (_dir, webm) = test_media::made_with(
        "probe-other",
        "clip.webm",
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=160x90:rate=25:duration=1",
            "-c:v",
            "libvpx",
        ],
    );
    let bytes = std::fs::read(&webm).unwrap();
    let reason = reason_of(probe_file(&bytes, Some(bytes.len() as u64)).0);
    assert!(reason.starts_with("Not an MP4 or MOV file"), "{reason}");
    assert_eq!(
        reason_of(probe_duration(0, b"", Some(0))),
        "The file is empty."
    );
}

#[test]
fn a_file_cut_short_is_refused() {
    let dir = test_media::temp_dir("probe-cut");
    let path = make(
        &dir,
        "clip",
        Spec {
            faststart: false,
            ..Spec::h264()
        },
    );
    let bytes = std::fs::read(&path).unwrap();
    let half = &bytes[..bytes.len() / 2];
    let reason = reason_of(probe_file(half, Some(half.len() as u64)).0);
    assert!(reason.contains("cut short"), "{reason}");
    // Without a stated length, a short read is the end of the file.
    let reason = reason_of(probe_file(half, None).0);
    assert!(reason.contains("cut short"), "{reason}");
}

#[test]
fn a_moov_box_over_the_read_limit_is_read_by_its_first_mib() {
    let dir = test_media::temp_dir("probe-long-moov");
    let path = make(&dir, "clip", Spec::h264());
    let bytes = std::fs::read(&path).unwrap();
    let at = top_level_offset(&bytes, b"moov").unwrap() as usize;
    let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
    // The clip's moov (mvhd first), grown past the limit by a free box, as
    // the sample tables of a long video would grow it.
    let mut moov = bytes[at..at + len].to_vec();
    let padding = 2 * LIMIT;
    moov.extend_from_slice(&(padding as u32).to_be_bytes());
    moov.extend_from_slice(b"free");
    moov.resize(len + padding, 0);
    let moov_len = moov.len() as u32;
    moov[..4].copy_from_slice(&moov_len.to_be_bytes());
    // ftyp, then 3 MiB of media data (never read), then the grown moov.
    let ftyp_len = u32::from_be_bytes(bytes[0..4].try_into().unwrap()) as usize;
    let mdat_len = 3 * PROBE_READ_LIMIT;
    let mut head = bytes[..ftyp_len].to_vec();
    head.extend_from_slice(&(mdat_len as u32).to_be_bytes());
    head.extend_from_slice(b"mdat");
    let moov_offset = ftyp_len as u64 + mdat_len;
    let file_len = Some(moov_offset + moov.len() as u64);
    assert_eq!(
        probe_duration(0, &head, file_len),
        DurationProbe::NeedBytes {
            offset: moov_offset,
            len: PROBE_READ_LIMIT
        }
    );
    let probe = probe_duration(moov_offset, &moov[..LIMIT], file_len);
    assert!(
        (seconds_of(&probe) - format_seconds(&path)).abs() < 0.05,
        "{probe:?}"
    );

    // Without a length in the movie header, the first MiB is not enough.
    let mvhd = moov.windows(4).position(|w| w == b"mvhd").unwrap();
    moov[mvhd + 20..mvhd + 24].copy_from_slice(&[0; 4]);
    let reason = reason_of(probe_duration(moov_offset, &moov[..LIMIT], file_len));
    assert!(reason.contains("state no length"), "{reason}");
}

/// Box types the generated files are made of, so random data reaches deep
/// into the walk rather than stopping at the first header.
const KINDS: [&[u8; 4]; 14] = [
    b"ftyp", b"moov", b"mvhd", b"trak", b"mdat", b"free", b"moof", b"mvex", b"mehd", b"edts",
    b"elst", b"tkhd", b"mdia", b"mdhd",
];

fn boxes(depth: u32) -> BoxedStrategy<Vec<u8>> {
    let leaf = (
        0..KINDS.len(),
        prop::collection::vec(any::<u8>(), 0..64),
        any::<bool>(),
        any::<u32>(),
    )
        .prop_map(|(kind, payload, honest, size)| framed(KINDS[kind], &payload, honest, size));
    if depth == 0 {
        return prop::collection::vec(leaf, 0..6)
            .prop_map(|v| v.concat())
            .boxed();
    }
    let nested = (
        0..KINDS.len(),
        boxes(depth - 1),
        any::<bool>(),
        any::<u32>(),
    )
        .prop_map(|(kind, inner, honest, size)| framed(KINDS[kind], &inner, honest, size));
    prop::collection::vec(prop_oneof![leaf, nested], 0..6)
        .prop_map(|v| v.concat())
        .boxed()
}

/// A box with an honest size, or with any size at all.
fn framed(kind: &[u8; 4], payload: &[u8], honest: bool, size: u32) -> Vec<u8> {
    let size = if honest {
        8 + payload.len() as u32
    } else {
        size
    };
    let mut out = size.to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(payload);
    out
}

fn check_answer(offset: u64, buf: &[u8], file_len: Option<u64>) -> Result<(), TestCaseError> {
    match probe_duration(offset, buf, file_len) {
        DurationProbe::NeedBytes { offset: at, len } => {
            prop_assert!(
                len > 0 && len <= PROBE_READ_LIMIT,
                "asked for {} bytes",
                len
            );
            let inside = at >= offset && at + len <= offset + buf.len() as u64;
            prop_assert!(!inside, "asked again for bytes it was given");
            if let Some(file_len) = file_len {
                prop_assert!(at + len <= file_len, "asked past the end of the file");
            }
        }
        DurationProbe::Seconds(s) => prop_assert!(s.is_finite() && s > 0.0),
        DurationProbe::Unreadable(reason) => prop_assert!(!reason.is_empty()),
    }
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        offset in prop_oneof![Just(0u64), any::<u64>()],
        extra in prop::option::of(any::<u64>()),
    ) {
        let end = offset.saturating_add(bytes.len() as u64);
        let file_len = extra.map(|e| end.saturating_add(e % (4 * PROBE_READ_LIMIT)));
        check_answer(offset, &bytes, file_len)?;
    }

    #[test]
    fn box_shaped_bytes_never_panic(
        bytes in boxes(3),
        offset in prop_oneof![Just(0u64), 0..1_000_000u64],
        extra in prop::option::of(0..(8 * PROBE_READ_LIMIT)),
    ) {
        let file_len = extra.map(|e| offset + bytes.len() as u64 + e);
        check_answer(offset, &bytes, file_len)?;
    }
}
