//! The jobs whose output video is served at `/sim/files/output/<id>.mp4`.
//! It stays valid after the result expires, as fal's CDN files do, so the
//! ids outlive their jobs; the oldest are forgotten beyond a bound.

use std::collections::{HashSet, VecDeque};

/// Ids remembered (about 60 bytes each).
const KEPT: usize = 100_000;

#[derive(Debug, Default)]
pub struct OutputIds {
    ids: HashSet<String>,
    order: VecDeque<String>,
}

impl OutputIds {
    pub fn insert(&mut self, id: String) {
        if self.ids.insert(id.clone()) {
            self.order.push_back(id);
        }
        while self.ids.len() > KEPT {
            match self.order.pop_front() {
                Some(oldest) => self.ids.remove(&oldest),
                None => break,
            };
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// Forgets `id` (a cancelled job has no video). Its place in the order
    /// is left behind and skipped when it comes up.
    pub fn remove(&mut self, id: &str) {
        self.ids.remove(id);
        if self.order.len() > 2 * self.ids.len() + 64 {
            let ids = &self.ids;
            self.order.retain(|i| ids.contains(i));
        }
    }

    pub fn clear(&mut self) {
        self.ids.clear();
        self.order.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_ids_within_the_bound() {
        let mut ids = OutputIds::default();
        for n in 0..KEPT + 10 {
            ids.insert(n.to_string());
        }
        assert!(!ids.contains("0") && !ids.contains("9") && ids.contains("10"));
        assert!(ids.contains(&(KEPT + 9).to_string()));
        ids.remove("10");
        assert!(!ids.contains("10"));
    }
}
