//! A batch: one Generate that makes several runs of the same request, with
//! seeds and up to two settings swept. Sans-IO like the rest of the core:
//! the settings and their checks, the runs they expand to and what they
//! cost, when each run's submit may start, which jobs get one of the few
//! status streams, the API view as a loop, the batch's identity, and the
//! variations as a share link, as JSON (embedding) and as kept between
//! visits.
//!
//! The page drives a batch in this order, so that nothing is paid for
//! before it is checked and priced, files upload once, and every run is in
//! the history before its submit goes out:
//!
//! 1. `Variations::validate` and `variations::form_issues_for_batch` put
//!    each problem next to its control; `Variations::run_count` is shown.
//! 2. `plan::BatchPlan::new` (random seeds from the page's random numbers,
//!    replayed while previewing so captions and the API view hold still),
//!    `cost::BatchCost` for the price line and spending rules,
//!    `snippets::batch_snippet` for the API view.
//! 3. At Generate: `batch_id::BatchId::from_random`, `BatchPlan::batch_runs`
//!    for the records; each pending upload of the first run once, then
//!    `BatchPlan::fill_upload` fills every run.
//! 4. `submit_queue::SubmitQueue::next_actions` says which run's Submitter
//!    starts (write its record first), and what to cancel at fal; its
//!    Submitter's waits and outcome go back to the queue.
//! 5. Each accepted job is added to `stream_slots::StreamSlots`, which says
//!    stream or poll, and which polling job takes a freed stream.
//! 6. Each finished run's player waits for its turn to load
//!    (`player_turns::PlayerTurns`), one at a time.

pub mod batch_id;
pub mod cost;
pub mod plan;
pub mod player_turns;
pub mod saved;
pub mod share;
pub mod snippets;
pub mod stream_slots;
pub mod submit_queue;
pub mod variation_edits;
pub mod variations;
pub mod wire;

// proptest is a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod outside_input_tests;
