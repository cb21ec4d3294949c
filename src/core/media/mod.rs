//! Video files in the ISO base media format (MP4 and MOV), read sans-IO:
//! how long a video is (the server bills reference seconds before submit),
//! and how to cut one without re-encoding (a new header plus byte ranges of
//! the original), so a large original never has to be read whole.

mod boxes;
mod bytes;
mod header_boxes;
pub mod probe;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod test_media;
