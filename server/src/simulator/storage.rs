//! Simulated fal storage: `initiate` hands out a signed, expiring upload URL
//! on this server; the browser `PUT`s the bytes there (single) or in numbered
//! parts and then `POST`s `complete` (multipart, as fal-js does above
//! 90 MiB). Files are kept in memory, bounded, oldest dropped first.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use bytes::{Bytes, BytesMut};
use serde::Deserialize;
use serde_json::{json, Value};

/// A failure: status and fal-style `{"detail": ...}` body.
pub type StorageError = (StatusCode, Value);

fn fail(status: StatusCode, detail: impl Into<String>) -> StorageError {
    (status, json!({ "detail": detail.into() }))
}

#[derive(Debug)]
struct Upload {
    signature: String,
    expires: Instant,
    content_type: String,
    file_name: String,
    multipart: bool,
    parts: BTreeMap<u32, (String, Bytes)>,
}

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
    order: VecDeque<String>,
    stored_bytes: u64,
    capacity: u64,
    pub max_file: u64,
}

#[derive(Deserialize)]
struct InitiateBody {
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    file_name: Option<String>,
}

#[derive(Deserialize)]
struct CompleteBody {
    parts: Vec<PartRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PartRef {
    part_number: u32,
    etag: String,
}

/// Keeps names URL-safe; fal's CDN does something similar.
fn safe_name(name: &str) -> String {
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

fn etag_of(bytes: &[u8]) -> String {
    // FNV-1a: an ETag only needs to tell parts apart, not resist attackers.
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}{:08x}", bytes.len())
}

impl Storage {
    pub fn new(capacity: u64, max_file: u64) -> Self {
        Self {
            uploads: HashMap::new(),
            files: HashMap::new(),
            order: VecDeque::new(),
            stored_bytes: 0,
            capacity,
            max_file,
        }
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
            Upload {
                signature,
                expires: now + ttl,
                content_type: body
                    .content_type
                    .unwrap_or_else(|| "application/octet-stream".to_owned()),
                file_name: name,
                multipart,
                parts: BTreeMap::new(),
            },
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
            if let Some(ct) = content_type {
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
        let so_far: u64 = upload
            .parts
            .iter()
            .filter(|(n, _)| **n != number)
            .map(|(_, (_, b))| b.len() as u64)
            .sum();
        if so_far + bytes.len() as u64 > max_file {
            return Err(fail(StatusCode::PAYLOAD_TOO_LARGE, "File too large"));
        }
        let etag = etag_of(&bytes);
        upload.parts.insert(number, (etag.clone(), bytes));
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
        self.store(token, file)?;
        Ok(json!({ "file_url": format!("{origin}/sim/files/{token}/{name}") }))
    }

    fn store(&mut self, token: &str, file: StoredFile) -> Result<(), StorageError> {
        let size = file.bytes.len() as u64;
        if size > self.max_file || size > self.capacity {
            return Err(fail(StatusCode::PAYLOAD_TOO_LARGE, "File too large"));
        }
        if let Some(old) = self.files.remove(token) {
            self.stored_bytes -= old.bytes.len() as u64;
            self.order.retain(|t| t != token);
        }
        while self.stored_bytes + size > self.capacity {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(old) = self.files.remove(&oldest) {
                self.stored_bytes -= old.bytes.len() as u64;
            }
        }
        self.stored_bytes += size;
        self.order.push_back(token.to_owned());
        self.files.insert(token.to_owned(), file);
        if let Some(upload) = self.uploads.get_mut(token) {
            upload.parts.clear();
        }
        Ok(())
    }

    /// A stored file by token and name.
    pub fn file(&self, token: &str, name: &str) -> Option<StoredFile> {
        self.files.get(token).filter(|f| f.name == name).cloned()
    }

    pub fn clear(&mut self) {
        self.uploads.clear();
        self.files.clear();
        self.order.clear();
        self.stored_bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_and_sig(url: &str) -> (String, String) {
        let (path, sig) = url.split_once("?sig=").unwrap();
        (path.rsplit('/').next().unwrap().to_owned(), sig.to_owned())
    }

    #[test]
    fn single_upload_stores_and_expires() {
        let mut s = Storage::new(1000, 100);
        let now = Instant::now();
        let ttl = Duration::from_secs(1);
        let r = s
            .initiate(
                br#"{"content_type":"image/png","file_name":"a b.png"}"#,
                false,
                "http://h",
                ttl,
                now,
            )
            .unwrap();
        assert!(r["file_url"].as_str().unwrap().ends_with("/a_b.png"));
        let (token, sig) = token_and_sig(r["upload_url"].as_str().unwrap());
        assert_eq!(
            s.put(&token, Some("x"), Bytes::from_static(b"1"), None, now)
                .unwrap_err()
                .0,
            403
        );
        s.put(&token, Some(&sig), Bytes::from_static(b"png!"), None, now)
            .unwrap();
        let file = s.file(&token, "a_b.png").unwrap();
        assert_eq!(
            (&file.bytes[..], file.content_type.as_str()),
            (&b"png!"[..], "image/png")
        );
        let late = now + ttl;
        assert_eq!(
            s.put(&token, Some(&sig), Bytes::new(), None, late)
                .unwrap_err()
                .0,
            403
        );
        assert_eq!(
            s.put(&token, Some(&sig), Bytes::from(vec![0; 101]), None, now)
                .unwrap_err()
                .0,
            413
        );
    }

    #[test]
    fn capacity_drops_the_oldest_file() {
        let mut s = Storage::new(10, 10);
        let now = Instant::now();
        let mut tokens = Vec::new();
        for _ in 0..3 {
            let r = s
                .initiate(b"{}", false, "http://h", Duration::from_secs(9), now)
                .unwrap();
            let (token, sig) = token_and_sig(r["upload_url"].as_str().unwrap());
            s.put(&token, Some(&sig), Bytes::from(vec![1; 4]), None, now)
                .unwrap();
            tokens.push(token);
        }
        assert!(s.file(&tokens[0], "upload.bin").is_none());
        assert!(
            s.file(&tokens[1], "upload.bin").is_some()
                && s.file(&tokens[2], "upload.bin").is_some()
        );
    }
}
