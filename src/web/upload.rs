//! Uploads local reference files to fal's storage, as the core's
//! [`UploadPlan`](crate::core::upload::plan::UploadPlan) describes, with
//! progress, speed, per-file cancel, per-part retries and a fresh address
//! when one expires.
//!
//! The bytes go with `XMLHttpRequest` (the only browser API that reports
//! upload progress) as `Blob` slices of the file, so a 100 MB video is
//! streamed from disk and never copied into wasm memory.

mod board;
mod file;
mod phase;
mod progress;
mod stop;
mod xhr;

use std::num::NonZeroUsize;

pub use board::{UploadBatch, UploadBoard};
pub use phase::upload_references;
pub use stop::{StopReason, Stopper};

use crate::core::upload::plan::DEFAULT_PART_CONCURRENCY;

/// A local-storage setting for benchmarks only (`scripts/bench-upload`
/// measures 1, 3 and 4 parts in flight through the real app): the number of
/// parts in flight, 1 to 8. Absent or invalid means the measured default.
pub const PART_CONCURRENCY_OVERRIDE_KEY: &str = "wan-r2v-studio.bench.upload-part-concurrency";

/// Parts of one file in flight at once.
pub fn part_concurrency() -> NonZeroUsize {
    let chosen = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(PART_CONCURRENCY_OVERRIDE_KEY).ok().flatten())
        .and_then(|text| text.trim().parse::<usize>().ok())
        .filter(|n| (1..=8).contains(n))
        .unwrap_or(DEFAULT_PART_CONCURRENCY);
    NonZeroUsize::new(chosen).unwrap_or(NonZeroUsize::MIN)
}
