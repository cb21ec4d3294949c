//! Writes the trimmed file's header: the original `ftyp`, a `moov` that is
//! the original with new durations, edit lists and sample tables (every box
//! the trimmer does not change is copied as it is), and the `mdat` header
//! in front of the kept samples' bytes.

use super::boxes::{children, read_header, Child, HeaderRead};
use super::bytes::PutBytes;
use super::media_index::MediaIndex;
use super::table_writer::{boxed, write_edits, write_tables, OutChunk, TableOptions};
use super::track::Track;
use super::trim_plan::ByteRange;
use super::trim_refusal::TrimRefusal;

/// The part of one track a trimmed file keeps, and how it is placed.
#[derive(Debug, Clone, Copy)]
pub struct Cut<'a> {
    pub track: &'a Track,
    /// First and last kept samples, in decode order.
    pub first: usize,
    pub last: usize,
    /// Gap before the track starts, in the movie's timescale.
    pub gap: u64,
    /// The media time (in the new track's time, which starts at 0 with the
    /// first kept sample) shown first.
    pub media_time: i64,
    /// How long it is shown, in the movie's timescale.
    pub shown: u64,
}

impl Cut<'_> {
    fn samples(&self) -> &[super::sample_tables::Sample] {
        &self.track.table.samples[self.first..=self.last]
    }
}

/// The trimmed file's header bytes and the ranges of the original that
/// follow it.
pub fn write_header(
    index: &MediaIndex,
    cuts: &[Cut],
) -> Result<(Vec<u8>, Vec<ByteRange>), TrimRefusal> {
    let (chunks, ranges, data_len) = lay_out(cuts);
    let ftyp = index.ftyp.as_deref().unwrap_or_default();
    let mdat_header_len: u64 = if data_len + 8 > u64::from(u32::MAX) {
        16
    } else {
        8
    };
    let mut wide = false;
    let mut moov_len = write_moov(index, cuts, &chunks, 0, wide).len() as u64;
    if ftyp.len() as u64 + moov_len + mdat_header_len + data_len > u64::from(u32::MAX) {
        wide = true;
        moov_len = write_moov(index, cuts, &chunks, 0, wide).len() as u64;
    }
    let base = ftyp.len() as u64 + moov_len + mdat_header_len;
    let mut header = ftyp.to_vec();
    header.extend(write_moov(index, cuts, &chunks, base, wide));
    if mdat_header_len == 16 {
        header.put_u32(1);
        header.extend_from_slice(b"mdat");
        header.put_u64(data_len + 16);
    } else {
        header.put_u32((data_len + 8) as u32);
        header.extend_from_slice(b"mdat");
    }
    if header.len() as u64 != base {
        return Err(TrimRefusal::Malformed(
            "the new header did not come out the planned size".into(),
        ));
    }
    Ok((header, ranges))
}

/// Groups the kept samples into chunks, orders the chunks as the original
/// does (keeping sound and video interleaved), and places them one after
/// another. Ranges that follow each other in the original are merged.
fn lay_out(cuts: &[Cut]) -> (Vec<OutChunk>, Vec<ByteRange>, u64) {
    let mut chunks: Vec<OutChunk> = Vec::new();
    for (cut_index, cut) in cuts.iter().enumerate() {
        let mut current: Option<(u32, OutChunk)> = None;
        for sample in cut.samples() {
            match &mut current {
                Some((chunk, out))
                    if *chunk == sample.chunk && out.source + out.len == sample.offset =>
                {
                    out.len += u64::from(sample.size);
                    out.samples += 1;
                }
                _ => {
                    chunks.extend(current.take().map(|(_, out)| out));
                    let description = cut.track.table.chunk_descriptions[sample.chunk as usize];
                    current = Some((
                        sample.chunk,
                        OutChunk {
                            cut: cut_index,
                            source: sample.offset,
                            len: u64::from(sample.size),
                            samples: 1,
                            description,
                            placed: 0,
                        },
                    ));
                }
            }
        }
        chunks.extend(current.map(|(_, out)| out));
    }
    let mut order: Vec<usize> = (0..chunks.len()).collect();
    order.sort_by_key(|&i| chunks[i].source);
    let mut ranges: Vec<ByteRange> = Vec::new();
    let mut placed = 0u64;
    for i in order {
        let chunk = &mut chunks[i];
        chunk.placed = placed;
        placed += chunk.len;
        match ranges.last_mut() {
            Some(last) if last.offset + last.len == chunk.source => last.len += chunk.len,
            _ => ranges.push(ByteRange {
                offset: chunk.source,
                len: chunk.len,
            }),
        }
    }
    (chunks, ranges, placed)
}

