//! Sending a local file's bytes to fal's storage with `XMLHttpRequest`
//! (the only browser API that reports upload progress), as `Blob` slices
//! of the file, so a 100 MB video is streamed from disk and never copied
//! into wasm memory; and stopping every request of one file at once.

pub mod stop;
pub mod xhr;

use crate::core::upload::plan::PART_CONCURRENCY_OVERRIDE_KEY;

/// The benchmark setting for parts in flight, as stored (the core reads it).
pub fn part_concurrency_setting() -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()
        .flatten()?
        .get_item(PART_CONCURRENCY_OVERRIDE_KEY)
        .ok()
        .flatten()
}
