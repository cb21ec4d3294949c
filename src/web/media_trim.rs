//! Trimming a local video in the browser, as the core plans it: the header
//! boxes are read with `Blob.slice` (only the ranges the core's
//! [`BoxLocator`] asks for), and the trimmed file is a `File` made of the
//! plan's new header and slices of the original, so the browser copies the
//! original's bytes only when the file is uploaded and a 1 GB original
//! never enters wasm memory.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, FilePropertyBag};

use crate::core::media::{BoxLocator, ByteRange, LocateStep, MediaIndex, TrimPlan, TrimRefusal};

/// Why a video's header could not be indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexError {
    /// The core refused the file; its message says why.
    Refused(TrimRefusal),
    /// The browser could not read the file (it was moved or deleted).
    Unreadable,
}

impl IndexError {
    pub fn message(&self) -> String {
        match self {
            IndexError::Refused(refusal) => refusal.message(),
            IndexError::Unreadable => {
                "The browser could not read this video; choose it again.".into()
            }
        }
    }
}

/// Reads the header boxes of `file` and indexes them.
pub async fn read_index(file: &Blob) -> Result<MediaIndex, IndexError> {
    let (mut locator, mut step) = BoxLocator::new(file.size() as u64);
    loop {
        step = match step {
            LocateStep::Read(range) => locator.feed(&read_range(file, range).await?),
            LocateStep::Found(index) => return Ok(*index),
            LocateStep::Refused(refusal) => return Err(IndexError::Refused(refusal)),
        };
    }
}

async fn read_range(file: &Blob, range: ByteRange) -> Result<Vec<u8>, IndexError> {
    let slice = slice(file, range).map_err(|_| IndexError::Unreadable)?;
    let buffer = JsFuture::from(slice.array_buffer())
        .await
        .map_err(|_| IndexError::Unreadable)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

fn slice(file: &Blob, range: ByteRange) -> Result<Blob, JsValue> {
    // Offsets up to 2^53 are exact as f64, far beyond any file.
    file.slice_with_f64_and_f64(range.offset as f64, (range.offset + range.len) as f64)
}

/// The trimmed file: `plan.header`, then `plan.ranges` of `original`,
/// named `name`, with the original's type.
pub fn trimmed_file(original: &File, plan: &TrimPlan, name: &str) -> Result<File, JsValue> {
    let parts = Array::new();
    parts.push(&Uint8Array::from(plan.header.as_slice()));
    for range in &plan.ranges {
        let piece: JsValue = slice(original, *range)?.into();
        parts.push(&piece);
    }
    let options = FilePropertyBag::new();
    options.set_type(&original.type_());
    File::new_with_blob_sequence_and_options(&parts, name, &options)
}
