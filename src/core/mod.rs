//! The sans-IO core: plain Rust with no browser or UI dependency.
//!
//! Everything that decides something (what to send, what an answer means,
//! what a run costs) lives here so that native unit tests can reach it.

pub mod access;
pub mod batch;
pub mod config;
pub mod embed;
pub mod fal;
pub mod form;
pub mod history;
pub mod job;
pub mod media;
pub mod model;
pub mod spending;
pub mod upload;
pub mod url;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod outside_input_tests;
