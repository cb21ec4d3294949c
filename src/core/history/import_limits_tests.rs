//! Import against hostile or oversized files: the size checked before
//! reading, records bounded, newer records counted against the cap,
//! unfinished jobs beyond the cap left unfollowed, and a history that would
//! not fit in storage refused with the numbers.

use serde_json::{json, Value};

use crate::core::history::file::{
    check_import_size, read_export, ImportError, WouldNotFit, IMPORT_MAX_BYTES,
    STORAGE_BUDGET_CHARS,
};
use crate::core::history::records::{History, RecordProblem, HISTORY_CAP, RECORD_MAX_BYTES};
use crate::core::job::record::{JobRecord, RecordStatus};
use crate::core::job::test_support::RecordBuilder;

fn no_keep(_: &JobRecord) -> bool {
    false
}

fn unfinished(n: u64) -> JobRecord {
    RecordBuilder::new(format!("job-{n}"), 1_000 + n)
        .prompt(format!("Prompt {n}"))
        .status(RecordStatus::Running)
        .request(
            "https://queue.fal.run/fal-ai/wan/requests",
            &format!("req-{n}"),
        )
        .build()
}

fn export(jobs: Vec<Value>) -> String {
    json!({"format": "wan-r2v-studio history", "version": 1, "jobs": jobs}).to_string()
}

#[test]
fn the_size_is_checked_before_the_file_is_read() {
    assert_eq!(
        check_import_size(IMPORT_MAX_BYTES + 1),
        Err(ImportError::TooLarge)
    );
    assert_eq!(check_import_size(IMPORT_MAX_BYTES), Ok(()));
}

#[test]
fn a_record_of_a_newer_studio_is_bounded_like_any_other() {
    let huge = json!({"version": 9, "id": "future", "blob": "x".repeat(RECORD_MAX_BYTES)});
    let small = json!({"version": 9, "id": "future-2"});
    let file = read_export(&export(vec![huge, small.clone()]), 0).unwrap();
    assert_eq!(file.newer, vec![small]);
    let [(1, RecordProblem::Unreadable { reason })] = file.refused.as_slice() else {
        panic!("{:?}", file.refused)
    };
    assert!(
        reason.contains("more than a job record's 64 KB"),
        "{reason}"
    );
}

#[test]
fn newer_records_count_against_the_cap() {
    let mut history = History::default();
    for n in 0..HISTORY_CAP as u64 - 2 {
        let mut r = unfinished(n);
        r.status = RecordStatus::Cancelled;
        history.upsert(r, HISTORY_CAP, no_keep);
    }
    let newer: Vec<Value> = (0..5)
        .map(|n| json!({"version": 9, "id": format!("future-{n}")}))
        .collect();
    assert_eq!(history.keep_unread(newer, HISTORY_CAP), 3);
    assert_eq!(history.unread().len(), 2);
    // A new job now makes room by evicting the oldest finished one.
    let evicted = history.upsert(unfinished(9_999), HISTORY_CAP, no_keep);
    assert_eq!(evicted.len(), 1);
    assert_eq!(
        history.records().len() + history.unread().len(),
        HISTORY_CAP
    );
}

#[test]
fn unfinished_jobs_beyond_the_cap_are_kept_but_not_followed() {
    let mut history = History::default();
    let incoming: Vec<JobRecord> = (0..HISTORY_CAP as u64 + 50).map(unfinished).collect();
    let report = history.merge(incoming, HISTORY_CAP, no_keep);
    assert_eq!(report.added, HISTORY_CAP + 50);
    assert_eq!(report.unfollowed, 50);
    assert_eq!(history.unfinished().count(), HISTORY_CAP);
    // The oldest are the ones left: their records stay, not followed.
    let left: Vec<&str> = history
        .records()
        .iter()
        .filter(|r| r.not_followed)
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(left.len(), 50);
    assert!(left.contains(&"job-0") && !left.contains(&"job-249"));
    let stuck = history.get("job-0").unwrap();
    assert!(stuck.can_check_again() && stuck.resumable_job().is_none());
    // And a stored history read back keeps them so.
    let again = History::from_stored(&history.to_stored()).unwrap();
    assert_eq!(again.unfinished().count(), HISTORY_CAP);
}

#[test]
fn a_history_that_would_not_fit_is_refused_with_the_numbers() {
    assert_eq!(WouldNotFit::check(STORAGE_BUDGET_CHARS, 10), None);
    let refusal = WouldNotFit::check(6_200_000, 410_000).unwrap();
    let text = refusal.to_string();
    assert!(text.starts_with("Nothing was imported"), "{text}");
    assert!(text.contains("6200 KB") && text.contains("5000 KB") && text.contains("410 KB"));
    let browser = WouldNotFit {
        refused_by_browser: true,
        ..refusal
    };
    assert!(browser.to_string().contains("this browser refused"));
}
