//! How long a reference video is, learned by the server itself before it
//! reserves money: the MP4/MOV header read with at most two ranged GETs of
//! at most 1 MiB each (`wan_r2v_studio::core::media::probe` decides what
//! to read; [`fetch`] reads it). The simulator's own file URLs are read
//! from memory, the same way. Lengths found are remembered by URL.

pub mod address;
pub mod fetch;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use wan_r2v_studio::core::media::probe::{probe_duration, DurationProbe, PROBE_READ_LIMIT};

use self::fetch::{read_range, Chunk, FetchPolicy};
use crate::simulator::cdn::stored_bytes;
use crate::simulator::Simulator;

/// Reads per video, the first included.
const MAX_READS: usize = 2;
/// Lengths remembered; the map is emptied when it grows past this.
const CACHE_ENTRIES: usize = 4096;

#[derive(Debug)]
pub struct ReferenceProber {
    policy: FetchPolicy,
    /// With `--simulate`: its files are read from memory.
    simulator: Option<Arc<Simulator>>,
    known: Mutex<HashMap<String, u64>>,
}

/// Where the bytes come from.
enum Source<'a> {
    Http { url: String, policy: FetchPolicy },
    Memory(&'a [u8]),
}

impl Source<'_> {
    async fn read(&mut self, offset: u64, len: u64) -> Result<Chunk, String> {
        let len = len.clamp(1, PROBE_READ_LIMIT);
        match self {
            Source::Http { url, policy } => {
                let (chunk, final_url) = read_range(url, offset, len, *policy).await?;
                // A second read goes where the first ended up.
                *url = final_url.to_string();
                Ok(chunk)
            }
            Source::Memory(bytes) => {
                let total = bytes.len() as u64;
                let start = offset.min(total) as usize;
                let end = offset.saturating_add(len).min(total) as usize;
                Ok(Chunk {
                    offset,
                    bytes: bytes::Bytes::copy_from_slice(&bytes[start..end]),
                    file_len: Some(total),
                })
            }
        }
    }
}

/// Runs the sans-IO probe against `source`: the length in milliseconds, or
/// why it cannot be known.
async fn probe(mut source: Source<'_>) -> Result<u64, String> {
    let mut chunk = source.read(0, PROBE_READ_LIMIT).await?;
    for read in 1..=MAX_READS {
        match probe_duration(chunk.offset, &chunk.bytes, chunk.file_len) {
            DurationProbe::Seconds(seconds) => return Ok((seconds * 1000.0).round() as u64),
            DurationProbe::Unreadable(why) => return Err(why),
            DurationProbe::NeedBytes { offset, len } if read < MAX_READS => {
                chunk = source.read(offset, len).await?;
            }
            DurationProbe::NeedBytes { .. } => {}
        }
    }
    Err(format!(
        "its header is not within {MAX_READS} reads of 1 MiB"
    ))
}

impl ReferenceProber {
    pub fn new(policy: FetchPolicy, simulator: Option<Arc<Simulator>>) -> Self {
        Self {
            policy,
            simulator,
            known: Mutex::new(HashMap::new()),
        }
    }

    /// The video's length in milliseconds, or a sentence saying why the
    /// server cannot read it. `own_origin` is this server's origin, which
    /// the simulator's file URLs start with.
    pub async fn length_millis(&self, url: &str, own_origin: Option<&str>) -> Result<u64, String> {
        if let Some(millis) = self.known.lock().expect("probe cache").get(url) {
            return Ok(*millis);
        }
        let own = self.own_file(url, own_origin);
        let millis = match &own {
            Some(bytes) => probe(Source::Memory(bytes)).await?,
            None => {
                let source = Source::Http {
                    url: url.to_owned(),
                    policy: self.policy,
                };
                probe(source).await?
            }
        };
        let mut known = self.known.lock().expect("probe cache");
        if known.len() >= CACHE_ENTRIES {
            known.clear();
        }
        known.insert(url.to_owned(), millis);
        Ok(millis)
    }

    /// The bytes of one of the simulator's own files, if `url` is one.
    fn own_file(&self, url: &str, own_origin: Option<&str>) -> Option<bytes::Bytes> {
        let sim = self.simulator.as_ref()?;
        let base = format!("{}/sim/files/", own_origin?);
        let path = url.strip_prefix(&base)?;
        stored_bytes(sim, path.split(['?', '#']).next()?)
    }
}
