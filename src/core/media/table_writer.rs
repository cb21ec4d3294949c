//! Writes a trimmed track's sample tables and edit list. Every table is
//! rebuilt from the kept samples; run-length tables are compacted again.

use super::boxes::FourCc;
use super::bytes::PutBytes;
use super::sample_tables::Sample;
use super::track::UNIT_RATE;

/// A chunk of the trimmed file: consecutive kept samples of one track that
/// were in one chunk of the original, so their bytes are one range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutChunk {
    /// Which cut (track) it belongs to.
    pub cut: usize,
    pub source: u64,
    pub len: u64,
    pub samples: u32,
    pub description: u32,
    /// Where its bytes land, counted from the start of the media data.
    pub placed: u64,
}

/// Writes a box: header, then what `body` writes, then the size.
pub fn boxed(out: &mut Vec<u8>, kind: &FourCc, body: impl FnOnce(&mut Vec<u8>)) {
    let start = out.len();
    out.put_u32(0);
    out.extend_from_slice(kind);
    body(out);
    let size = u32::try_from(out.len() - start).unwrap_or(u32::MAX);
    out[start..start + 4].copy_from_slice(&size.to_be_bytes());
}

fn full_box(out: &mut Vec<u8>, kind: &FourCc, version: u8, body: impl FnOnce(&mut Vec<u8>)) {
    boxed(out, kind, |out| {
        out.put_u32(u32::from(version) << 24);
        body(out);
    });
}

/// Consecutive equal values as (count, value).
fn runs<T: PartialEq + Copy>(values: impl Iterator<Item = T>) -> Vec<(u32, T)> {
    let mut runs: Vec<(u32, T)> = Vec::new();
    for value in values {
        match runs.last_mut() {
            Some((count, last)) if *last == value && *count < u32::MAX => *count += 1,
            _ => runs.push((1, value)),
        }
    }
    runs
}

pub struct TableOptions {
    pub ctts_version: Option<u8>,
    pub has_stss: bool,
    /// Chunk offsets as 64-bit (`co64`) rather than 32-bit (`stco`).
    pub wide: bool,
    /// Where the media data starts in the trimmed file.
    pub base: u64,
}

/// The `stbl` children after `stsd`.
pub fn write_tables(
    out: &mut Vec<u8>,
    samples: &[Sample],
    chunks: &[&OutChunk],
    options: &TableOptions,
) {
    let durations = runs(samples.iter().map(|s| s.duration));
    full_box(out, b"stts", 0, |out| {
        out.put_u32(durations.len() as u32);
        for (count, delta) in &durations {
            out.put_u32(*count);
            out.put_u32(*delta);
        }
    });
    if let Some(version) = options.ctts_version {
        let offsets = runs(samples.iter().map(|s| s.cts_offset));
        full_box(out, b"ctts", version, |out| {
            out.put_u32(offsets.len() as u32);
            for (count, offset) in &offsets {
                out.put_u32(*count);
                out.put_i32(*offset);
            }
        });
    }
    if options.has_stss {
        let sync: Vec<u32> = (1..)
            .zip(samples)
            .filter(|(_, s)| s.sync)
            .map(|(n, _)| n)
            .collect();
        full_box(out, b"stss", 0, |out| {
            out.put_u32(sync.len() as u32);
            sync.iter().for_each(|&n| out.put_u32(n));
        });
    }
    let layout = runs(chunks.iter().map(|c| (c.samples, c.description)));
    full_box(out, b"stsc", 0, |out| {
        out.put_u32(layout.len() as u32);
        let mut first_chunk = 1u32;
        for (count, (per_chunk, description)) in &layout {
            out.put_u32(first_chunk);
            out.put_u32(*per_chunk);
            out.put_u32(*description);
            first_chunk = first_chunk.saturating_add(*count);
        }
    });
    full_box(out, b"stsz", 0, |out| {
        let constant = samples
            .first()
            .map(|s| s.size)
            .filter(|&size| samples.iter().all(|s| s.size == size));
        out.put_u32(constant.unwrap_or(0));
        out.put_u32(samples.len() as u32);
        if constant.is_none() {
            samples.iter().for_each(|s| out.put_u32(s.size));
        }
    });
    let kind = if options.wide { b"co64" } else { b"stco" };
    full_box(out, kind, 0, |out| {
        out.put_u32(chunks.len() as u32);
        for chunk in chunks {
            let offset = options.base + chunk.placed;
            if options.wide {
                out.put_u64(offset);
            } else {
                out.put_u32(u32::try_from(offset).unwrap_or(u32::MAX));
            }
        }
    });
}

/// `edts` with an optional gap (empty edit) and one segment at normal speed.
pub fn write_edits(out: &mut Vec<u8>, gap: u64, shown: u64, media_time: i64) {
    let narrow = |v: u64| u32::try_from(v).is_ok();
    let version = if narrow(gap) && narrow(shown) && i32::try_from(media_time).is_ok() {
        0
    } else {
        1
    };
    let mut edits = Vec::new();
    if gap > 0 {
        edits.push((gap, -1i64));
    }
    edits.push((shown, media_time));
    boxed(out, b"edts", |out| {
        full_box(out, b"elst", version, |out| {
            out.put_u32(edits.len() as u32);
            for (duration, media) in edits {
                if version == 1 {
                    out.put_u64(duration);
                    out.put_i64(media);
                } else {
                    out.put_u32(duration as u32);
                    out.put_i32(media as i32);
                }
                out.put_i32(UNIT_RATE);
            }
        });
    });
}
