use serde_json::json;

use super::*;
use crate::core::job::test_support::RecordBuilder;

const T0: u64 = 1_795_513_909_000;

fn record(status: RecordStatus, with_request: bool) -> JobRecord {
    let r = RecordBuilder::new("job-1", T0).cost(132, "").status(status);
    let r = if with_request {
        r.request("https://queue.fal.run/fal-ai/wan/requests", "764cabcf-b745")
    } else {
        r
    };
    r.build()
}

#[test]
fn each_status_has_a_label_and_tone() {
    let cases = [
        (
            RecordStatus::Submitting,
            false,
            "Sending interrupted",
            "failed",
        ),
        (RecordStatus::Submitting, true, "Sent", "live"),
        (RecordStatus::Queued, true, "In queue", "live"),
        (RecordStatus::Running, true, "Generating", "live"),
        (RecordStatus::Completed, true, "Fetching result", "live"),
        (RecordStatus::Failed, true, "Failed", "failed"),
        (RecordStatus::Cancelled, true, "Cancelled", "cancelled"),
        (RecordStatus::Expired, true, "Result expired", "failed"),
    ];
    for (status, with_request, label, tone) in cases {
        let r = record(status, with_request);
        assert_eq!(status_label(&r), label, "{status:?}");
        assert_eq!(status_tone(&r), tone, "{status:?}");
    }
    let mut done = record(RecordStatus::Completed, true);
    done.output = Some(
        serde_json::from_value(json!({"video": {"url": "https://v3.fal.media/o.mp4"}, "seed": 1}))
            .unwrap(),
    );
    assert_eq!(status_label(&done), "Done");
    assert_eq!(status_tone(&done), "done");
    assert_eq!(video_url(&done), Some("https://v3.fal.media/o.mp4"));
    assert!(can_compare(&done));
    done.output.as_mut().unwrap().video.url = "javascript:alert(1)".into();
    assert_eq!(video_url(&done), None);
    assert!(!can_compare(&done));
}

#[test]
fn an_expired_result_says_so_with_its_request_id() {
    let r = record(RecordStatus::Expired, true);
    let note = outcome_note(&r, T0).unwrap();
    assert!(note.starts_with("fal no longer has this result"), "{note}");
    assert!(note.contains("for an hour after the run"), "{note}");
    assert!(note.ends_with("fal request id 764cabcf-b745."), "{note}");
}

#[test]
fn an_unfinished_job_past_the_retention_window_is_flagged_before_checking() {
    let mut r = record(RecordStatus::Running, true);
    r.completed_at_ms = Some(T0);
    assert_eq!(outcome_note(&r, T0 + 1000), None);
    let note = outcome_note(&r, T0 + RESULT_RETENTION_MS + 1).unwrap();
    assert!(note.contains("most likely deleted"), "{note}");
    assert!(note.contains("764cabcf-b745"), "{note}");
}

#[test]
fn failures_quote_the_request_id_once() {
    let mut r = record(RecordStatus::Failed, true);
    r.error = Some("fal had a server problem (HTTP 500).".into());
    assert_eq!(
        outcome_note(&r, T0).unwrap(),
        "fal had a server problem (HTTP 500). fal request id 764cabcf-b745."
    );
    r.error = Some("Boom (fal request id 764cabcf-b745)".into());
    assert_eq!(
        outcome_note(&r, T0).unwrap(),
        "Boom (fal request id 764cabcf-b745)"
    );
}

#[test]
fn other_notes_are_honest_about_billing() {
    assert!(outcome_note(&record(RecordStatus::Submitting, false), T0)
        .unwrap()
        .contains("fal may have received it"));
    assert!(outcome_note(&record(RecordStatus::Cancelled, true), T0)
        .unwrap()
        .contains("may bill"));
    assert!(outcome_note(&record(RecordStatus::Cancelled, false), T0)
        .unwrap()
        .contains("Nothing was billed"));
    assert_eq!(outcome_note(&record(RecordStatus::Queued, true), T0), None);
}

