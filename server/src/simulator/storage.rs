//! Simulated storage: `initiate` hands out a signed, expiring upload URL
//! on this server; the browser `PUT`s the bytes there (single) or in numbered
//! parts and then `POST`s `complete` (multipart, as fal-js does above
//! 90 MiB). Files are kept in memory.
//!
//! Memory is bounded by `--sim-storage`, counting everything an uploader
//! can make the simulator hold: stored files, parts of unfinished uploads,
//! and a fixed overhead per file and part (so a flood of tiny ones cannot
//! grow the maps without limit). When room is needed the oldest holdings
//! go first; parts of expired uploads are freed as soon as they are seen,
//! and the number of upload addresses handed out is capped.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use bytes::{Bytes, BytesMut};
use serde_json::{json, Value};

pub use super::storage_room::StorageError;
use super::storage_room::{fail, Holdings};
use super::storage_upload::{etag_of, safe_name, CompleteBody, InitiateBody, Upload};

/// Upload addresses kept at once; the one expiring first goes beyond this.
const MAX_UPLOADS: usize = 10_000;
/// How long an expired upload address is remembered (answering "expired"
/// rather than "no such upload"); its bytes are freed at once.
const EXPIRED_KEPT: Duration = Duration::from_secs(600);
/// Longest content type taken at initiate.
const MAX_CONTENT_TYPE: usize = 255;

/// A stored file, served at `/sim/files/<token>/<name>`.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub bytes: Bytes,
    pub content_type: String,
    pub name: String,
}

#[derive(Debug)]
pub struct Storage {
    uploads: HashMap<String, Upload>,
    files: HashMap<String, StoredFile>,
    room: Holdings,
    pub max_file: u64,
}

impl Storage {
    pub fn new(capacity: u64, max_file: u64) -> Self {
        Self {
            uploads: HashMap::new(),
            files: HashMap::new(),
            room: Holdings::new(capacity),
            max_file,
        }
    }

    /// Bytes held now, overheads included (never above `--sim-storage`).
    pub fn used(&self) -> u64 {
        self.room.used()
    }

