//! Video files in the ISO base media format (MP4 and MOV), read sans-IO:
//! how long a video is (the server bills reference seconds before submit),
//! and how to cut one without re-encoding (a new header plus byte ranges of
//! the original), so a large original never has to be read whole.
//!
//! Trimming, for the caller that holds the file:
//! 1. [`BoxLocator::new`] with the file's size, then perform each
//!    [`LocateStep::Read`] and [`BoxLocator::feed`] the bytes, until
//!    [`LocateStep::Found`] gives a [`MediaIndex`] (or a [`TrimRefusal`]).
//! 2. [`MediaIndex::snap_start`] as Start changes; [`MediaIndex::plan`] for
//!    Start and End gives a [`TrimPlan`].
//! 3. The trimmed file is [`TrimPlan::header`] followed by each of
//!    [`TrimPlan::ranges`] of the original, in order.

mod boxes;
mod bytes;
mod header_boxes;
mod locate;
mod media_index;
mod moov_writer;
pub mod playback;
pub mod probe;
mod sample_tables;
mod table_writer;
mod track;
mod trim_name;
mod trim_plan;
mod trim_refusal;

pub use locate::{BoxLocator, LocateStep, HEAD_READ, MOOV_LIMIT};
pub use media_index::{seconds_text, MediaIndex, SnapReason, StartSnap};
pub use trim_name::trimmed_file_name;
pub use trim_plan::{ByteRange, TrimPlan};
pub use trim_refusal::TrimRefusal;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod test_media;
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "trim_tests.rs"]
mod trim_tests;
