//! Tests for [`super`]: paced, each run started once, `Retry-After` holding
//! the batch, cancels before and after a submit. The last test drives real
//! [`Submitter`]s with fal's answers, as the web layer will.

use std::time::Duration;

use super::*;
use crate::core::fal::endpoint::QueueEndpoint;
use crate::core::fal::error::NetworkFailure;
use crate::core::fal::http::HttpResponse;
use crate::core::job::submit::{SubmitStep, Submitter};
use crate::core::model::schema::R2vInput;

use QueueAction::{CancelAtFal, Start, WakeAt};

#[test]
fn two_in_flight_then_one_more_per_finished_submit() {
    let mut q = SubmitQueue::new(5);
    assert_eq!(q.next_actions(0), vec![Start(0), Start(1)]);
    assert_eq!(q.next_actions(0), vec![], "nothing is started twice");
    q.on_finished(1, SubmitOutcome::Accepted);
    assert_eq!(q.next_actions(10), vec![Start(2)]);
    q.on_finished(0, SubmitOutcome::Refused);
    q.on_finished(2, SubmitOutcome::NoAnswer);
    assert_eq!(q.next_actions(20), vec![Start(3), Start(4)]);
    q.on_finished(3, SubmitOutcome::Accepted);
    q.on_finished(4, SubmitOutcome::Accepted);
    assert!(q.is_settled());
    assert_eq!(
        q.states(),
        &[
            RunSubmit::Refused,
            RunSubmit::Accepted,
            RunSubmit::Unknown,
            RunSubmit::Accepted,
            RunSubmit::Accepted
        ]
    );
    assert_eq!(q.next_actions(30), vec![]);
}

#[test]
fn a_run_without_an_answer_is_never_started_again() {
    let mut q = SubmitQueue::new(1);
    assert_eq!(q.next_actions(0), vec![Start(0)]);
    q.on_finished(0, SubmitOutcome::NoAnswer);
    // A late or repeated report changes nothing.
    q.on_finished(0, SubmitOutcome::Accepted);
    assert_eq!(q.states(), &[RunSubmit::Unknown]);
    assert_eq!(q.next_actions(99), vec![]);
    assert_eq!(q.cancel(0), CancelOutcome::Nothing);
}

#[test]
fn retry_after_holds_every_new_start_until_its_time() {
    let mut q = SubmitQueue::new(4);
    assert_eq!(q.next_actions(1_000), vec![Start(0), Start(1)]);
    q.on_told_to_wait(0, 6_000);
    q.on_finished(1, SubmitOutcome::Accepted);
    assert_eq!(q.next_actions(1_500), vec![WakeAt(6_000)]);
    q.on_told_to_wait(0, 4_000);
    assert_eq!(
        q.next_actions(5_999),
        vec![WakeAt(6_000)],
        "a shorter wait never shortens the hold"
    );
    assert_eq!(q.next_actions(6_000), vec![Start(2)]);
    q.on_finished(0, SubmitOutcome::Accepted);
    assert_eq!(q.next_actions(6_001), vec![Start(3)]);
    q.on_told_to_wait(1, 99_000);
    assert_eq!(
        q.next_actions(6_002),
        vec![],
        "a run not in flight cannot hold the batch"
    );
}

#[test]
fn cancelling_a_run_not_yet_sent_makes_no_call() {
    let mut q = SubmitQueue::new(3);
    assert_eq!(q.cancel(2), CancelOutcome::CancelledLocally);
    assert_eq!(q.next_actions(0), vec![Start(0), Start(1)]);
    q.on_finished(0, SubmitOutcome::Accepted);
    q.on_finished(1, SubmitOutcome::Accepted);
    assert_eq!(q.next_actions(0), vec![]);
    assert_eq!(q.states()[2], RunSubmit::Cancelled);
    assert_eq!(q.cancel(2), CancelOutcome::Nothing);
    assert_eq!(q.cancel(7), CancelOutcome::Nothing);
}

#[test]
fn cancel_all_cancels_waiting_runs_here_and_sent_ones_at_fal_once_known() {
    let mut q = SubmitQueue::new(4);
    assert_eq!(q.next_actions(0), vec![Start(0), Start(1)]);
    q.on_finished(0, SubmitOutcome::Accepted);
    assert_eq!(q.next_actions(0), vec![Start(2)]);
    assert_eq!(
        q.cancel_all(),
        vec![
            (0, CancelOutcome::AtFal),
            (1, CancelOutcome::AtFal),
            (2, CancelOutcome::AtFal),
            (3, CancelOutcome::CancelledLocally)
        ]
    );
    assert_eq!(q.next_actions(1), vec![CancelAtFal(0)]);
    assert_eq!(q.next_actions(2), vec![], "each cancel is handed out once");
    q.on_finished(1, SubmitOutcome::Accepted);
    q.on_finished(2, SubmitOutcome::NoAnswer);
    assert_eq!(q.next_actions(3), vec![CancelAtFal(1)]);
    assert!(q.is_settled());
    assert_eq!(q.next_actions(4), vec![]);
}

