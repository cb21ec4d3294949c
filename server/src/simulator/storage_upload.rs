//! One upload address handed out by `initiate`, and the pieces of the
//! storage protocol around it: names, ETags, request bodies.

use std::collections::BTreeMap;
use std::time::Instant;

use bytes::Bytes;
use serde::Deserialize;

use super::storage_room::Holdings;

#[derive(Debug)]
pub struct Upload {
    pub signature: String,
    pub expires: Instant,
    pub content_type: String,
    pub file_name: String,
    pub multipart: bool,
    pub parts: BTreeMap<u32, (String, Bytes)>,
    /// Parts were dropped to make room (complete then says so).
    pub dropped: bool,
}

impl Upload {
    pub fn new(
        signature: String,
        expires: Instant,
        content_type: String,
        file_name: String,
        multipart: bool,
    ) -> Self {
        Self {
            signature,
            expires,
            content_type,
            file_name,
            multipart,
            parts: BTreeMap::new(),
            dropped: false,
        }
    }

    /// Bytes of every part but `number`.
    pub fn bytes_without(&self, number: u32) -> u64 {
        self.parts
            .iter()
            .filter(|(n, _)| **n != number)
            .map(|(_, (_, b))| b.len() as u64)
            .sum()
    }

    /// What part `number` costs now (0 if absent).
    pub fn part_cost(&self, number: u32) -> u64 {
        self.parts
            .get(&number)
            .map_or(0, |(_, b)| Holdings::part_cost(b.len()))
    }

    /// Frees every part; returns what they cost.
    pub fn drop_parts(&mut self) -> u64 {
        let cost = self
            .parts
            .values()
            .map(|(_, b)| Holdings::part_cost(b.len()))
            .sum();
        if !self.parts.is_empty() {
            self.dropped = true;
        }
        self.parts.clear();
        cost
    }
}

#[derive(Deserialize)]
pub struct InitiateBody {
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub file_name: Option<String>,
}

#[derive(Deserialize)]
pub struct CompleteBody {
    pub parts: Vec<PartRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartRef {
    pub part_number: u32,
    pub etag: String,
}

/// Keeps names URL-safe; fal's CDN does something similar.
pub fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    match cleaned.trim_matches('.') {
        "" => "upload.bin".to_owned(),
        name => name.to_owned(),
    }
}

pub fn etag_of(bytes: &[u8]) -> String {
    // FNV-1a: an ETag only needs to tell parts apart, not resist attackers.
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}{:08x}", bytes.len())
}
