//! A track's sample table (`stbl`) unrolled into one entry per sample:
//! where its bytes are, when it is decoded and shown, and whether it is a
//! keyframe. Counts come from the file, so each table's stated length is
//! checked against its box before anything is allocated.

use super::boxes::{children, FourCc};
use super::bytes::ByteReader;
use super::trim_refusal::TrimRefusal;

/// More samples than this in one track is taken for a hostile header: it is
/// over 18 hours of 30 fps video, and would cost hundreds of MB to unroll.
pub const MAX_SAMPLES: usize = 2_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// Where the sample's bytes start in the file.
    pub offset: u64,
    pub size: u32,
    /// Decode time, in the track's media timescale.
    pub dts: i64,
    pub duration: u32,
    /// Composition (display) time minus decode time.
    pub cts_offset: i32,
    pub sync: bool,
    /// Index of the chunk holding it, from 0.
    pub chunk: u32,
}

impl Sample {
    pub fn cts(&self) -> i64 {
        self.dts + i64::from(self.cts_offset)
    }
}

/// The unrolled table, with what the rewrite needs to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleTable {
    pub samples: Vec<Sample>,
    /// Each chunk's sample description index (from `stsc`).
    pub chunk_descriptions: Vec<u32>,
    /// The `stsd` box, whole, kept as it is.
    pub stsd: Vec<u8>,
    /// The first sample description's type (`avc1`, `mp4a`, ...).
    pub codecs: Vec<FourCc>,
    /// Whether the file has `ctts` (and which version), and `stss`.
    pub ctts_version: Option<u8>,
    pub has_stss: bool,
}

fn malformed(what: &str) -> TrimRefusal {
    TrimRefusal::Malformed(what.to_string())
}

/// A full box's entry count, checked against the bytes left for entries.
fn counted<'a>(
    payload: &'a [u8],
    skip: usize,
    entry: usize,
    name: &str,
) -> Result<(ByteReader<'a>, usize), TrimRefusal> {
    let mut r = ByteReader::new(payload);
    r.skip(skip)
        .ok_or_else(|| malformed(&format!("{name} is cut short")))?;
    let count = r
        .u32()
        .ok_or_else(|| malformed(&format!("{name} is cut short")))? as usize;
    if count
        .checked_mul(entry)
        .is_none_or(|need| need > r.remaining())
    {
        return Err(malformed(&format!(
            "{name} states {count} entries but holds fewer"
        )));
    }
    Ok((r, count))
}

pub fn read_sample_table(stbl: &[u8], file_len: u64) -> Result<SampleTable, TrimRefusal> {
    let mut parts: [Option<&[u8]>; 9] = Default::default();
    let mut stsd_whole = None;
    let mut ctts_version = None;
    let mut sizes_are_compact = false;
    for child in children(stbl) {
        let child = child.map_err(TrimRefusal::Malformed)?;
        let slot = match &child.kind {
            b"stsd" => {
                stsd_whole = Some(child.whole);
                0
            }
            b"stts" => 1,
            b"ctts" => {
                ctts_version = child.payload.first().copied();
                2
            }
            b"stss" => 3,
            b"stsc" => 4,
            b"stsz" => 5,
            b"stz2" => {
                sizes_are_compact = true;
                5
            }
            b"stco" => 6,
            b"co64" => 7,
            _ => continue,
        };
        parts[slot] = Some(child.payload);
    }
    let [Some(stsd), Some(stts), ctts, stss, Some(stsc), Some(sizes), stco, co64, _] = parts else {
        return Err(TrimRefusal::NoSampleIndex);
    };
    let sizes = if sizes_are_compact {
        read_stz2(sizes)?
    } else {
        read_stsz(sizes)?
    };
    if sizes.is_empty() {
        return Err(TrimRefusal::NoSampleIndex);
    }
    let chunk_offsets = match (stco, co64) {
        (_, Some(co64)) => read_offsets(co64, 8)?,
        (Some(stco), None) => read_offsets(stco, 4)?,
        (None, None) => return Err(TrimRefusal::NoSampleIndex),
    };
    let codecs = read_codecs(stsd)?;
    let mut samples: Vec<Sample> = Vec::with_capacity(sizes.len());
    let chunk_descriptions = place_in_chunks(stsc, &chunk_offsets, &sizes, file_len, &mut samples)?;
    apply_times(stts, &mut samples)?;
    if let Some(ctts) = ctts {
        apply_composition_offsets(ctts, &mut samples)?;
    }
    match stss {
        Some(stss) => apply_sync(stss, &mut samples)?,
        None => samples.iter_mut().for_each(|s| s.sync = true),
    }
    Ok(SampleTable {
        samples,
        chunk_descriptions,
        stsd: stsd_whole.unwrap_or_default().to_vec(),
        codecs,
        ctts_version: ctts.and(ctts_version),
        has_stss: stss.is_some(),
    })
}

