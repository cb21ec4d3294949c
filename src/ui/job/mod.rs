//! The "Status and result" panel: the live job, its result, or why it failed.

mod elapsed;
mod error_view;
mod job_panel;
mod log_view;
mod notify_toggle;
mod result_view;
mod status_view;

pub use job_panel::{JobActions, JobPanel};
