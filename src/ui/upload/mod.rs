//! Local reference files on their way to fal's storage, as the page shows
//! them: the board of each file's upload (shared by the job and the
//! form's reference items), a job's upload phase, and the loop performing
//! one file's upload.

pub mod board;
mod file;
pub mod phase;
mod reporter;
