//! Uploading a local reference file to fal's storage, as a plan the web
//! layer carries out step by step.
//!
//! As fal-js does it (docs/fal-protocol.md §8.2, §8.3): a file up to 90 MiB is one
//! `initiate` then one `PUT` of the bytes; a larger one (`size > 90 MiB`,
//! fal-js's exact test) is `initiate-multipart`, `PUT`s of 10 MiB parts
//! numbered from 1, then `complete` with every part's etag. Only the
//! initiate calls go through a proxy; the byte transfers and `complete` go
//! straight to the storage host, without the key. The file URL that goes
//! into the model input is the `file_url` the initiate call returned.

use std::num::NonZeroUsize;

use serde_json::Value;

use crate::core::fal::base_url::BaseUrl;
use crate::core::fal::calls::{self, BadUploadUrl, CompletedPart, FalCall};
use crate::core::fal::classify::classify;
use crate::core::fal::error::FalError;
use crate::core::fal::http::HttpResponse;
use crate::core::url;

/// Above this size a file goes in parts (fal-js: `size > 90 * 1024 * 1024`).
pub const MULTIPART_THRESHOLD_BYTES: u64 = 90 * 1024 * 1024;
/// Size of every part but the last (fal-js: 10 MiB).
pub const PART_SIZE_BYTES: u64 = 10 * 1024 * 1024;
/// Parts in flight at once by default. fal-js sends them one by one; the
/// Python client runs 10. Measured with `scripts/bench-upload` (95 MiB,
/// 10 parts, headless Chromium, loopback; docs/performance.md "Uploads"),
/// app time from initiate to complete, 3 / 4 in flight, medians of 5 to 7
/// per run, on 2 cores shared with other builds (load average 4 to 10, so
/// single figures move by ±20 %):
///
/// | run | plain loopback | storage answers each part after 150 ms |
/// |---|---|---|
/// | 2026-11-24 | 890 / 897 ms | 1445 / 1280 ms |
/// | 2026-12-07 00:35 | 815 / 785 ms | 1035 / 904 ms |
/// | 2026-12-07 00:41 | 689 / 886 ms | 1108 / 801 ms |
/// | 2026-12-07 00:54 | 1210 / 775 ms | 1452 / 1017 ms |
/// | 2026-12-07 01:00 | 601 / 849 ms | 1229 / 1317 ms |
/// | 2026-12-07 01:04 | 1046 / 1150 ms | 1053 / 1159 ms |
/// | 2026-12-07 01:09 | 733 / 758 ms | 1061 / 1262 ms |
///
/// On loopback the two cores are the limit and 3 and 4 trade places from
/// run to run (with late answers 4 was quicker in four runs of seven; the
/// app's ratio to bare `XMLHttpRequest`s ranged 0.79 to 1.04 at 4 and 0.86
/// to 0.94 at 3 over the runs of 2026-12-07). What decides is a real
/// storage host, where each part costs a round trip more than bytes: ten
/// parts go in three rounds at 4 and four rounds at 3. Four stays within
/// the browser's six connections per host, and memory does not grow with it
/// (parts are `Blob` slices read from disk).
pub const DEFAULT_PART_CONCURRENCY: usize = 4;

/// A local-storage setting for benchmarks only (`scripts/bench-upload`
/// measures 1, 3 and 4 parts in flight through the real app): the number of
/// parts in flight, 1 to 8.
pub const PART_CONCURRENCY_OVERRIDE_KEY: &str = "wan-r2v-studio.bench.upload-part-concurrency";

/// Parts of one file in flight at once: the benchmark setting when it is
/// a number from 1 to 8, otherwise the measured default.
pub fn part_concurrency(setting: Option<&str>) -> NonZeroUsize {
    let chosen = setting
        .and_then(|text| text.trim().parse::<usize>().ok())
        .filter(|n| (1..=8).contains(n))
        .unwrap_or(DEFAULT_PART_CONCURRENCY);
    NonZeroUsize::new(chosen).unwrap_or(NonZeroUsize::MIN)
}

/// The local file, as the browser describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    pub name: String,
    /// `File.type`; empty when the browser does not know.
    pub content_type: String,
    pub size: u64,
}

/// One part: bytes `start..end` of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartRange {
    /// From 1.
    pub part_number: u32,
    pub start: u64,
    pub end: u64,
}

/// What fal's storage answered to initiate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadTarget {
    /// Where the bytes go (a signed URL on the storage host).
    pub upload_url: String,
    /// Where the file will be readable: this goes into the model input.
    pub file_url: String,
}

/// The whole upload of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadPlan {
    pub content_type: String,
    pub file_name: String,
    pub size: u64,
    /// Empty for a single `PUT`.
    pub parts: Vec<PartRange>,
    /// How many part `PUT`s may be in flight at once.
    pub concurrency: NonZeroUsize,
}

impl UploadPlan {
    pub fn new(file: &LocalFile, concurrency: NonZeroUsize) -> Self {
        let content_type = match file.content_type.trim() {
            "" => "application/octet-stream".to_owned(),
            known => known.to_owned(),
        };
        let file_name = match file.name.trim() {
            "" => format!("upload.{}", extension_for(&content_type)),
            name => name.to_owned(),
        };
        let parts = if file.size > MULTIPART_THRESHOLD_BYTES {
            (0..file.size.div_ceil(PART_SIZE_BYTES))
                .map(|i| PartRange {
                    part_number: u32::try_from(i + 1).expect("a 100 MB file has few parts"),
                    start: i * PART_SIZE_BYTES,
                    end: ((i + 1) * PART_SIZE_BYTES).min(file.size),
                })
                .collect()
        } else {
            Vec::new()
        };
        Self {
            content_type,
            file_name,
            size: file.size,
            parts,
            concurrency,
        }
    }

