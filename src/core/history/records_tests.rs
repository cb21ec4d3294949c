use serde_json::json;

use super::*;
use crate::core::job::record::StoredRequest;
use crate::core::job::test_support::RecordBuilder;
use crate::core::model::schema::R2vOutput;

fn no_keep(_: &JobRecord) -> bool {
    false
}

const T0: u64 = 1_795_513_909_000;

const REQUESTS: &str = "https://queue.fal.run/fal-ai/wan/requests";

fn record(n: u64, status: RecordStatus) -> JobRecord {
    let mut r = RecordBuilder::new(format!("job-{n}"), T0 + n * 1000)
        .prompt(format!("Prompt {n}"))
        .status(status);
    if status != RecordStatus::Submitting {
        r = r.request(REQUESTS, &format!("req-{n}"));
    }
    if status == RecordStatus::Completed {
        r = r
            .output("https://v3.fal.media/files/o.mp4", 7)
            .completed_at(T0 + n * 1000 + 60_000);
    }
    r.build()
}

fn request(n: u64) -> StoredRequest {
    record(n, RecordStatus::Queued)
        .request
        .expect("a queued job has a request")
}

fn output() -> R2vOutput {
    serde_json::from_value(json!({"video": {"url": "https://v3.fal.media/files/o.mp4"}, "seed": 7}))
        .unwrap()
}

fn ids(history: &History) -> Vec<&str> {
    history.records().iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn the_stored_list_round_trips_newest_first() {
    let mut history = History::default();
    for n in [1, 3, 2] {
        history.upsert(record(n, RecordStatus::Completed), HISTORY_CAP, no_keep);
    }
    assert_eq!(ids(&history), ["job-3", "job-2", "job-1"]);
    let back = History::from_stored(&history.to_stored()).unwrap();
    assert_eq!(back, history);
    assert_eq!(History::from_stored("").unwrap(), History::default());
}

#[test]
fn upsert_replaces_the_record_with_the_same_id() {
    let mut history = History::default();
    history.upsert(record(1, RecordStatus::Queued), HISTORY_CAP, no_keep);
    history.upsert(record(1, RecordStatus::Completed), HISTORY_CAP, no_keep);
    assert_eq!(history.records().len(), 1);
    assert_eq!(history.records()[0].status, RecordStatus::Completed);
}

#[test]
fn eviction_drops_the_oldest_finished_jobs_first() {
    let mut history = History::default();
    for n in 1..=5 {
        history.upsert(record(n, RecordStatus::Completed), 10, no_keep);
    }
    let evicted = history.upsert(record(6, RecordStatus::Completed), 4, no_keep);
    assert_eq!(
        evicted.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["job-1", "job-2"]
    );
    assert_eq!(ids(&history), ["job-6", "job-5", "job-4", "job-3"]);
}

#[test]
fn eviction_never_drops_an_unfinished_job() {
    let mut history = History::default();
    // The two oldest jobs are still queued and running.
    history.upsert(record(1, RecordStatus::Queued), 10, no_keep);
    history.upsert(record(2, RecordStatus::Running), 10, no_keep);
    for n in 3..=6 {
        history.upsert(record(n, RecordStatus::Failed), 10, no_keep);
    }
    let evicted = history.evict(3, no_keep);
    assert_eq!(evicted.len(), 3);
    assert_eq!(ids(&history), ["job-6", "job-2", "job-1"]);
    // Even when only unfinished jobs are left, and there are more than the cap.
    history.upsert(record(7, RecordStatus::Submitting), 1, no_keep);
    let mut sent = record(8, RecordStatus::Submitting);
    sent.request = Some(request(8));
    history.upsert(sent, 1, no_keep);
    assert_eq!(ids(&history), ["job-8", "job-2", "job-1"]);
}

#[test]
fn jobs_whose_video_was_kept_are_not_evicted() {
    let mut history = History::default();
    for n in 1..=4 {
        history.upsert(record(n, RecordStatus::Completed), 10, no_keep);
    }
    let evicted = history.evict(2, |r: &JobRecord| r.id == "job-1");
    assert_eq!(
        evicted.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["job-2", "job-3"]
    );
    assert_eq!(ids(&history), ["job-4", "job-1"]);
}

#[test]
fn records_from_a_newer_studio_are_kept_verbatim() {
    let newer = json!({"version": 99, "id": "from-the-future", "shape": ["unknown"]});
    let damaged = json!({"version": 1, "id": 3});
    let mut stored = serde_json::to_value(vec![record(1, RecordStatus::Completed)]).unwrap();
    stored.as_array_mut().unwrap().push(newer.clone());
    stored.as_array_mut().unwrap().push(damaged.clone());
    let mut history = History::from_stored(&stored.to_string()).unwrap();
    assert_eq!(ids(&history), ["job-1"]);
    assert_eq!(history.unread(), [newer.clone(), damaged.clone()]);
    // Rewriting after a change keeps them, and clearing does not touch them.
    history.upsert(record(2, RecordStatus::Queued), HISTORY_CAP, no_keep);
    history.clear_finished();
    let written: Value = serde_json::from_str(&history.to_stored()).unwrap();
    let items = written.as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[1], newer);
    assert_eq!(items[2], damaged);
}

#[test]
fn a_history_that_is_not_a_list_is_reported() {
    assert_eq!(
        History::from_stored("{\"jobs\": []}"),
        Err(StoredHistoryUnreadable)
    );
    assert_eq!(
        History::from_stored("not json"),
        Err(StoredHistoryUnreadable)
    );
}