    /// `initiate` / `initiate-multipart`: `{upload_url, file_url}`.
    pub fn initiate(
        &mut self,
        body: &[u8],
        multipart: bool,
        origin: &str,
        ttl: Duration,
        now: Instant,
    ) -> Result<Value, StorageError> {
        let body: InitiateBody = serde_json::from_slice(body).map_err(|e| {
            fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Invalid body: {e}"),
            )
        })?;
        let content_type = body
            .content_type
            .unwrap_or_else(|| "application/octet-stream".to_owned());
        if content_type.len() > MAX_CONTENT_TYPE {
            return Err(fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("content_type is longer than {MAX_CONTENT_TYPE} characters"),
            ));
        }
        self.sweep(now, true);
        if self.uploads.len() >= MAX_UPLOADS {
            let first = self.uploads.iter().min_by_key(|(_, u)| u.expires);
            if let Some(token) = first.map(|(t, _)| t.clone()) {
                self.forget_upload(&token);
            }
        }
        let token = uuid::Uuid::new_v4().simple().to_string();
        let signature = uuid::Uuid::new_v4().simple().to_string();
        let name = safe_name(body.file_name.as_deref().unwrap_or("upload.bin"));
        let kind = if multipart { "multipart" } else { "upload" };
        let reply = json!({
            "upload_url": format!("{origin}/sim/storage/{kind}/{token}?sig={signature}"),
            "file_url": format!("{origin}/sim/files/{token}/{name}"),
        });
        self.uploads.insert(
            token,
            Upload::new(signature, now + ttl, content_type, name, multipart),
        );
        Ok(reply)
    }

    fn upload(
        &mut self,
        token: &str,
        signature: Option<&str>,
        multipart: bool,
        now: Instant,
    ) -> Result<&mut Upload, StorageError> {
        self.sweep(now, false);
        let upload = self
            .uploads
            .get_mut(token)
            .filter(|u| u.multipart == multipart)
            .ok_or_else(|| fail(StatusCode::NOT_FOUND, "No such upload"))?;
        if signature != Some(upload.signature.as_str()) {
            return Err(fail(StatusCode::FORBIDDEN, "Invalid signature"));
        }
        if now >= upload.expires {
            return Err(fail(StatusCode::FORBIDDEN, "Request has expired"));
        }
        Ok(upload)
    }

    /// Before a byte `PUT`'s body is read: the signature, the expiry, and
    /// how many bytes this body may have (413 if it declared more).
    pub fn body_limit(
        &mut self,
        token: &str,
        signature: Option<&str>,
        part: Option<u32>,
        declared: Option<u64>,
        now: Instant,
    ) -> Result<u64, StorageError> {
        let max_file = self.max_file;
        let capacity = self.room.capacity();
        let upload = self.upload(token, signature, part.is_some(), now)?;
        let others = part.map_or(0, |n| upload.bytes_without(n));
        let limit = max_file.saturating_sub(others).min(capacity);
        if declared.is_some_and(|n| n > limit) {
            return Err(fail(StatusCode::PAYLOAD_TOO_LARGE, "File too large"));
        }
        Ok(limit)
    }

    /// The single byte `PUT`.
    pub fn put(
        &mut self,
        token: &str,
        signature: Option<&str>,
        bytes: Bytes,
        content_type: Option<&str>,
        now: Instant,
    ) -> Result<(), StorageError> {
        let upload = self.upload(token, signature, false, now)?;
        if upload.content_type == "application/octet-stream" {
            if let Some(ct) = content_type.filter(|ct| ct.len() <= MAX_CONTENT_TYPE) {
                upload.content_type = ct.to_owned();
            }
        }
        let file = StoredFile {
            bytes,
            content_type: upload.content_type.clone(),
            name: upload.file_name.clone(),
        };
        self.store(token, file)
    }

    /// A multipart part: returns its ETag.
    pub fn put_part(
        &mut self,
        token: &str,
        number: u32,
        signature: Option<&str>,
        bytes: Bytes,
        now: Instant,
    ) -> Result<String, StorageError> {
        if !(1..=10_000).contains(&number) {
            return Err(fail(
                StatusCode::BAD_REQUEST,
                "Part numbers run from 1 to 10000",
            ));
        }
        let max_file = self.max_file;
        let upload = self.upload(token, signature, true, now)?;
        if upload.bytes_without(number) + bytes.len() as u64 > max_file {
            return Err(fail(StatusCode::PAYLOAD_TOO_LARGE, "File too large"));
        }
        let replaced = upload.part_cost(number);
        let cost = Holdings::part_cost(bytes.len());
        self.make_room(cost.saturating_sub(replaced), token)?;
        let etag = etag_of(&bytes);
        let upload = self.uploads.get_mut(token).expect("checked above");
        let first = upload.parts.is_empty();
        upload.parts.insert(number, (etag.clone(), bytes));
        self.room.add(cost);
        self.room.remove(replaced);
        if first {
            self.room.push(token);
        }
        Ok(etag)
    }

    /// `complete`: checks the listed parts and joins them into the file.
    pub fn complete(
        &mut self,
        token: &str,
        signature: Option<&str>,
        body: &[u8],
        origin: &str,
        now: Instant,
    ) -> Result<Value, StorageError> {
        let body: CompleteBody = serde_json::from_slice(body)
            .map_err(|e| fail(StatusCode::BAD_REQUEST, format!("Invalid body: {e}")))?;
        if let Some(file) = self.files.get(token) {
            // Completing twice (a retried request) gives the same file.
            return Ok(json!({ "file_url": format!("{origin}/sim/files/{token}/{}", file.name) }));
        }
        let upload = self.upload(token, signature, true, now)?;
        if body.parts.is_empty() {
            return Err(fail(StatusCode::BAD_REQUEST, "No parts listed"));
        }
        let mut joined = BytesMut::new();
        let mut previous = 0;
        for part in &body.parts {
            if part.part_number <= previous {
                return Err(fail(
                    StatusCode::BAD_REQUEST,
                    "Parts must be listed in ascending order",
                ));
            }
            previous = part.part_number;
            match upload.parts.get(&part.part_number) {
                Some((etag, bytes)) if etag == part.etag.trim_matches('"') => {
                    joined.extend_from_slice(bytes)
                }
                Some(_) => {
                    return Err(fail(
                        StatusCode::BAD_REQUEST,
                        format!("ETag of part {} does not match", part.part_number),
                    ))
                }
                None if upload.dropped => {
                    return Err(fail(
                        StatusCode::BAD_REQUEST,
                        format!(
                            "Part {} was dropped to make room for newer uploads (--sim-storage)",
                            part.part_number
                        ),
                    ))
                }
                None => {
                    return Err(fail(
                        StatusCode::BAD_REQUEST,
                        format!("Part {} was never uploaded", part.part_number),
                    ))
                }
            }
        }
        let file = StoredFile {
            bytes: joined.freeze(),
            content_type: upload.content_type.clone(),
            name: upload.file_name.clone(),
        };
        let name = file.name.clone();
        self.free_parts(token);
        self.store(token, file)?;
        Ok(json!({ "file_url": format!("{origin}/sim/files/{token}/{name}") }))
    }

    fn store(&mut self, token: &str, file: StoredFile) -> Result<(), StorageError> {
        let size = file.bytes.len() as u64;
        if size > self.max_file {
            return Err(fail(StatusCode::PAYLOAD_TOO_LARGE, "File too large"));
        }
        if let Some(old) = self.files.remove(token) {
            self.room.remove(Holdings::file_cost(old.bytes.len()));
            self.room.forget(token);
        }
        let cost = Holdings::file_cost(file.bytes.len());
        self.make_room(cost, token)?;
        self.room.add(cost);
        self.room.push(token);
        self.files.insert(token.to_owned(), file);
        Ok(())
    }

    /// Frees the oldest holdings (other than `keep`'s) until `cost` fits.
    fn make_room(&mut self, cost: u64, keep: &str) -> Result<(), StorageError> {
        while !self.room.fits(cost) {
            let Some(oldest) = self.room.oldest_except(keep) else {
                return Err(fail(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "This upload does not fit in the simulator's storage (--sim-storage)",
                ));
            };
            if let Some(file) = self.files.remove(&oldest) {
                self.room.remove(Holdings::file_cost(file.bytes.len()));
            }
            if let Some(upload) = self.uploads.get_mut(&oldest) {
                let freed = upload.drop_parts();
                self.room.remove(freed);
            }
        }
        Ok(())
    }

    fn free_parts(&mut self, token: &str) {
        if let Some(upload) = self.uploads.get_mut(token) {
            let freed = upload.drop_parts();
            upload.dropped = false;
            self.room.remove(freed);
        }
        if !self.files.contains_key(token) {
            self.room.forget(token);
        }
    }

    fn forget_upload(&mut self, token: &str) {
        self.free_parts(token);
        self.uploads.remove(token);
    }

    /// Frees the parts of expired uploads and forgets long-expired ones;
    /// at most once a second unless `now_anyway`.
    fn sweep(&mut self, now: Instant, now_anyway: bool) {
        if !self.room.sweep_due(now) && !now_anyway {
            return;
        }
        let expired: Vec<(String, bool)> = self
            .uploads
            .iter()
            .filter(|(_, u)| {
                now >= u.expires && (!u.parts.is_empty() || now >= u.expires + EXPIRED_KEPT)
            })
            .map(|(t, u)| (t.clone(), now >= u.expires + EXPIRED_KEPT))
            .collect();
        for (token, forget) in expired {
            if forget {
                self.forget_upload(&token);
            } else {
                self.free_parts(&token);
            }
        }
        let files = &self.files;
        let uploads = &self.uploads;
        self.room.compact(|t| {
            files.contains_key(t) || uploads.get(t).is_some_and(|u| !u.parts.is_empty())
        });
    }

    /// A stored file by token and name.
    pub fn file(&self, token: &str, name: &str) -> Option<StoredFile> {
        self.files.get(token).filter(|f| f.name == name).cloned()
    }

    pub fn clear(&mut self) {
        self.uploads.clear();
        self.files.clear();
        self.room = Holdings::new(self.room.capacity());
    }
}

#[cfg(test)]
#[path = "storage_tests.rs"]
mod tests;
