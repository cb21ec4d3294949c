//! A batch: one Generate that makes several runs of the same request, with
//! seeds and up to two settings swept. Sans-IO like the rest of the core:
//! the settings and their checks, the runs they expand to and what they
//! cost, when each run's submit may start, which jobs get one of the few
//! status streams, the API view as a loop, and the batch's identity and
//! share-link form.

pub mod batch_id;
pub mod cost;
pub mod plan;
pub mod share;
pub mod snippets;
pub mod stream_slots;
pub mod submit_queue;
pub mod variations;

#[cfg(test)]
mod outside_input_tests;
