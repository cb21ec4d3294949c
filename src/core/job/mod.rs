//! One generation job from submit to playable video: the state machine,
//! sending it once (submit), following it on fal's queue (stream first,
//! then polling), cancelling it, the record kept in storage so a reload
//! resumes it, and how its progress is put into words.

pub mod batch_end;
pub mod cancel;
pub mod display;
pub mod follow;
pub mod poll_schedule;
pub mod record;
pub mod request_log;
pub mod result_info;
pub mod state;
pub mod status_stream;
pub mod submit;
pub mod test_support;
