//! Tests for [`super`]: ticking, unticking, forgetting, and reading the
//! chosen runs back from the history.

use super::*;
use crate::core::job::record::RecordStatus;
use crate::core::job::test_support::RecordBuilder;

fn run(n: u64, video: Option<&str>) -> JobRecord {
    let r = RecordBuilder::new(format!("job-{n}"), 1_795_513_909_000 + n * 1000)
        .prompt(format!("Run {n}"));
    match video {
        Some(url) => r.status(RecordStatus::Completed).output(url, n as i64),
        None => r.status(RecordStatus::Failed),
    }
    .build()
}

fn history(runs: &[JobRecord]) -> History {
    History::from_stored(&serde_json::to_string(runs).unwrap()).unwrap()
}

fn chosen(ids: &[&str]) -> CompareChoice {
    let mut choice = CompareChoice::default();
    for id in ids {
        choice.toggle(id);
    }
    choice
}

fn ids(runs: &[JobRecord]) -> Vec<&str> {
    runs.iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn a_second_tick_unticks_and_two_runs_are_enough() {
    let mut choice = chosen(&["job-1"]);
    assert!(choice.contains("job-1"));
    assert!(!choice.is_enough());
    choice.toggle("job-2");
    assert!(choice.is_enough());
    assert_eq!(choice.chosen_text(), "2 runs chosen");
    choice.toggle("job-1");
    assert!(!choice.contains("job-1"));
    assert!(choice.contains("job-2"));
    assert!(!choice.is_enough());
}

#[test]
fn the_count_never_says_more_than_can_be_shown() {
    let choice = chosen(&["a", "b", "c", "d", "e", "f"]);
    assert_eq!(choice.chosen_text(), "4 runs chosen");
}

#[test]
fn runs_come_back_in_the_order_chosen_and_only_with_a_video() {
    let h = history(&[
        run(1, Some("https://v.fal.media/1.mp4")),
        run(2, Some("https://v.fal.media/2.mp4")),
        run(3, None),
        run(4, Some("javascript:alert(1)")),
        run(5, Some("https://v.fal.media/5.mp4")),
    ]);
    let choice = chosen(&["job-5", "job-3", "job-4", "job-1", "job-gone"]);
    assert_eq!(ids(&choice.runs(&h)), ["job-5", "job-1"]);
}

#[test]
fn at_most_four_runs_are_shown_side_by_side() {
    let all: Vec<JobRecord> = (1..=6)
        .map(|n| run(n, Some("https://v.fal.media/x.mp4")))
        .collect();
    let h = history(&all);
    let choice = chosen(&["job-6", "job-5", "job-4", "job-3", "job-2", "job-1"]);
    assert_eq!(ids(&choice.runs(&h)), ["job-6", "job-5", "job-4", "job-3"]);
}

#[test]
fn deleted_jobs_leave_the_choice() {
    let mut choice = chosen(&["job-1", "job-2", "job-3"]);
    choice.forget(&["job-2".to_owned(), "job-9".to_owned()]);
    assert!(choice.contains("job-1") && choice.contains("job-3"));
    assert!(!choice.contains("job-2"));
    choice.forget(&["job-1".to_owned(), "job-3".to_owned()]);
    assert_eq!(choice, CompareChoice::default());
}
