//! The header boxes that carry timing: `mvhd`, `tkhd`, `mdhd`, `elst`,
//! `mehd` and `hdlr`. Only the fields the probe and the trim planner use are
//! read; a box too short for its version is an error, never a panic.

use super::bytes::ByteReader;

/// A duration field of all ones means "unknown" in every header box.
fn known(duration: u64, version: u8) -> u64 {
    let unknown = if version == 1 {
        u64::MAX
    } else {
        u64::from(u32::MAX)
    };
    if duration == unknown {
        0
    } else {
        duration
    }
}

/// `mvhd`: the movie's timescale and duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MovieHeader {
    pub timescale: u32,
    /// In `timescale` units; 0 when the file states none.
    pub duration: u64,
}

pub fn read_mvhd(payload: &[u8]) -> Option<MovieHeader> {
    let mut r = ByteReader::new(payload);
    let (version, _) = r.version_and_flags()?;
    let (timescale, duration) = if version == 1 {
        r.skip(16)?;
        (r.u32()?, r.u64()?)
    } else {
        r.skip(8)?;
        (r.u32()?, u64::from(r.u32()?))
    };
    Some(MovieHeader {
        timescale,
        duration: known(duration, version),
    })
}

/// `tkhd`: the track's id and duration (in the movie's timescale).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackHeader {
    pub track_id: u32,
    pub duration: u64,
}

pub fn read_tkhd(payload: &[u8]) -> Option<TrackHeader> {
    let mut r = ByteReader::new(payload);
    let (version, _) = r.version_and_flags()?;
    let (track_id, duration) = if version == 1 {
        r.skip(16)?;
        let id = r.u32()?;
        r.skip(4)?;
        (id, r.u64()?)
    } else {
        r.skip(8)?;
        let id = r.u32()?;
        r.skip(4)?;
        (id, u64::from(r.u32()?))
    };
    Some(TrackHeader {
        track_id,
        duration: known(duration, version),
    })
}

/// `mdhd`: the track's media timescale and duration.
pub fn read_mdhd(payload: &[u8]) -> Option<MovieHeader> {
    // Same layout as mvhd up to the duration.
    read_mvhd(payload)
}

/// `mehd`: a fragmented file's total duration, in the movie's timescale.
pub fn read_mehd(payload: &[u8]) -> Option<u64> {
    let mut r = ByteReader::new(payload);
    let (version, _) = r.version_and_flags()?;
    let duration = if version == 1 {
        r.u64()?
    } else {
        u64::from(r.u32()?)
    };
    Some(known(duration, version))
}

/// `hdlr`: the handler type (`vide`, `soun`, ...).
pub fn read_hdlr(payload: &[u8]) -> Option<[u8; 4]> {
    let mut r = ByteReader::new(payload);
    r.version_and_flags()?;
    r.skip(4)?; // pre_defined (QuickTime: component type)
    r.array()
}

/// One edit list entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edit {
    /// In the movie's timescale.
    pub segment_duration: u64,
    /// In the track's media timescale; -1 is an empty edit (a gap).
    pub media_time: i64,
    /// Playback rate, 16.16 fixed point; 1.0 is `0x0001_0000`.
    pub rate: i32,
}

/// At most this many edits are read; real files have one or two.
pub const MAX_EDITS: u32 = 1024;

pub fn read_elst(payload: &[u8]) -> Option<Vec<Edit>> {
    let mut r = ByteReader::new(payload);
    let (version, _) = r.version_and_flags()?;
    let count = r.u32()?;
    if count > MAX_EDITS {
        return None;
    }
    let mut edits = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let (segment_duration, media_time) = if version == 1 {
            (r.u64()?, r.i64()?)
        } else {
            (u64::from(r.u32()?), i64::from(r.i32()?))
        };
        edits.push(Edit {
            segment_duration,
            media_time,
            rate: r.i32()?,
        });
    }
    Some(edits)
}
