use serde_json::json;

use super::*;
use crate::core::history::records::{MergeReport, HISTORY_CAP};
use crate::core::job::record::RecordStatus;
use crate::core::job::test_support::RecordBuilder;

fn no_keep(_: &JobRecord) -> bool {
    false
}

const T0: u64 = 1_795_513_909_000;

fn record(n: u64, status: RecordStatus) -> JobRecord {
    RecordBuilder::new(format!("job-{n}"), T0 + n)
        .prompt(format!("Prompt {n}"))
        .status(status)
        .request(
            "https://queue.fal.run/fal-ai/wan/requests",
            &format!("req-{n}"),
        )
        .build()
}

fn history() -> History {
    let mut h = History::default();
    h.upsert(record(1, RecordStatus::Completed), HISTORY_CAP, no_keep);
    h.upsert(record(2, RecordStatus::Failed), HISTORY_CAP, no_keep);
    h.upsert(record(3, RecordStatus::Queued), HISTORY_CAP, no_keep);
    h
}

#[test]
fn export_then_import_gives_the_same_history() {
    let original = history();
    let text = export_json(&original, T0);
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["format"], EXPORT_FORMAT);
    assert_eq!(file["version"], EXPORT_VERSION);
    assert_eq!(file["exported_at_ms"], T0);
    let imported = read_export(&text, text.len() as u64).unwrap();
    assert!(imported.refused.is_empty() && imported.newer.is_empty());
    let mut fresh = History::default();
    let report = fresh.merge(imported.records, HISTORY_CAP, no_keep);
    assert_eq!(report.added, 3);
    assert_eq!(fresh, original);
}

#[test]
fn importing_into_the_same_history_changes_nothing() {
    let mut h = history();
    let text = export_json(&h, T0);
    let imported = read_export(&text, text.len() as u64).unwrap();
    let report = h.merge(imported.records.clone(), HISTORY_CAP, no_keep);
    assert_eq!(report.unchanged, 3);
    assert_eq!(h, history());
    assert_eq!(
        imported.summary(&report),
        "Imported 0 jobs, 3 already here."
    );
}

#[test]
fn nothing_but_known_record_fields_is_imported() {
    // A hand-made file with a key beside and inside a record.
    let mut job = serde_json::to_value(record(1, RecordStatus::Completed)).unwrap();
    job["fal_key"] = json!("id:very-secret");
    let text =
        json!({"format": EXPORT_FORMAT, "version": 1, "key": "id:very-secret", "jobs": [job]})
            .to_string();
    let imported = read_export(&text, text.len() as u64).unwrap();
    let mut h = History::default();
    h.merge(imported.records, HISTORY_CAP, no_keep);
    assert!(!export_json(&h, T0).contains("very-secret"));
    assert!(!h.to_stored().contains("very-secret"));
}

#[test]
fn files_that_are_not_exports_are_refused_with_a_reason() {
    assert_eq!(read_export("hello", 5), Err(ImportError::NotJson));
    assert_eq!(read_export("{\"a\":1}", 7), Err(ImportError::NotAnExport));
    assert_eq!(read_export("42", 2), Err(ImportError::NotAnExport));
    let wrong_format = json!({"format": "something else", "jobs": []}).to_string();
    assert_eq!(
        read_export(&wrong_format, 10),
        Err(ImportError::NotAnExport)
    );
    let newer = json!({"format": EXPORT_FORMAT, "version": 7, "jobs": []}).to_string();
    assert_eq!(read_export(&newer, 10), Err(ImportError::NewerFormat(7)));
    assert_eq!(
        read_export("[]", IMPORT_MAX_BYTES + 1),
        Err(ImportError::TooLarge)
    );
    assert!(ImportError::NewerFormat(7)
        .to_string()
        .contains("newer version of the studio"));
    assert!(ImportError::NotJson.to_string().contains("not JSON"));
}

#[test]
fn a_bare_list_as_stored_is_accepted() {
    let text = history().to_stored();
    let imported = read_export(&text, text.len() as u64).unwrap();
    assert_eq!(imported.records.len(), 3);
}

#[test]
fn bad_and_newer_records_are_reported_not_fatal() {
    let text = json!({
        "format": EXPORT_FORMAT,
        "version": 1,
        "jobs": [
            serde_json::to_value(record(1, RecordStatus::Completed)).unwrap(),
            {"version": 1, "id": "broken"},
            {"version": 5, "id": "future"},
        ]
    })
    .to_string();
    let imported = read_export(&text, text.len() as u64).unwrap();
    assert_eq!(imported.records.len(), 1);
    assert_eq!(imported.newer.len(), 1);
    assert_eq!(imported.refused.len(), 1);
    assert_eq!(imported.refused[0].0, 2);
    let summary = imported.summary(&MergeReport {
        added: 1,
        ..MergeReport::default()
    });
    assert!(summary.starts_with("Imported 1 job."), "{summary}");
    assert!(summary.contains("1 from a newer version of the studio are kept read-only"));
    assert!(summary.contains("Job 2 was left out: not a readable job"));
}

#[test]
fn unread_records_travel_through_export() {
    let newer = json!({"version": 9, "id": "future"});
    let stored = json!([
        serde_json::to_value(record(1, RecordStatus::Completed)).unwrap(),
        newer
    ]);
    let h = History::from_stored(&stored.to_string()).unwrap();
    let text = export_json(&h, T0);
    let imported = read_export(&text, text.len() as u64).unwrap();
    assert_eq!(imported.newer, vec![newer]);
}

#[test]
fn the_file_name_carries_the_utc_date() {
    assert_eq!(export_file_name(0), "wan-r2v-history-1970-01-01.json");
    // 2026-11-24T10:31:49Z
    assert_eq!(
        export_file_name(1_795_513_909_000),
        "wan-r2v-history-2026-11-24.json"
    );
    // 2024-02-29 (a leap day) and 2000-03-01.
    assert_eq!(
        export_file_name(1_709_164_800_000),
        "wan-r2v-history-2024-02-29.json"
    );
    assert_eq!(
        export_file_name(951_868_800_000),
        "wan-r2v-history-2000-03-01.json"
    );
}
