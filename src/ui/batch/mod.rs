//! Batches: one Generate, several runs ("Variations" in the form). The
//! runner paces their submits, [`LiveBatch`] is the batch on the page, and
//! "Batch results" shows its grid.

mod live_batch;
mod results;
pub mod runner;

pub use live_batch::{LiveBatch, RunSlot};
pub use results::{batch_results_view, BatchResults};
