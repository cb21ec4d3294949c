//! The text this tab last read from or wrote under the history's storage
//! key, so that a change can skip parsing a list it already holds.
//!
//! Every change to the history is applied to what storage holds *now*
//! (another tab may have written since), which meant parsing the whole
//! stored list for every status change of every job: with 200 jobs kept,
//! 20 ms and more of one task each time a run finished. When storage still
//! holds exactly the text this tab read or wrote last, this tab's copy *is*
//! that history and is changed in place; any other text (another tab's
//! write, an older studio's, a failed write of ours) is parsed as before.

/// The stored text this tab's copy of the history stands for, if known.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct KnownText(Option<String>);

impl KnownText {
    /// True when `stored` (what the key holds now) is exactly the text
    /// this tab's copy was read from or written as. Nothing stored never
    /// matches: the caller decides what an absent history means.
    pub fn matches(&self, stored: Option<&str>) -> bool {
        matches!((&self.0, stored), (Some(known), Some(now)) if known == now)
    }

    /// This tab's copy now stands for `text` (just read and parsed, or
    /// just written).
    pub fn remember(&mut self, text: String) {
        self.0 = Some(text);
    }

    /// This tab's copy no longer stands for any stored text (a write was
    /// refused, or the copy was changed without writing): the next change
    /// parses what storage holds.
    pub fn forget(&mut self) {
        self.0 = None;
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::history::records::{History, HISTORY_CAP};
    use crate::core::job::record::RecordStatus;
    use crate::core::job::test_support::RecordBuilder;

    #[test]
    fn only_the_exact_text_last_read_or_written_matches() {
        let mut known = KnownText::default();
        assert!(!known.matches(Some("[]")), "nothing known yet");
        assert!(!known.matches(None));
        known.remember("[]".into());
        assert!(known.matches(Some("[]")));
        assert!(!known.matches(Some("[ ]")), "same list, other text: parsed");
        assert!(
            !known.matches(None),
            "the key was removed (another tab cleared it)"
        );
        known.forget();
        assert!(!known.matches(Some("[]")));
    }

    /// The case the store relies on: after writing its copy, this tab's
    /// copy is what parsing the written text gives; after another tab
    /// writes, the text differs and is parsed, so that tab's record is
    /// kept and ours merges onto it (forward only).
    #[test]
    fn another_tabs_write_is_seen_and_our_own_is_not_parsed_again() {
        let keep = |_: &_| false;
        let mut ours = History::default();
        ours.upsert(RecordBuilder::new("job-1", 1).build(), HISTORY_CAP, keep);
        let written = ours.to_stored();
        let mut known = KnownText::default();
        known.remember(written.clone());
        assert!(known.matches(Some(&written)));
        assert_eq!(History::from_stored(&written).unwrap(), ours);

        // Another tab moves the job on and adds one of its own.
        let mut theirs = History::from_stored(&written).unwrap();
        let running = RecordBuilder::new("job-1", 1)
            .status(RecordStatus::Running)
            .build();
        theirs.upsert(running, HISTORY_CAP, keep);
        theirs.upsert(RecordBuilder::new("job-2", 2).build(), HISTORY_CAP, keep);
        let their_text = theirs.to_stored();
        assert!(!known.matches(Some(&their_text)));

        // Our late, older view of job-1 does not move it back.
        let mut merged = History::from_stored(&their_text).unwrap();
        merged.upsert(RecordBuilder::new("job-1", 1).build(), HISTORY_CAP, keep);
        assert_eq!(merged.records().len(), 2);
        assert_eq!(
            merged.get("job-1").unwrap().status,
            RecordStatus::Running,
            "a state only moves forward"
        );
    }
}
