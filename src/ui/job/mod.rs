//! The "Status and result" panel (the live job, its result, or why it
//! failed), and the loops that run a job: upload, submit, follow, cancel.

mod elapsed;
mod error_view;
mod follow;
mod follow_slots;
mod job_panel;
mod log_view;
mod notify_toggle;
mod result_view;
pub mod runner;
pub mod running_job;
mod status_view;
mod stream;
pub(crate) mod submit;

pub use follow::follow as follow_job;
pub use job_panel::{JobActions, JobPanel};