    pub fn is_multipart(&self) -> bool {
        !self.parts.is_empty()
    }

    /// The first call: routed like any fal call (through a proxy if any).
    pub fn initiate(&self, rest: &BaseUrl) -> FalCall {
        if self.is_multipart() {
            calls::initiate_multipart(rest, &self.content_type, &self.file_name)
        } else {
            calls::storage_initiate(rest, &self.content_type, &self.file_name)
        }
    }

    /// Reads the initiate answer (`{upload_url, file_url}`).
    pub fn parse_initiate(
        response: &HttpResponse,
        now_unix_secs: u64,
    ) -> Result<UploadTarget, FalError> {
        let body: Option<Value> = serde_json::from_str(&response.body).ok();
        let text = |key: &str| {
            body.as_ref()
                .and_then(|b| b.get(key))
                .and_then(Value::as_str)
                .map(|s| s.trim().to_owned())
        };
        match (response.is_success(), text("upload_url"), text("file_url")) {
            (true, Some(upload_url), Some(file_url)) => {
                for (name, value) in [("upload_url", &upload_url), ("file_url", &file_url)] {
                    if !url::is_web_url(value) {
                        let mut error = FalError::malformed(format!(
                            "the storage {name} {value:?} is not an http(s) link"
                        ));
                        error.http_status = Some(response.status);
                        return Err(error);
                    }
                }
                Ok(UploadTarget {
                    upload_url,
                    file_url,
                })
            }
            _ => Err(classify(
                response,
                now_unix_secs,
                "expected an upload address",
            )),
        }
    }

    /// The byte transfers, straight to the storage host: one `PUT`, or one
    /// per part in part order (run at most `concurrency` at once).
    pub fn transfers(&self, target: &UploadTarget) -> Result<Vec<FalCall>, FalError> {
        let calls = if self.is_multipart() {
            self.parts
                .iter()
                .map(|p| calls::upload_part(&target.upload_url, p.part_number, p.start, p.end))
                .collect::<Result<Vec<_>, _>>()
        } else {
            calls::upload_file(&target.upload_url, self.size, &self.content_type).map(|c| vec![c])
        };
        calls.map_err(bad_upload_url)
    }

    /// Reads a part's answer. fal-js reads the JSON body `{partNumber,
    /// etag}`; fal's Python client reads the `ETag` header (for a different
    /// storage API). Which one this storage sends is unconfirmed, so either
    /// is accepted, the body first.
    pub fn parse_part(
        part_number: u32,
        response: &HttpResponse,
        now_unix_secs: u64,
    ) -> Result<CompletedPart, FalError> {
        if !response.is_success() {
            return Err(classify(response, now_unix_secs, "expected a part receipt"));
        }
        let body: Option<Value> = serde_json::from_str(&response.body).ok();
        let from_body = body.as_ref().and_then(|b| {
            let number = b.get("partNumber").and_then(Value::as_u64);
            let etag = b.get("etag").and_then(Value::as_str)?;
            (number.is_none() || number == Some(u64::from(part_number))).then_some(etag)
        });
        let etag = from_body
            .or_else(|| response.header("etag"))
            .filter(|e| !e.is_empty());
        match etag {
            Some(etag) => Ok(CompletedPart {
                part_number,
                etag: etag.to_owned(),
            }),
            None => {
                let mut error = FalError::malformed(format!(
                    "part {part_number} was stored but no etag came back (neither in the body nor \
                     in an ETag header the browser may read)"
                ));
                error.http_status = Some(response.status);
                Err(error)
            }
        }
    }

    /// The `complete` call, once every part has its etag. Parts may arrive
    /// in any order; missing or duplicate parts are refused, since fal would
    /// assemble a broken file.
    pub fn complete(
        &self,
        target: &UploadTarget,
        received: &[CompletedPart],
    ) -> Result<FalCall, FalError> {
        let mut parts = received.to_vec();
        parts.sort_by_key(|p| p.part_number);
        let numbers: Vec<u32> = parts.iter().map(|p| p.part_number).collect();
        let expected: Vec<u32> = self.parts.iter().map(|p| p.part_number).collect();
        if numbers != expected {
            return Err(FalError::malformed(format!(
                "the upload has parts {numbers:?} but needs {expected:?}"
            )));
        }
        calls::complete_multipart(&target.upload_url, &parts).map_err(bad_upload_url)
    }

    /// Reads the answer to a whole-file `PUT` or to `complete`: any 2xx
    /// means stored.
    pub fn parse_transfer(response: &HttpResponse, now_unix_secs: u64) -> Result<(), FalError> {
        if response.is_success() {
            Ok(())
        } else {
            Err(classify(
                response,
                now_unix_secs,
                "expected the upload to be stored",
            ))
        }
    }
}

fn bad_upload_url(error: BadUploadUrl) -> FalError {
    FalError::malformed(error.to_string().trim_end_matches('.').to_owned())
}

/// fal-js names a nameless blob `<timestamp>.<ext>`; we need only the ext.
fn extension_for(content_type: &str) -> &str {
    match content_type {
        "image/jpeg" => "jpg",
        "video/quicktime" => "mov",
        other => other
            .split_once('/')
            .map(|(_, sub)| sub.split([';', '+']).next().unwrap_or(sub))
            .filter(|ext| !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric()))
            .unwrap_or("bin"),
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
