//! Local reference files on their way to fal's storage: the plan (single
//! or multipart), the uploader that carries it out call by call, progress
//! and speed and when the item is redrawn with them, when a silent request
//! counts as stalled, what to do when a step fails, and where each file's
//! upload stands.

pub mod file_status;
pub mod plan;
pub mod problem;
pub mod progress;
pub mod redraw;
pub mod stall;
pub mod upload_step;
pub mod uploader;
