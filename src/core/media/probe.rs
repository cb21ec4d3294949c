//! How long a reference video is, from its MP4/MOV header, read with at most
//! two bounded ranged requests: the server bills reference seconds before it
//! submits, so it must learn a video's length without downloading it.
//!
//! Sans-IO: the caller reads bytes and asks again. The first call gets the
//! file's first [`PROBE_READ_LIMIT`] bytes from offset 0. When the `moov` box
//! (the header) is in them, the answer is the length. When the top-level
//! walk shows that `moov` comes later (written at the end, after the media),
//! the answer names the one range to read next; the caller passes those bytes
//! with their offset. `buf_offset` is therefore always 0 or an offset this
//! function asked for, which is a top-level box boundary.

use super::boxes::{children, fourcc_text, is_printable, read_header, FourCc, HeaderRead};
use super::header_boxes::{read_elst, read_mdhd, read_mehd, read_mvhd, read_tkhd};

/// The most bytes one read may ask for, and the largest `moov` the probe
/// reads: 1 MiB holds the header of hours of video.
pub const PROBE_READ_LIMIT: u64 = 1 << 20;

/// Top-level boxes walked before giving up; files have a handful.
const MAX_TOP_LEVEL_BOXES: usize = 4096;

/// A stated length above this (100 hours) is taken for a corrupt header.
const MAX_PLAUSIBLE_SECONDS: f64 = 100.0 * 3600.0;

/// Box types a file may start with: `ftyp` for MP4, and the boxes old
/// QuickTime files begin with before `ftyp` existed.
const FIRST_BOXES: [&FourCc; 9] = [
    b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot", b"uuid", b"junk",
];

#[derive(Debug, Clone, PartialEq)]
pub enum DurationProbe {
    Seconds(f64),
    NeedBytes { offset: u64, len: u64 },
    Unreadable(String),
}

/// `buf` holds the file's bytes starting at `buf_offset`; `file_len` from Content-Range when known.
pub fn probe_duration(buf_offset: u64, buf: &[u8], file_len: Option<u64>) -> DurationProbe {
    let Some(buf_end) = buf_offset.checked_add(buf.len() as u64) else {
        return unreadable("The read's offset is past any possible file length.");
    };
    if file_len.is_some_and(|len| buf_end > len) {
        return unreadable("The server answered with more bytes than the file's stated length.");
    }
    if buf_offset == 0 && buf.is_empty() {
        return unreadable("The file is empty.");
    }
    let mut pos = buf_offset;
    for index in 0..MAX_TOP_LEVEL_BOXES {
        if file_len.is_some_and(|len| pos >= len) {
            return unreadable(&format!(
                "No moov box (the header with the video's length): the file's {pos} bytes end \
                 without one."
            ));
        }
        let rel = (pos - buf_offset) as usize;
        let header = match buf.get(rel..).map(read_header) {
            Some(HeaderRead::Header(header)) => header,
            Some(HeaderRead::Invalid(why)) => {
                return unreadable(&format!("Not a valid MP4 or MOV file: {why}."))
            }
            Some(HeaderRead::Short) | None => return read_from(pos, buf_offset, buf, file_len),
        };
        let kind = header.kind;
        if index == 0 && buf_offset == 0 && !FIRST_BOXES.contains(&&kind) {
            return unreadable(&format!(
                "Not an MP4 or MOV file: it starts with '{}', not with an ISO base media box \
                 such as 'ftyp'.",
                fourcc_text(kind)
            ));
        }
        if !is_printable(kind) {
            return unreadable(&format!(
                "Not a valid MP4 or MOV file: the data at byte {pos} is not a box."
            ));
        }
        if &kind == b"moof" {
            return unreadable(
                "A fragmented MP4 whose movie fragments come before any moov box, so its \
                 length is not stated anywhere the server reads.",
            );
        }
        let size = match header.size {
            Some(size) => size,
            None if &kind == b"moov" => match file_len {
                Some(len) => len - pos,
                None => buf_end - pos,
            },
            None => {
                return unreadable(&format!(
                    "No moov box (the header with the video's length): the box '{}' at byte \
                     {pos} runs to the end of the file.",
                    fourcc_text(kind)
                ))
            }
        };
        let Some(end) = pos.checked_add(size) else {
            return unreadable(&format!(
                "Not a valid MP4 or MOV file: the box '{}' states an impossible size.",
                fourcc_text(kind)
            ));
        };
        if let Some(len) = file_len.filter(|&len| end > len) {
            return unreadable(&format!(
                "The file is cut short: its box '{}' states {size} bytes from byte {pos}, but \
                 the file ends at byte {len}.",
                fourcc_text(kind)
            ));
        }
        if &kind == b"moov" {
            return probe_moov(pos, header.header_len, size, buf_offset, buf);
        }
        pos = end;
    }
    unreadable(&format!(
        "More than {MAX_TOP_LEVEL_BOXES} top-level boxes without a moov box."
    ))
}

fn unreadable(reason: &str) -> DurationProbe {
    DurationProbe::Unreadable(reason.to_string())
}

/// The walk reached `pos`, beyond the bytes at hand: ask for them, unless
/// they were just asked for or the file has ended.
fn read_from(pos: u64, buf_offset: u64, buf: &[u8], file_len: Option<u64>) -> DurationProbe {
    if pos == buf_offset || (file_len.is_none() && (buf.len() as u64) < PROBE_READ_LIMIT) {
        return unreadable(&format!(
            "The file is cut short: it ends at byte {} without a moov box (the header with \
             the video's length).",
            buf_offset + buf.len() as u64
        ));
    }
    let len = match file_len {
        Some(file_len) => (file_len - pos).min(PROBE_READ_LIMIT),
        None => PROBE_READ_LIMIT,
    };
    DurationProbe::NeedBytes { offset: pos, len }
}

