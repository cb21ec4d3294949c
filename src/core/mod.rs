//! The sans-IO core: plain Rust with no browser or UI dependency.
//!
//! Everything that decides something (what to send, what an answer means,
//! what a run costs) lives here so that native unit tests can reach it.

pub mod base_url;
pub mod calls;
pub mod classify;
pub mod compare;
pub mod config;
pub mod connection_check;
pub mod connection_mode;
pub mod csp;
pub mod embed_events;
pub mod embed_gate;
pub mod embed_protocol;
pub mod endpoint;
pub mod fal_error;
pub mod file_upload;
pub mod follow;
pub mod form_commands;
pub mod form_persistence;
pub mod form_state;
pub mod form_validation;
pub mod history;
pub mod history_entry;
pub mod history_file;
pub mod http;
pub mod http_date;
pub mod job;
pub mod job_display;
pub mod job_record;
pub mod model;
pub mod poll_schedule;
pub mod pricing;
pub mod query_string;
pub mod queue_answers;
pub mod queue_status;
pub mod reference_media;
pub mod references;
pub mod request_log;
pub mod result_info;
pub mod retry;
pub mod share_link;
pub mod snippets;
pub mod sse;
pub mod text_cursor;
pub mod transport;
pub mod upload_plan;
pub mod upload_problem;
pub mod upload_progress;
pub mod url;
pub mod validation;
pub mod video_playback;
