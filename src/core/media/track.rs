//! One track (`trak`) of a movie: what it holds, its clock, where its
//! edit list places it on the movie's timeline, and its samples.

use super::boxes::{children, find_child, find_path, fourcc_text, FourCc};
use super::header_boxes::{read_elst, read_hdlr, read_mdhd, read_tkhd, Edit};
use super::sample_tables::{read_sample_table, SampleTable};
use super::trim_refusal::TrimRefusal;

/// Video sample descriptions the trimmer cuts: H.264 and H.265.
pub const VIDEO_CODECS: [&FourCc; 4] = [b"avc1", b"avc3", b"hvc1", b"hev1"];
/// Sound sample descriptions it cuts: AAC.
pub const AUDIO_CODECS: [&FourCc; 1] = [b"mp4a"];

/// 1.0 in 16.16 fixed point, the only edit rate the trimmer follows.
pub const UNIT_RATE: i32 = 0x0001_0000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackKind {
    Video,
    Audio,
}

/// Where a track sits on the movie's timeline: an optional gap, then its
/// media from `media_time` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// The gap before the track starts, in the movie's timescale.
    pub gap: u64,
    /// The media time shown at the end of the gap, in the track's timescale.
    pub media_time: i64,
    /// How much media is shown, in the movie's timescale; `None`: all of it.
    pub shown: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    /// The `trak` box's position among the `moov` box's children.
    pub position: usize,
    pub id: u32,
    pub kind: TrackKind,
    pub timescale: u32,
    pub placement: Placement,
    pub table: SampleTable,
}

/// Reads a track; `Ok(None)` for tracks that are neither video nor sound
/// (they are left out of a trimmed file).
pub fn read_track(
    position: usize,
    trak: &[u8],
    file_len: u64,
) -> Result<Option<Track>, TrimRefusal> {
    let bad = TrimRefusal::Malformed;
    let tkhd = find_child(trak, b"tkhd").map_err(bad)?;
    let id = tkhd
        .and_then(|c| read_tkhd(c.payload))
        .ok_or_else(|| TrimRefusal::Malformed("a track has no track header".into()))?
        .track_id;
    let handler = find_path(trak, &[b"mdia", b"hdlr"])
        .map_err(bad)?
        .and_then(|c| read_hdlr(c.payload));
    let kind = match handler.as_ref() {
        Some(b"vide") => TrackKind::Video,
        Some(b"soun") => TrackKind::Audio,
        _ => return Ok(None),
    };
    let mdhd = find_path(trak, &[b"mdia", b"mdhd"])
        .map_err(bad)?
        .and_then(|c| read_mdhd(c.payload))
        .filter(|h| h.timescale > 0)
        .ok_or_else(|| TrimRefusal::Malformed("a track has no usable media header".into()))?;
    let stbl = find_path(trak, &[b"mdia", b"minf", b"stbl"])
        .map_err(bad)?
        .ok_or(TrimRefusal::NoSampleIndex)?;
    let table = read_sample_table(stbl.payload, file_len)?;
    check_codecs(kind, &table)?;
    let edits = match find_path(trak, &[b"edts", b"elst"]).map_err(bad)? {
        Some(elst) => read_elst(elst.payload)
            .ok_or_else(|| TrimRefusal::Malformed("an edit list is cut short".into()))?,
        None => Vec::new(),
    };
    Ok(Some(Track {
        position,
        id,
        kind,
        timescale: mdhd.timescale,
        placement: placement(&edits)?,
        table,
    }))
}

fn check_codecs(kind: TrackKind, table: &SampleTable) -> Result<(), TrimRefusal> {
    for codec in &table.codecs {
        match kind {
            TrackKind::Video if !VIDEO_CODECS.contains(&codec) => {
                return Err(TrimRefusal::VideoCodec(fourcc_text(*codec)))
            }
            TrackKind::Audio if !AUDIO_CODECS.contains(&codec) => {
                return Err(TrimRefusal::AudioCodec(fourcc_text(*codec)))
            }
            _ => {}
        }
    }
    Ok(())
}

/// Edit lists the trimmer follows: gaps (empty edits) and then at most one
/// segment played at normal speed. Anything else reorders or repeats media.
fn placement(edits: &[Edit]) -> Result<Placement, TrimRefusal> {
    let mut placement = Placement {
        gap: 0,
        media_time: 0,
        shown: None,
    };
    let mut segments = 0;
    for edit in edits {
        if edit.media_time == -1 {
            if segments > 0 {
                continue; // a trailing gap changes nothing that is shown
            }
            placement.gap = placement.gap.saturating_add(edit.segment_duration);
        } else {
            segments += 1;
            if segments > 1 || edit.rate != UNIT_RATE || edit.media_time < 0 {
                return Err(TrimRefusal::EditList);
            }
            placement.media_time = edit.media_time;
            placement.shown = (edit.segment_duration > 0).then_some(edit.segment_duration);
        }
    }
    Ok(placement)
}

/// The `trak` boxes of a `moov` payload, with their positions among its
/// children.
pub fn trak_boxes(moov_payload: &[u8]) -> Result<Vec<(usize, &[u8])>, TrimRefusal> {
    let mut traks = Vec::new();
    for (position, child) in children(moov_payload).enumerate() {
        let child = child.map_err(TrimRefusal::Malformed)?;
        if &child.kind == b"trak" {
            traks.push((position, child.payload));
        }
    }
    Ok(traks)
}