/// The `moov` box starts at `pos` (inside `buf`) and is `size` bytes long.
fn probe_moov(pos: u64, header_len: u64, size: u64, buf_offset: u64, buf: &[u8]) -> DurationProbe {
    let rel = (pos - buf_offset) as usize;
    let have = (buf.len() - rel) as u64;
    let complete = have >= size;
    let end = rel + size.min(have) as usize;
    let payload = buf.get(rel + header_len as usize..end).unwrap_or(&[]);

    let mut mvhd = None;
    let mut mehd = None;
    let mut fragmented = false;
    for child in children(payload) {
        let Ok(child) = child else {
            if complete {
                return unreadable("Not a valid MP4 or MOV file: its moov box is malformed.");
            }
            break;
        };
        match &child.kind {
            b"mvhd" => mvhd = Some(child.payload),
            b"mvex" => {
                fragmented = true;
                for grandchild in children(child.payload).flatten() {
                    if &grandchild.kind == b"mehd" {
                        mehd = read_mehd(grandchild.payload);
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(mvhd) = mvhd {
        let Some(header) = read_mvhd(mvhd) else {
            return unreadable(
                "Not a valid MP4 or MOV file: its movie header (mvhd) is cut short.",
            );
        };
        if header.timescale == 0 {
            return unreadable(
                "The movie header (mvhd) states a timescale of 0, so no length can be read.",
            );
        }
        let duration = match (header.duration, mehd) {
            (0, Some(fragments)) => fragments,
            (duration, _) => duration,
        };
        if duration > 0 {
            return seconds(duration, header.timescale);
        }
        if complete {
            return match longest_track(payload_tracks(payload), header.timescale) {
                Some(found) => found,
                None if fragmented => unreadable(
                    "A fragmented MP4 whose header states no length (its length is only in \
                     the fragments, which the server does not read).",
                ),
                None => {
                    unreadable("The header states no length for the movie or any of its tracks.")
                }
            };
        }
    } else if complete {
        return unreadable("Not a valid MP4 or MOV file: its moov box has no movie header (mvhd).");
    }
    // The movie header comes first in `moov`, so a `moov` over the limit is
    // still read by its first MiB; all of it is needed only when the length
    // has to come from the tracks.
    let want = size.min(PROBE_READ_LIMIT);
    if have >= want {
        return unreadable(&format!(
            "Its header (moov) is {size} bytes and its first {PROBE_READ_LIMIT} bytes, all the \
             server reads, state no length."
        ));
    }
    if rel == 0 && buf_offset > 0 {
        return unreadable("The file is cut short inside its header (moov).");
    }
    DurationProbe::NeedBytes {
        offset: pos,
        len: want,
    }
}

fn seconds(duration: u64, timescale: u32) -> DurationProbe {
    let seconds = duration as f64 / f64::from(timescale);
    if seconds > MAX_PLAUSIBLE_SECONDS {
        return unreadable(&format!(
            "The header states a length of {:.0} hours, which cannot be a real video.",
            seconds / 3600.0
        ));
    }
    DurationProbe::Seconds(seconds)
}

fn payload_tracks(moov_payload: &[u8]) -> impl Iterator<Item = &[u8]> {
    children(moov_payload)
        .flatten()
        .filter(|c| &c.kind == b"trak")
        .map(|c| c.payload)
}

/// The longest track, for files whose movie header states no length: its
/// edit list when it has one (in the movie's timescale), else its track
/// header, else its media header.
fn longest_track<'a>(
    tracks: impl Iterator<Item = &'a [u8]>,
    movie_timescale: u32,
) -> Option<DurationProbe> {
    let mut longest: Option<f64> = None;
    for trak in tracks {
        let mut edits = 0u64;
        let mut tkhd = 0u64;
        let mut media = 0f64;
        for child in children(trak).flatten() {
            match &child.kind {
                b"tkhd" => tkhd = read_tkhd(child.payload).map_or(0, |h| h.duration),
                b"edts" => {
                    let elst = children(child.payload)
                        .flatten()
                        .find(|c| &c.kind == b"elst");
                    edits = elst.and_then(|c| read_elst(c.payload)).map_or(0, |list| {
                        list.iter()
                            .fold(0u64, |sum, e| sum.saturating_add(e.segment_duration))
                    });
                }
                b"mdia" => {
                    let mdhd = children(child.payload)
                        .flatten()
                        .find(|c| &c.kind == b"mdhd");
                    if let Some(h) = mdhd.and_then(|c| read_mdhd(c.payload)) {
                        if h.timescale > 0 {
                            media = h.duration as f64 / f64::from(h.timescale);
                        }
                    }
                }
                _ => {}
            }
        }
        let movie = if edits > 0 { edits } else { tkhd };
        let track = if movie > 0 {
            movie as f64 / f64::from(movie_timescale)
        } else {
            media
        };
        if track > 0.0 && longest.is_none_or(|l| track > l) {
            longest = Some(track);
        }
    }
    let seconds = longest?;
    if seconds > MAX_PLAUSIBLE_SECONDS {
        return Some(unreadable(&format!(
            "The header states a length of {:.0} hours, which cannot be a real video.",
            seconds / 3600.0
        )));
    }
    Some(DurationProbe::Seconds(seconds))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "probe_tests.rs"]
mod tests;