fn write_moov(
    index: &MediaIndex,
    cuts: &[Cut],
    chunks: &[OutChunk],
    base: u64,
    wide: bool,
) -> Vec<u8> {
    let payload = match read_header(&index.moov) {
        HeaderRead::Header(h) => &index.moov[h.header_len as usize..],
        _ => &[],
    };
    let movie_len = cuts.iter().map(|c| c.gap + c.shown).max().unwrap_or(0);
    let mut out = Vec::with_capacity(index.moov.len());
    boxed(&mut out, b"moov", |out| {
        for (position, child) in children(payload).flatten().enumerate() {
            match &child.kind {
                b"mvhd" => copy_with_duration(out, child, 16, 24, movie_len),
                b"trak" => {
                    let Some(cut_index) = cuts.iter().position(|c| c.track.position == position)
                    else {
                        continue; // a track that is neither video nor sound
                    };
                    let cut = &cuts[cut_index];
                    let options = TableOptions {
                        ctts_version: cut.track.table.ctts_version,
                        has_stss: cut.track.table.has_stss,
                        wide,
                        base,
                    };
                    let own: Vec<&OutChunk> =
                        chunks.iter().filter(|c| c.cut == cut_index).collect();
                    boxed(out, b"trak", |out| {
                        write_trak(out, child.payload, cut, &own, &options)
                    });
                }
                _ => out.extend_from_slice(child.whole),
            }
        }
    });
    out
}

fn write_trak(
    out: &mut Vec<u8>,
    trak: &[u8],
    cut: &Cut,
    chunks: &[&OutChunk],
    options: &TableOptions,
) {
    for child in children(trak).flatten() {
        match &child.kind {
            b"tkhd" => {
                copy_with_duration(out, child, 20, 28, cut.gap + cut.shown);
                write_edits(out, cut.gap, cut.shown, cut.media_time);
            }
            // Replaced above; references may name tracks that are left out.
            b"edts" | b"tref" => {}
            b"mdia" => boxed(out, b"mdia", |out| {
                for child in children(child.payload).flatten() {
                    match &child.kind {
                        b"mdhd" => {
                            let media: u64 =
                                cut.samples().iter().map(|s| u64::from(s.duration)).sum();
                            copy_with_duration(out, child, 16, 24, media);
                        }
                        b"minf" => boxed(out, b"minf", |out| {
                            write_minf(out, child.payload, cut, chunks, options)
                        }),
                        _ => out.extend_from_slice(child.whole),
                    }
                }
            }),
            _ => out.extend_from_slice(child.whole),
        }
    }
}

fn write_minf(
    out: &mut Vec<u8>,
    minf: &[u8],
    cut: &Cut,
    chunks: &[&OutChunk],
    options: &TableOptions,
) {
    for child in children(minf).flatten() {
        if &child.kind == b"stbl" {
            // Only the sample description is kept; every other table
            // (including per-sample ones such as sdtp or sbgp) would
            // describe samples that are gone.
            boxed(out, b"stbl", |out| {
                out.extend_from_slice(&cut.track.table.stsd);
                write_tables(out, cut.samples(), chunks, options);
            });
        } else {
            out.extend_from_slice(child.whole);
        }
    }
}

/// Copies a header box (`mvhd`, `tkhd`, `mdhd`) with a new duration; the
/// field sits at `v0_at` or `v1_at` bytes into the payload by version.
fn copy_with_duration(out: &mut Vec<u8>, child: Child, v0_at: usize, v1_at: usize, duration: u64) {
    let start = out.len() + (child.whole.len() - child.payload.len());
    out.extend_from_slice(child.whole);
    let box_bytes = &mut out[start..];
    if child.payload.first() == Some(&1) {
        if let Some(field) = box_bytes.get_mut(v1_at..v1_at + 8) {
            field.copy_from_slice(&duration.to_be_bytes());
        }
    } else if let Some(field) = box_bytes.get_mut(v0_at..v0_at + 4) {
        let narrow = u32::try_from(duration).unwrap_or(u32::MAX - 1);
        field.copy_from_slice(&narrow.to_be_bytes());
    }
}