fn read_stsz(payload: &[u8]) -> Result<Vec<u32>, TrimRefusal> {
    let mut r = ByteReader::new(payload);
    let (Some(_), Some(constant), Some(count)) = (r.version_and_flags(), r.u32(), r.u32()) else {
        return Err(malformed("stsz is cut short"));
    };
    let count = count as usize;
    if count > MAX_SAMPLES {
        return Err(malformed(&format!("a track states {count} samples")));
    }
    if constant != 0 {
        return Ok(vec![constant; count]);
    }
    let (mut r, count) = counted(payload, 8, 4, "stsz")?;
    (0..count)
        .map(|_| r.u32().ok_or_else(|| malformed("stsz")))
        .collect()
}

fn read_stz2(payload: &[u8]) -> Result<Vec<u32>, TrimRefusal> {
    let field = *payload
        .get(7)
        .ok_or_else(|| malformed("stz2 is cut short"))?;
    let bits = match field {
        4 | 8 | 16 => usize::from(field),
        other => return Err(malformed(&format!("stz2 has {other}-bit sizes"))),
    };
    let mut r = ByteReader::new(payload);
    r.skip(8).ok_or_else(|| malformed("stz2 is cut short"))?;
    let count = r.u32().ok_or_else(|| malformed("stz2 is cut short"))? as usize;
    if count > MAX_SAMPLES || (count * bits).div_ceil(8) > r.remaining() {
        return Err(malformed(&format!(
            "stz2 states {count} samples but holds fewer"
        )));
    }
    let mut sizes = Vec::with_capacity(count);
    while sizes.len() < count {
        match bits {
            4 => {
                let b = r.u8().unwrap_or(0);
                sizes.push(u32::from(b >> 4));
                if sizes.len() < count {
                    sizes.push(u32::from(b & 0x0f));
                }
            }
            8 => sizes.push(u32::from(r.u8().unwrap_or(0))),
            _ => sizes.push(u32::from(r.u16().unwrap_or(0))),
        }
    }
    Ok(sizes)
}

fn read_offsets(payload: &[u8], width: usize) -> Result<Vec<u64>, TrimRefusal> {
    let name = if width == 8 { "co64" } else { "stco" };
    let (mut r, count) = counted(payload, 4, width, name)?;
    (0..count)
        .map(|_| {
            let offset = if width == 8 {
                r.u64()
            } else {
                r.u32().map(u64::from)
            };
            offset.ok_or_else(|| malformed(name))
        })
        .collect()
}

fn read_codecs(stsd: &[u8]) -> Result<Vec<FourCc>, TrimRefusal> {
    let mut r = ByteReader::new(stsd);
    r.skip(8).ok_or_else(|| malformed("stsd is cut short"))?;
    let entries = stsd.get(8..).unwrap_or_default();
    let codecs: Vec<FourCc> = children(entries).flatten().map(|c| c.kind).collect();
    if codecs.is_empty() {
        return Err(malformed("stsd describes no samples"));
    }
    Ok(codecs)
}

