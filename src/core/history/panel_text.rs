//! The History panel's own sentences: how many jobs it holds, what "Clear
//! all" will delete and did delete, and how many more wait behind "Show
//! more". One entry's words are in `entry.rs`.

/// "1 job", "12 jobs"; nothing for an empty history (the empty state says it).
pub fn job_count(jobs: usize) -> String {
    match jobs {
        0 => String::new(),
        1 => "1 job".into(),
        n => format!("{n} jobs"),
    }
}

/// What "Clear all" asks before deleting `finished` jobs.
pub fn clear_question(finished: usize) -> String {
    match finished {
        1 => "Delete 1 finished job from this browser, with any kept copy of its video? Jobs still running are kept.".into(),
        n => format!("Delete {n} finished jobs from this browser, with any kept copies of their videos? Jobs still running are kept."),
    }
}

/// What "Clear all" did: `removed` jobs deleted, `still_running` kept.
pub fn cleared(removed: usize, still_running: usize) -> String {
    let mut text = match removed {
        1 => "Deleted 1 job.".to_string(),
        n => format!("Deleted {n} jobs."),
    };
    if still_running > 0 {
        text.push_str(" Jobs still running were kept.");
    }
    text
}

/// What deleting one entry did.
pub const DELETED_ONE: &str = "Deleted 1 job from the history.";

/// "Show more (12 more)".
pub fn show_more(remaining: usize) -> String {
    format!("Show more ({remaining} more)")
}

/// The line for records written by a newer studio: shown, read-only (this
/// version cannot open them), so nothing stored is invisible.
pub fn newer_kept(history: &crate::core::history::records::History) -> Option<String> {
    let newer = |v: &serde_json::Value| {
        v.get("version")
            .and_then(serde_json::Value::as_u64)
            .is_some_and(|v| v > u64::from(crate::core::job::record::JOB_RECORD_VERSION))
    };
    match history.unread().iter().filter(|v| newer(v)).count() {
        0 => None,
        1 => Some(
            "1 job from a newer version of the studio is kept here read-only; open this \
             history in that version to see it."
                .into(),
        ),
        n => Some(format!(
            "{n} jobs from a newer version of the studio are kept here read-only; open this \
             history in that version to see them."
        )),
    }
}

/// Next to the storage line: whether the browser granted persistent
/// storage when the first job was saved. `None` (no such API, or not asked
/// yet) says nothing.
pub fn persistence_text(granted: Option<bool>) -> Option<&'static str> {
    match granted? {
        true => Some("Storage is persistent: the browser will not clear the history to make room."),
        false => Some(
            "The browser did not make storage persistent: it may clear the history when space \
             runs low, so export what you want to keep.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_people_say_them() {
        assert_eq!(job_count(0), "");
        assert_eq!(job_count(1), "1 job");
        assert_eq!(job_count(21), "21 jobs");
        assert_eq!(show_more(3), "Show more (3 more)");
    }

    #[test]
    fn clear_all_asks_in_the_singular_or_plural_and_says_running_jobs_stay() {
        assert_eq!(
            clear_question(1),
            "Delete 1 finished job from this browser, with any kept copy of its video? Jobs still running are kept."
        );
        assert_eq!(
            clear_question(2),
            "Delete 2 finished jobs from this browser, with any kept copies of their videos? Jobs still running are kept."
        );
    }

    #[test]
    fn clear_all_reports_what_it_deleted_and_what_it_kept() {
        assert_eq!(cleared(1, 0), "Deleted 1 job.");
        assert_eq!(cleared(3, 0), "Deleted 3 jobs.");
        assert_eq!(
            cleared(2, 1),
            "Deleted 2 jobs. Jobs still running were kept."
        );
        assert_eq!(
            cleared(0, 2),
            "Deleted 0 jobs. Jobs still running were kept."
        );
    }
}
