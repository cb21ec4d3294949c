//! Local reference files on their way to fal's storage: the plan (single
//! or multipart), the uploader that carries it out call by call, progress
//! and speed, what to do when a step fails, and where each file's upload
//! stands.

pub mod file_status;
pub mod plan;
pub mod problem;
pub mod progress;
pub mod upload_step;
pub mod uploader;