#[test]
fn version_0_records_are_migrated() {
    // Written before records carried a version, with fal's older string duration.
    let mut old = serde_json::to_value(record(1, RecordStatus::Completed)).unwrap();
    old.as_object_mut().unwrap().remove("version");
    old["input"]["duration"] = json!("8");
    let migrated = read_record(old).unwrap();
    assert_eq!(migrated.version, JOB_RECORD_VERSION);
    assert_eq!(migrated.input.duration.seconds(), 8);
    assert_eq!(migrated.output, Some(output()));
}

#[test]
fn unreadable_records_say_why() {
    assert_eq!(
        read_record(json!({"version": 2, "id": "x"})),
        Err(RecordProblem::Newer { version: 2 })
    );
    assert!(matches!(
        read_record(json!("text")),
        Err(RecordProblem::Unreadable { .. })
    ));
    assert!(matches!(
        read_record(json!({"version": "one"})),
        Err(RecordProblem::Unreadable { reason }) if reason.contains("version")
    ));
    let mut no_id = record(1, RecordStatus::Completed);
    no_id.id = " ".into();
    let err = read_record(serde_json::to_value(no_id).unwrap()).unwrap_err();
    assert_eq!(err.describe(), "not a readable job (it has no id)");
    let mut hostile = record(1, RecordStatus::Queued);
    hostile.request.as_mut().unwrap().status_url = "javascript:alert(1)".into();
    let err = read_record(serde_json::to_value(hostile).unwrap()).unwrap_err();
    assert!(err.describe().contains("not web addresses"));
    assert!(RecordProblem::Newer { version: 2 }
        .describe()
        .contains("newer version"));
}

#[test]
fn removing_refuses_unfinished_jobs() {
    let mut history = History::default();
    history.upsert(record(1, RecordStatus::Running), HISTORY_CAP, no_keep);
    history.upsert(record(2, RecordStatus::Completed), HISTORY_CAP, no_keep);
    assert_eq!(history.remove("job-1"), Err(RemoveRefused::Unfinished));
    assert_eq!(history.remove("nope"), Err(RemoveRefused::NotFound));
    assert_eq!(history.remove("job-2").unwrap().id, "job-2");
    assert_eq!(ids(&history), ["job-1"]);
}

#[test]
fn clear_all_keeps_the_jobs_still_running() {
    let mut history = History::default();
    for (n, status) in [
        (1, RecordStatus::Completed),
        (2, RecordStatus::Queued),
        (3, RecordStatus::Expired),
        (4, RecordStatus::Running),
        (5, RecordStatus::Submitting),
    ] {
        history.upsert(record(n, status), HISTORY_CAP, no_keep);
    }
    let removed = history.clear_finished();
    assert_eq!(removed.len(), 3);
    assert_eq!(ids(&history), ["job-4", "job-2"]);
    assert_eq!(history.unfinished().count(), 2);
}

#[test]
fn merging_keeps_the_copy_that_got_further() {
    let mut history = History::default();
    history.upsert(record(1, RecordStatus::Queued), HISTORY_CAP, no_keep);
    history.upsert(record(2, RecordStatus::Completed), HISTORY_CAP, no_keep);
    let report = history.merge(
        vec![
            record(1, RecordStatus::Completed),
            record(2, RecordStatus::Running),
            record(3, RecordStatus::Failed),
        ],
        HISTORY_CAP,
        no_keep,
    );
    assert_eq!(
        report,
        MergeReport {
            added: 1,
            updated: 1,
            unchanged: 1,
            evicted: 0,
            ..MergeReport::default()
        }
    );
    assert_eq!(ids(&history), ["job-3", "job-2", "job-1"]);
    assert_eq!(
        history.get("job-1").unwrap().status,
        RecordStatus::Completed
    );
    assert_eq!(
        history.get("job-2").unwrap().status,
        RecordStatus::Completed
    );
}

#[test]
fn merging_past_the_cap_evicts_old_finished_jobs_only() {
    let mut history = History::default();
    history.upsert(record(1, RecordStatus::Running), HISTORY_CAP, no_keep);
    let incoming = (2..=5)
        .map(|n| record(n, RecordStatus::Completed))
        .collect();
    let report = history.merge(incoming, 3, no_keep);
    assert_eq!(report.added, 4);
    assert_eq!(report.evicted, 2);
    assert_eq!(ids(&history), ["job-5", "job-4", "job-1"]);
}

#[test]
fn duplicate_ids_in_storage_collapse_to_the_furthest_copy() {
    let stored = serde_json::to_string(&vec![
        record(1, RecordStatus::Queued),
        record(1, RecordStatus::Completed),
    ])
    .unwrap();
    let history = History::from_stored(&stored).unwrap();
    assert_eq!(history.records().len(), 1);
    assert_eq!(history.records()[0].status, RecordStatus::Completed);
}

#[test]
fn a_late_write_from_another_tab_never_moves_a_record_back() {
    let mut history = History::default();
    let done = record(1, RecordStatus::Completed);
    history.upsert(done.clone(), HISTORY_CAP, no_keep);
    // The other tab lost the race for the result and saw fal's 404.
    let mut expired = record(1, RecordStatus::Queued);
    expired.status = RecordStatus::Expired;
    history.upsert(expired, HISTORY_CAP, no_keep);
    history.upsert(record(1, RecordStatus::Running), HISTORY_CAP, no_keep);
    assert_eq!(history.get("job-1"), Some(&done));
}