#[test]
fn excerpts_cut_at_words_and_flatten_lines() {
    assert_eq!(prompt_excerpt("  A koala\nsurfs  ", 80), "A koala surfs");
    assert_eq!(prompt_excerpt("", 80), "(no prompt)");
    assert_eq!(
        prompt_excerpt("A koala surfs a wave at sunset, golden light", 30),
        "A koala surfs a wave at sunset…"
    );
    assert_eq!(
        prompt_excerpt("A koala surfs a wave at sunset, golden light", 28),
        "A koala surfs a wave at…"
    );
    // No space near the end: cut mid-word rather than lose most of it.
    assert_eq!(prompt_excerpt("Supercalifragilistic", 10), "Supercalif…");
    assert_eq!(prompt_excerpt("🐨🐨🐨🐨", 2), "🐨🐨…");
}

#[test]
fn costs_say_when_they_are_a_floor() {
    let mut r = record(RecordStatus::Queued, true);
    assert_eq!(cost_text(&r), "$1.32");
    r.cost.complete = false;
    assert_eq!(cost_text(&r), "at least $1.32");
}

#[test]
fn the_request_id_line_shows_only_where_it_helps_and_only_once() {
    let queued = record(RecordStatus::Queued, true);
    assert_eq!(
        request_id_line(&queued, None).as_deref(),
        Some("764cabcf-b745")
    );
    // The note already quotes it.
    let expired = record(RecordStatus::Expired, true);
    let note = outcome_note(&expired, T0);
    assert_eq!(request_id_line(&expired, note.as_deref()), None);
    // A note that does not quote it leaves the line.
    let cancelled = record(RecordStatus::Cancelled, true);
    let note = outcome_note(&cancelled, T0);
    assert_eq!(
        request_id_line(&cancelled, note.as_deref()).as_deref(),
        Some("764cabcf-b745")
    );
    // A finished job with its video needs no id, and one never sent has none.
    assert_eq!(
        request_id_line(&record(RecordStatus::Completed, true), None),
        None
    );
    assert_eq!(
        request_id_line(&record(RecordStatus::Submitting, false), None),
        None
    );
}

#[test]
fn an_entry_is_rebuilt_exactly_when_what_it_shows_changes() {
    let queued = record(RecordStatus::Queued, true);
    let mut later = queued.clone();
    later.cost.cents = 999;
    later.completed_at_ms = Some(T0 + 5);
    assert_eq!(display_key(&queued), display_key(&later));
    for changed in [
        {
            let mut r = queued.clone();
            r.status = RecordStatus::Running;
            r
        },
        {
            let mut r = queued.clone();
            r.request = None;
            r
        },
        {
            let mut r = queued.clone();
            r.error = Some("boom".into());
            r
        },
        {
            let mut r = queued.clone();
            r.output = Some(
                serde_json::from_value(
                    json!({"video": {"url": "https://v3.fal.media/o.mp4"}, "seed": 1}),
                )
                .unwrap(),
            );
            r
        },
    ] {
        assert_ne!(display_key(&queued), display_key(&changed), "{changed:?}");
    }
}

#[test]
fn title_ids_are_safe_for_an_element_id() {
    let mut r = record(RecordStatus::Queued, true);
    assert_eq!(title_element_id(&r), "history-job-1-title");
    r.id = "job 1\"><script>".into();
    assert_eq!(title_element_id(&r), "history-job-1---script--title");
}

#[test]
fn the_video_file_name_carries_the_request_id_and_seed() {
    let mut done = record(RecordStatus::Completed, true);
    assert_eq!(video_file_name(&done), "");
    done.output = Some(
        serde_json::from_value(
            json!({"video": {"url": "https://v3.fal.media/o.mp4", "content_type": "video/mp4"}, "seed": 42}),
        )
        .unwrap(),
    );
    let name = video_file_name(&done);
    assert!(name.starts_with("wan-r2v-764cabcf"), "{name}");
    assert!(name.contains("seed42"), "{name}");
}