/// Lays the samples out in their chunks (`stsc` over `stco`/`co64`) and
/// returns each chunk's sample description index.
fn place_in_chunks(
    stsc: &[u8],
    chunk_offsets: &[u64],
    sizes: &[u32],
    file_len: u64,
    samples: &mut Vec<Sample>,
) -> Result<Vec<u32>, TrimRefusal> {
    let (mut r, count) = counted(stsc, 4, 12, "stsc")?;
    let mut runs = Vec::with_capacity(count);
    for _ in 0..count {
        let (Some(first), Some(per_chunk), Some(description)) = (r.u32(), r.u32(), r.u32()) else {
            return Err(malformed("stsc is cut short"));
        };
        if first == 0 || runs.last().is_some_and(|&(prev, _, _)| first <= prev) {
            return Err(malformed("stsc's chunk numbers do not increase"));
        }
        runs.push((first, per_chunk, description));
    }
    if runs.first().is_none_or(|run| run.0 != 1) {
        return Err(malformed("stsc does not start at the first chunk"));
    }
    let mut descriptions = Vec::with_capacity(chunk_offsets.len());
    let mut run = 0;
    for (chunk, &chunk_offset) in chunk_offsets.iter().enumerate() {
        let number = chunk as u32 + 1;
        while runs.get(run + 1).is_some_and(|next| next.0 <= number) {
            run += 1;
        }
        let (_, per_chunk, description) = runs[run];
        descriptions.push(description);
        let mut offset = chunk_offset;
        for _ in 0..per_chunk {
            let Some(&size) = sizes.get(samples.len()) else {
                break;
            };
            let end = offset
                .checked_add(u64::from(size))
                .filter(|&end| end <= file_len);
            let Some(end) = end else {
                return Err(malformed(
                    "the sample index points past the end of the file",
                ));
            };
            samples.push(Sample {
                offset,
                size,
                dts: 0,
                duration: 0,
                cts_offset: 0,
                sync: false,
                chunk: chunk as u32,
            });
            offset = end;
        }
    }
    if samples.len() != sizes.len() {
        return Err(malformed("the chunks hold fewer samples than stsz lists"));
    }
    Ok(descriptions)
}

fn apply_times(stts: &[u8], samples: &mut [Sample]) -> Result<(), TrimRefusal> {
    let (mut r, count) = counted(stts, 4, 8, "stts")?;
    let mut next = samples.iter_mut();
    let mut dts = 0i64;
    for _ in 0..count {
        let (Some(run), Some(delta)) = (r.u32(), r.u32()) else {
            break;
        };
        for _ in 0..run {
            let Some(sample) = next.next() else { break };
            sample.dts = dts;
            sample.duration = delta;
            dts += i64::from(delta);
        }
    }
    if next.next().is_some() {
        return Err(malformed("stts times fewer samples than stsz lists"));
    }
    Ok(())
}

fn apply_composition_offsets(ctts: &[u8], samples: &mut [Sample]) -> Result<(), TrimRefusal> {
    let (mut r, count) = counted(ctts, 4, 8, "ctts")?;
    let mut next = samples.iter_mut();
    for _ in 0..count {
        let (Some(run), Some(offset)) = (r.u32(), r.i32()) else {
            break;
        };
        for _ in 0..run {
            let Some(sample) = next.next() else { break };
            sample.cts_offset = offset;
        }
    }
    Ok(())
}

fn apply_sync(stss: &[u8], samples: &mut [Sample]) -> Result<(), TrimRefusal> {
    let (mut r, count) = counted(stss, 4, 4, "stss")?;
    for _ in 0..count {
        let number = r.u32().unwrap_or(0) as usize;
        if let Some(sample) = number.checked_sub(1).and_then(|i| samples.get_mut(i)) {
            sample.sync = true;
        }
    }
    Ok(())
}
