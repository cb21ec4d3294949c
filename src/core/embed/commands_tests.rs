//! Tests for [`super`]: which commands are carried out and which refused,
//! and the events that answer them.

use super::*;
use crate::core::form::state::FormState;
use crate::core::job::state::{CancelState, JobState};
use serde_json::json;

fn job_in(state: JobState) -> Job {
    Job {
        state,
        ..Job::new()
    }
}

fn standing(job: Option<&Job>, reach: Reach) -> Standing<'_> {
    Standing {
        job,
        reach,
        simulated: false,
    }
}

/// The reason of a refusal, or a panic naming what came instead.
fn refusal_reason(reply: Reply) -> RefusalReason {
    match reply {
        Reply::Answer(Event::Refused { reason, .. }) => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn generate_goes_to_the_form_only_when_fal_can_be_reached_and_no_job_runs() {
    let done = job_in(JobState::Cancelled);
    for job in [None, Some(&done)] {
        assert_eq!(
            reply(Command::Generate, json!(1), &standing(job, Reach::Ready)),
            Reply::Generate
        );
    }
    let queued = job_in(JobState::InQueue { position: Some(3) });
    assert_eq!(
        refusal_reason(reply(
            Command::Generate,
            json!(1),
            &standing(Some(&queued), Reach::Ready)
        )),
        RefusalReason::Busy
    );
    // A running job is named before a missing key: one Generate is one job.
    assert_eq!(
        refusal_reason(reply(
            Command::Generate,
            json!(1),
            &standing(Some(&queued), Reach::NeedsKey)
        )),
        RefusalReason::Busy
    );
    assert_eq!(
        refusal_reason(reply(
            Command::Generate,
            json!(1),
            &standing(None, Reach::NeedsKey)
        )),
        RefusalReason::NeedsKey
    );
    assert_eq!(
        refusal_reason(reply(
            Command::Generate,
            json!(1),
            &standing(Some(&done), Reach::NotConfigured)
        )),
        RefusalReason::NotConfigured
    );
}

#[test]
fn cancel_is_carried_out_only_for_a_job_that_can_still_be_cancelled() {
    let running = job_in(JobState::InProgress);
    assert_eq!(
        reply(
            Command::Cancel,
            json!("c"),
            &standing(Some(&running), Reach::Ready)
        ),
        Reply::CancelJob {
            answer: Event::Accepted {
                command: "cancel",
                reply_to: json!("c")
            }
        }
    );
    let asked_already = Job {
        cancel: CancelState::Requested,
        ..running.clone()
    };
    let finished = job_in(JobState::Cancelled);
    for job in [None, Some(&asked_already), Some(&finished)] {
        let refused = reply(Command::Cancel, json!("c"), &standing(job, Reach::Ready));
        let Reply::Answer(event) = &refused else {
            panic!("expected a refusal, got {refused:?}");
        };
        let json: Value = serde_json::from_str(&event.to_json()).unwrap();
        assert_eq!(json["reason"], "nothing_to_cancel", "{job:?}");
        assert_eq!(json["command"], "cancel");
        assert_eq!(json["reply_to"], "c");
    }
}

#[test]
fn set_inputs_is_always_carried_out_even_while_a_job_runs() {
    let input = R2vInput {
        prompt: "A koala surfs".into(),
        seed: Some(7),
        ..R2vInput::default()
    };
    let running = job_in(JobState::Submitting);
    assert_eq!(
        reply(
            Command::SetInputs(Box::new(input.clone()), Box::default()),
            json!({"n": 2}),
            &standing(Some(&running), Reach::NeedsKey)
        ),
        Reply::SetInputs {
            input: Box::new(input),
            variations: Box::default(),
            answer: Event::Accepted {
                command: "set_inputs",
                reply_to: json!({"n": 2})
            }
        }
    );
}

#[test]
fn ping_answers_ready_with_what_the_host_needs_to_know() {
    let simulated = Standing {
        job: None,
        reach: Reach::Ready,
        simulated: true,
    };
    // The event's shape on the wire: protocol_tests.rs.
    assert_eq!(
        reply(Command::Ping, json!(null), &simulated),
        Reply::Answer(Event::Ready {
            commands: COMMANDS.to_vec(),
            needs_key: false,
            simulated: true,
        })
    );
    for (reach, needs_key) in [
        (Reach::NeedsKey, true),
        (Reach::NotConfigured, false),
        (Reach::Ready, false),
    ] {
        let Event::Ready { needs_key: n, .. } = standing(None, reach).ready() else {
            panic!("ready is a ready event");
        };
        assert_eq!(n, needs_key, "{reach:?}");
    }
}

#[test]
fn the_forms_answer_to_generate_becomes_accepted_or_a_refusal_with_its_problems() {
    let accepted: Value = serde_json::from_str(
        &Event::generate_outcome(json!("g"), GenerateAnswer::Submitted).to_json(),
    )
    .unwrap();
    assert_eq!(accepted["type"], "accepted");
    assert_eq!(accepted["command"], "generate");
    assert_eq!(accepted["reply_to"], "g");

    let busy: Value =
        serde_json::from_str(&Event::generate_outcome(json!("g"), GenerateAnswer::Busy).to_json())
            .unwrap();
    assert_eq!(busy["reason"], "busy");
    assert_eq!(busy["problems"], json!([]));

    let issues = FormState {
        prompt: String::new(),
        seed_text: "abc".into(),
        ..FormState::default()
    }
    .validate()
    .issues;
    let refused: Value = serde_json::from_str(
        &Event::generate_outcome(json!("g"), GenerateAnswer::Refused(&issues)).to_json(),
    )
    .unwrap();
    assert_eq!(refused["type"], "refused");
    assert_eq!(refused["command"], "generate");
    assert_eq!(refused["reason"], "invalid_input");
    assert_eq!(
        refused["message"],
        "the form has problems: fix them, then generate"
    );
    let fields: Vec<&str> = refused["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"prompt"), "{refused}");
    assert!(fields.contains(&"seed"), "{refused}");
}

#[test]
fn a_batch_the_variations_cannot_make_is_refused_with_the_groups_problems() {
    use crate::core::batch::variations::{Ticked, Variations};
    use crate::core::model::schema::AspectRatio;
    let form = FormState {
        prompt: "Image 1 walks".into(),
        ..FormState::default()
    };
    let refusal = |variations: Variations| -> Value {
        let issues = variations.validate(&form).issues;
        serde_json::from_str(
            &Event::generate_outcome(json!("g"), GenerateAnswer::VariationsRefused(&issues))
                .to_json(),
        )
        .unwrap()
    };
    let problems = |refused: &Value| -> Vec<(String, String)> {
        assert_eq!(refused["reason"], "invalid_input");
        refused["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["field"].as_str().unwrap().to_owned(),
                    p["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let too_many = refusal(Variations {
        seed_count: 8,
        aspect_ratio: Ticked {
            on: true,
            values: vec![
                AspectRatio::Landscape16x9,
                AspectRatio::Square1x1,
                AspectRatio::Portrait9x16,
            ],
        },
        ..Variations::default()
    });
    let runs = problems(&too_many);
    assert_eq!(runs.len(), 1, "{too_many}");
    assert_eq!(runs[0].0, "variations.runs");
    assert!(runs[0].1.contains("24 runs"), "{too_many}");

    let empty_setting = refusal(Variations {
        resolution: Ticked {
            on: true,
            values: vec![],
        },
        ..Variations::default()
    });
    assert_eq!(
        problems(&empty_setting),
        vec![(
            "variations.resolution".to_owned(),
            "Tick at least one resolution to vary, or untick Resolution.".to_owned()
        )]
    );
}
