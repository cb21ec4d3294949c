//! What the simulator is built from: its timings, storage bounds and the
//! fault rules active from start-up. A struct of its own so a simulator can
//! be made without going through the command line.

use super::faults::FaultRule;
use super::timings::Timings;

#[derive(Debug, Clone)]
pub struct SimOptions {
    pub timings: Timings,
    /// Largest single uploaded file, in bytes.
    pub max_upload: u64,
    /// Total bytes of uploads kept in memory.
    pub storage: u64,
    /// Checked rules (see [`FaultRule::check`]).
    pub faults: Vec<FaultRule>,
    /// The origin used in URLs handed out; `None`: each request's `Host`.
    pub public_url: Option<String>,
}
