//! A run of a batch ended by its batch rather than by its own life. A
//! batch uploads its references once, through its first run; when that
//! upload fails or is cancelled, the runs still waiting for their turn end
//! the same way, with nothing sent for them.

use crate::core::job::state::{ImpossibleEvent, Job, JobState};

impl Job {
    /// This run, not sent yet, ended the way `lead` (the run that did the
    /// batch's upload) ended: failed with the same error, or cancelled
    /// when the lead stopped any other way. A run that is already out
    /// (submitting, at fal) or over is not the batch's to end: that is an
    /// [`ImpossibleEvent`], and the run goes on as it was.
    pub fn end_like(mut self, lead: &Job) -> Result<Job, ImpossibleEvent> {
        if !matches!(self.state, JobState::Draft | JobState::Uploading { .. }) {
            return Err(ImpossibleEvent {
                state: self.state.name(),
                event: "EndLike",
            });
        }
        self.state = match &lead.state {
            JobState::Failed(error) => JobState::Failed(error.clone()),
            _ => JobState::Cancelled,
        };
        Ok(self)
    }
}

#[cfg(test)]
#[path = "batch_end_tests.rs"]
mod tests;
