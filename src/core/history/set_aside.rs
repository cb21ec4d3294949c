//! What happens to a stored history that is not a list at all (written by
//! something else, or cut short): the first write would overwrite it, so
//! before that it is copied under a key of its own, and the person is told
//! where. Nothing a person kept is ever silently destroyed.

use crate::core::history::records::History;

/// Where an unreadable history goes, and what to tell the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    /// The storage key the old text is copied to.
    pub backup_key: String,
    /// Said once, above the history.
    pub notice: String,
}

/// `None` when `stored` (the text under `key`) reads as a history;
/// otherwise where to copy it, named with the time `now_ms`.
pub fn set_aside(key: &str, stored: &str, now_ms: u64) -> Option<SetAside> {
    if History::from_stored(stored).is_ok() {
        return None;
    }
    let backup_key = format!("{key}.unreadable-{now_ms}");
    let notice = format!(
        "The stored history could not be read, so it was set aside in this browser's storage \
         under “{backup_key}” and a new history was started."
    );
    Some(SetAside { backup_key, notice })
}

/// Said when the unreadable history under `key` (`len` characters) could
/// not be copied aside either (storage full): it stays where it is, and
/// nothing is written over it.
pub fn stuck_notice(key: &str, len: usize) -> String {
    format!(
        "The stored history could not be read, and this browser refused to keep a copy of it \
         ({} KB, storage full?), so it was left untouched under “{key}” and new jobs are not \
         being stored. Free some space for this site (or export what you need), then reload.",
        len.div_ceil(1000)
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_readable_or_empty_history_stays_where_it_is() {
        assert_eq!(set_aside("jobs", "[]", 5), None);
        assert_eq!(set_aside("jobs", "", 5), None);
    }

    #[test]
    fn anything_else_is_copied_aside_and_the_person_told_where() {
        for unreadable in [r#"{"jobs": []}"#, "[{\"version\":1,", "not json"] {
            let aside = set_aside("wan-r2v-studio.jobs.v1", unreadable, 1_795_513_909_000)
                .expect(unreadable);
            assert_eq!(
                aside.backup_key,
                "wan-r2v-studio.jobs.v1.unreadable-1795513909000"
            );
            assert!(aside.notice.contains(&aside.backup_key));
        }
    }

    #[test]
    fn a_history_that_cannot_be_copied_aside_is_left_alone_and_said_so() {
        let notice = stuck_notice("wan-r2v-studio.jobs.v1", 1_500_000);
        assert!(notice.contains("1500 KB"), "{notice}");
        assert!(notice.contains("left untouched under “wan-r2v-studio.jobs.v1”"));
        assert!(notice.contains("not being stored"));
    }
}