#[test]
fn cancel_all_before_any_submit_costs_nothing_and_sends_nothing() {
    let mut q = SubmitQueue::new(6);
    assert_eq!(
        q.cancel_all(),
        (0..6)
            .map(|i| (i, CancelOutcome::CancelledLocally))
            .collect::<Vec<_>>(),
        "no run is at fal, so none is cancelled there"
    );
    assert!(q.is_settled());
    assert_eq!(q.states(), &[RunSubmit::Cancelled; 6]);
    // Nothing starts, and no cancel call is ever handed out, later either.
    assert_eq!(q.next_actions(0), vec![]);
    assert_eq!(q.next_actions(60_000), vec![]);
    // A second press changes nothing.
    assert!(q
        .cancel_all()
        .iter()
        .all(|(_, outcome)| *outcome == CancelOutcome::Nothing));
    assert_eq!(q.next_actions(60_001), vec![]);
}

#[test]
fn a_reload_counts_a_run_that_was_mid_submit_as_unknown() {
    let mut q = SubmitQueue::resumed(vec![
        RunSubmit::Accepted,
        RunSubmit::InFlight,
        RunSubmit::Waiting,
        RunSubmit::Waiting,
    ]);
    assert_eq!(q.states()[1], RunSubmit::Unknown);
    assert_eq!(q.next_actions(0), vec![Start(2), Start(3)]);
}

/// A queue of three runs whose Submitters meet fal's answers: run 0 gets a
/// 429 with `Retry-After: 3`, run 1 loses its connection. Each run's submit
/// goes out exactly as often as the rules allow.
#[test]
fn real_submitters_paced_by_the_queue_send_each_run_once() {
    let endpoint = QueueEndpoint::new(
        "https://queue.fal.run",
        "fal-ai/wan/v2.7/reference-to-video",
    )
    .unwrap();
    let mut submitters: Vec<Submitter> = (0..3)
        .map(|i| {
            let input = R2vInput {
                prompt: format!("Image 1 waves, run {i}"),
                ..R2vInput::default()
            };
            Submitter::new(&endpoint, &input)
        })
        .collect();
    let mut sends = [0; 3];
    let now_secs = 1_795_513_909;
    let mut send = |s: &mut Submitter, i: usize| match s.next_step() {
        SubmitStep::Send { after, .. } => {
            sends[i] += 1;
            after
        }
        other => panic!("expected a send, got {other:?}"),
    };
    let accepted = |id: &str| {
        let base = format!("https://queue.fal.run/fal-ai/wan/requests/{id}");
        HttpResponse::new(
            200,
            format!(
                r#"{{"status":"IN_QUEUE","request_id":"{id}","response_url":"{base}",
                "status_url":"{base}/status","cancel_url":"{base}/cancel"}}"#
            ),
        )
        .with_header("content-type", "application/json")
    };
    let mut q = SubmitQueue::new(3);
    let t0 = now_secs * 1_000;
    assert_eq!(q.next_actions(t0), vec![Start(0), Start(1)]);
    assert_eq!(send(&mut submitters[0], 0), Duration::ZERO);
    assert_eq!(send(&mut submitters[1], 1), Duration::ZERO);

    let busy = HttpResponse::new(429, r#"{"detail":"Too many requests"}"#)
        .with_header("content-type", "application/json")
        .with_header("retry-after", "3");
    submitters[0].on_answer(&busy, now_secs, 0.5);
    submitters[1].on_no_answer(NetworkFailure::Interrupted);
    let wait = send(&mut submitters[0], 0);
    assert!(wait >= Duration::from_secs(3), "{wait:?}");
    q.on_told_to_wait(0, t0 + wait.as_millis() as u64);
    let SubmitStep::Failed(lost) = submitters[1].next_step() else {
        panic!("a submit without an answer fails")
    };
    q.on_finished(1, SubmitOutcome::of_failure(&lost));
    assert_eq!(q.states()[1], RunSubmit::Unknown);
    assert_eq!(
        q.next_actions(t0 + 1_000),
        vec![WakeAt(t0 + wait.as_millis() as u64)]
    );

    submitters[0].on_answer(&accepted("a0"), now_secs + 3, 0.5);
    assert!(matches!(
        submitters[0].next_step(),
        SubmitStep::Accepted { .. }
    ));
    q.on_finished(0, SubmitOutcome::Accepted);
    assert_eq!(q.next_actions(t0 + wait.as_millis() as u64), vec![Start(2)]);
    assert_eq!(send(&mut submitters[2], 2), Duration::ZERO);
    submitters[2].on_answer(&accepted("a2"), now_secs + 4, 0.5);
    q.on_finished(2, SubmitOutcome::Accepted);
    assert!(q.is_settled());
    assert_eq!(sends, [2, 1, 1], "run 0 again only after fal's 429");
}

#[test]
fn a_failure_counts_as_unknown_only_when_fal_may_have_the_job() {
    use crate::core::fal::classify::classify;
    use crate::core::fal::error::FalError;
    let gateway = |status| {
        classify(
            &HttpResponse::new(status, "bad gateway"),
            0,
            "a submit answer",
        )
    };
    assert_eq!(
        SubmitOutcome::of_failure(&FalError::network(NetworkFailure::Interrupted)),
        SubmitOutcome::NoAnswer
    );
    assert_eq!(
        SubmitOutcome::of_failure(&gateway(502)),
        SubmitOutcome::NoAnswer
    );
    assert_eq!(
        SubmitOutcome::of_failure(&gateway(504)),
        SubmitOutcome::NoAnswer
    );
    assert_eq!(
        SubmitOutcome::of_failure(&gateway(422)),
        SubmitOutcome::Refused
    );
    assert_eq!(
        SubmitOutcome::of_failure(&gateway(429)),
        SubmitOutcome::Refused
    );
}
