//! `wan-r2v-server`: serves the studio's built `dist/`, forwards the app's
//! fal calls with a key that never reaches the browser, and, with
//! `--simulate`, answers those calls itself the way fal would, so the whole
//! flow runs without a key, money or network.
//!
//! The binary (`main.rs`) only parses flags and calls [`start`]; everything
//! else lives here so integration tests drive the same code over real HTTP.

pub mod access;
pub mod app;
pub mod app_config;
pub mod backend;
pub mod body;
pub mod body_deadline;
pub mod budget;
pub mod cli;
pub mod cors;
pub mod fal_key;
pub mod forwarded;
pub mod host_check;
pub mod json_error;
pub mod open_files;
pub mod probe;
pub mod proxy;
pub mod public_origin;
pub mod rate_limit;
pub mod request_log;
pub mod serve;
pub mod simulator;
pub mod start_error;
pub mod state;
pub mod static_files;
pub mod timefmt;
pub mod units;

pub use app::{start, RunningServer};
pub use cli::Cli;
pub use fal_key::FalKey;
pub use start_error::StartError;
