//! Which runs are chosen for the side-by-side comparison: ticked and
//! unticked in any order, forgotten when deleted, and read back as the runs
//! that can still be shown.

use crate::core::history::compare::{MAX_RUNS, MIN_RUNS};
use crate::core::history::entry::video_url;
use crate::core::history::records::History;
use crate::core::job::record::JobRecord;

/// The ids of the chosen runs, in the order they were ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompareChoice {
    ids: Vec<String>,
}

impl CompareChoice {
    /// Ticks `id`, or unticks it when it was chosen.
    pub fn toggle(&mut self, id: &str) {
        match self.ids.iter().position(|x| x == id) {
            Some(at) => {
                self.ids.remove(at);
            }
            None => self.ids.push(id.to_owned()),
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.iter().any(|x| x == id)
    }

    /// Drops deleted jobs from the choice.
    pub fn forget(&mut self, ids: &[String]) {
        self.ids.retain(|x| !ids.contains(x));
    }

    /// True once enough runs are ticked to compare them.
    pub fn is_enough(&self) -> bool {
        self.ids.len() >= MIN_RUNS
    }

    /// "3 runs chosen": never more than can be shown at once.
    pub fn chosen_text(&self) -> String {
        format!("{} runs chosen", self.ids.len().min(MAX_RUNS))
    }

    /// The chosen runs as `history` holds them now, in the order chosen:
    /// only those with a video to play, at most [`MAX_RUNS`].
    pub fn runs(&self, history: &History) -> Vec<JobRecord> {
        self.ids
            .iter()
            .filter_map(|id| history.get(id))
            .filter(|r| video_url(r).is_some())
            .take(MAX_RUNS)
            .cloned()
            .collect()
    }
}

#[cfg(test)]
#[path = "compare_choice_tests.rs"]
mod tests;
