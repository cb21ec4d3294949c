//! Tests for [`super`]: the message schema, and who may take part.

use super::*;
use crate::core::embed::gate::{
    ignored_origin_warning, normalise_origin, origin_of_address, EmbedGate,
};
use crate::core::embed::problems::problems;
use crate::core::form::state::FormState;
use crate::core::model::schema::{AspectRatio, DurationSeconds, Resolution};
use serde_json::json;

fn command(value: Value) -> Incoming {
    read_command(&value.to_string())
}

fn gate(origins: &[&str]) -> EmbedGate {
    EmbedGate::new(&origins.iter().map(|o| o.to_string()).collect::<Vec<_>>())
}

#[test]
fn the_embedded_layout_is_asked_for_in_the_query() {
    assert!(embed_requested("?embed=1"));
    assert!(embed_requested("?x=2&embed=true"));
    assert!(embed_requested("embed=1"));
    assert!(!embed_requested(""));
    assert!(!embed_requested("?embed=0"));
    assert!(!embed_requested("?embed"));
    assert!(!embed_requested("?embedded=1"));
    assert!(!embed_requested("?noembed=1"));
}

#[test]
fn only_listed_origins_may_command() {
    let g = gate(&["https://host.example", "http://127.0.0.1:9000/"]);
    assert!(g.accepts("https://host.example"));
    assert!(g.accepts("http://127.0.0.1:9000"));
    assert!(
        g.accepts("HTTPS://HOST.example:443"),
        "same origin, other spelling"
    );
    assert!(!g.accepts("https://host.example:8443"));
    assert!(
        !g.accepts("http://host.example"),
        "the scheme is part of the origin"
    );
    assert!(!g.accepts("https://evil.host.example"));
    assert!(!g.accepts("https://host.example.evil"));
    assert!(!g.accepts("null"), "sandboxed frames and file: pages");
    assert!(!g.accepts(""));
    assert!(!g.is_closed());

    let closed = gate(&[]);
    assert!(closed.is_closed());
    assert!(!closed.accepts("https://host.example"));

    let any = gate(&["*"]);
    assert!(any.accepts("https://anyone.example"));
    assert!(any.accepts("null"));
}

#[test]
fn a_refused_origin_is_named_with_the_setting_that_would_let_it_in() {
    let warning = ignored_origin_warning("https://evil.example");
    assert!(warning.contains("https://evil.example"), "{warning}");
    assert!(warning.contains("embed_allowed_origins"), "{warning}");
    assert!(warning.contains("config.json"), "{warning}");
}

#[test]
fn events_go_only_to_an_allowed_parent_and_never_to_star_unless_configured() {
    let g = gate(&["https://host.example"]);
    assert_eq!(
        g.target(Some("https://host.example")).as_deref(),
        Some("https://host.example")
    );
    assert_eq!(g.target(Some("https://evil.example")), None);
    assert_eq!(g.target(None), None, "an unknown parent gets nothing");
    assert_eq!(g.target(Some("null")), None);
    assert_eq!(gate(&[]).target(Some("https://host.example")), None);

    let any = gate(&["*"]);
    // A known parent is still addressed by its own origin.
    assert_eq!(
        any.target(Some("https://x.example")).as_deref(),
        Some("https://x.example")
    );
    assert_eq!(any.target(None).as_deref(), Some("*"));
}

#[test]
fn origins_are_normalised_like_the_browser_writes_them() {
    assert_eq!(
        normalise_origin("HTTP://Example.COM:80/").as_deref(),
        Some("http://example.com")
    );
    assert_eq!(
        normalise_origin("https://example.com:8443").as_deref(),
        Some("https://example.com:8443")
    );
    assert_eq!(normalise_origin("https://example.com/page"), None);
    assert_eq!(normalise_origin("ftp://example.com"), None);
    assert_eq!(normalise_origin("*"), None);
    assert_eq!(
        origin_of_address("https://Host.example:443/blog/post?x=1#y").as_deref(),
        Some("https://host.example")
    );
    assert_eq!(origin_of_address("about:blank"), None);
    assert_eq!(origin_of_address(""), None);
}

#[test]
fn reads_each_command_with_its_id() {
    assert_eq!(
        command(
            json!({"protocol": "wan-r2v-studio", "version": 1, "type": "generate", "id": "g1"})
        ),
        Incoming::Command {
            id: json!("g1"),
            command: Command::Generate
        }
    );
    assert_eq!(
        command(json!({"protocol": "wan-r2v-studio", "version": 1, "type": "cancel", "id": 7})),
        Incoming::Command {
            id: json!(7),
            command: Command::Cancel
        }
    );
    assert_eq!(
        command(json!({"protocol": "wan-r2v-studio", "version": 1, "type": "ping"})),
        Incoming::Command {
            id: Value::Null,
            command: Command::Ping
        }
    );
}

#[test]
fn set_inputs_fills_the_whole_form_with_the_models_defaults() {
    let Incoming::Command {
        command: Command::SetInputs(input, variations),
        ..
    } = command(json!({
        "protocol": "wan-r2v-studio", "version": 1, "type": "set_inputs",
        "inputs": {
            "prompt": "Image 1 waves",
            "reference_image_urls": ["https://example.com/a.png"],
            "aspect_ratio": "9:16",
            "resolution": "720p",
            "duration": 8,
            "seed": 7,
            "negative_prompt": null
        }
    }))
    else {
        panic!("set_inputs should read");
    };
    assert_eq!(input.prompt, "Image 1 waves");
    assert_eq!(input.reference_image_urls, ["https://example.com/a.png"]);
    assert_eq!(input.aspect_ratio, AspectRatio::Portrait9x16);
    assert_eq!(input.resolution, Resolution::P720);
    assert_eq!(input.duration, DurationSeconds::new(8).unwrap());
    assert_eq!(input.seed, Some(7));
    assert_eq!(input.negative_prompt, None);
    assert!(input.enable_safety_checker, "the model's default");
    assert_eq!(
        *variations,
        Default::default(),
        "no variations: a single run"
    );

    // Loaded into the form, the inputs come back unchanged.
    let mut state = FormState::default();
    state.load_input(&input);
    assert_eq!(state.request().input, *input);

    let Incoming::Command {
        command: Command::SetInputs(empty, _),
        ..
    } = command(
        json!({"protocol": "wan-r2v-studio", "version": 1, "type": "set_inputs", "inputs": {}}),
    )
    else {
        panic!("an empty inputs object is a blank form");
    };
    assert_eq!(*empty, R2vInput::default());
}

fn refusal(value: Value) -> (Value, Option<String>, String) {
    match command(value) {
        Incoming::Invalid {
            id,
            command,
            message,
        } => (id, command, message),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn unusable_commands_are_refused_with_a_reason() {
    let base = |extra: Value| {
        let mut m = json!({"protocol": "wan-r2v-studio", "version": 1, "id": "x"});
        m.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        m
    };
    let (id, cmd, why) = refusal(base(json!({"type": "launch"})));
    assert_eq!((id, cmd.as_deref()), (json!("x"), Some("launch")));
    assert!(why.contains("unknown command \"launch\""), "{why}");
    assert!(why.contains("set_inputs, generate, cancel, ping"), "{why}");

    let (_, _, why) = refusal(base(json!({"type": "set_inputs"})));
    assert!(why.contains("\"inputs\" object"), "{why}");
    let (_, _, why) = refusal(base(
        json!({"type": "set_inputs", "inputs": {"prompt": "p", "fal_key": "id:secret"}}),
    ));
    assert!(why.contains("no field \"fal_key\""), "{why}");
    let (_, _, why) = refusal(base(
        json!({"type": "set_inputs", "inputs": {"aspect_ratio": "21:9"}}),
    ));
    assert!(why.contains("21:9"), "{why}");
    let (_, _, why) = refusal(base(
        json!({"type": "set_inputs", "inputs": {"duration": 11}}),
    ));
    assert!(why.contains("duration 11 is not 2-10"), "{why}");
    let (_, _, why) = refusal(base(
        json!({"type": "set_inputs", "inputs": {"seed": "seven"}}),
    ));
    assert!(why.starts_with("inputs: "), "{why}");

    let (_, _, why) =
        refusal(json!({"protocol": "wan-r2v-studio", "version": 2, "type": "generate"}));
    assert!(why.contains("version 2 is not supported"), "{why}");
    let (_, _, why) = refusal(json!({"protocol": "wan-r2v-studio", "type": "generate"}));
    assert!(why.contains("\"version\" must be the number 1"), "{why}");
    let (_, _, why) = refusal(json!({"protocol": "wan-r2v-studio", "version": 1}));
    assert!(why.contains("needs a \"type\""), "{why}");
}

#[test]
fn other_scripts_messages_are_not_ours() {
    for other in [
        "\"hello\"",
        "42",
        "null",
        "not json",
        r#"{"type":"generate","version":1}"#,
        r#"{"protocol":"something-else","version":1,"type":"generate"}"#,
        r#"["wan-r2v-studio"]"#,
    ] {
        assert_eq!(read_command(other), Incoming::NotOurs, "{other}");
    }
}

#[test]
fn events_carry_the_protocol_version_and_type() {
    let ready = Event::Ready {
        commands: COMMANDS.to_vec(),
        needs_key: true,
        simulated: false,
    };
    let json: Value = serde_json::from_str(&ready.to_json()).unwrap();
    assert_eq!(
        json,
        json!({
            "protocol": "wan-r2v-studio",
            "version": 1,
            "type": "ready",
            "commands": ["set_inputs", "generate", "cancel", "ping"],
            "needs_key": true,
            "simulated": false
        })
    );
    let refused = Event::refused(&Command::Generate, json!("g1"), RefusalReason::Busy);
    let json: Value = serde_json::from_str(&refused.to_json()).unwrap();
    assert_eq!(json["type"], "refused");
    assert_eq!(json["command"], "generate");
    assert_eq!(json["reply_to"], "g1");
    assert_eq!(json["reason"], "busy");
    assert!(json["message"]
        .as_str()
        .unwrap()
        .contains("a job is running"));
    assert_eq!(refused.name(), "refused");
}

#[test]
fn form_problems_name_their_fields() {
    let state = FormState {
        prompt: "x".repeat(6000),
        seed_text: "abc".into(),
        ..FormState::default()
    };
    let issues = state.validate().issues;
    let problems = problems(&issues);
    let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
    assert!(fields.contains(&"prompt"), "{problems:?}");
    assert!(fields.contains(&"seed"), "{problems:?}");
    assert!(problems.iter().all(|p| !p.message.is_empty()));
    // Warnings do not block Generate and are not refusals.
    assert_eq!(
        problems.len(),
        issues.iter().filter(|i| i.is_error()).count()
    );
}

#[test]
fn set_inputs_carries_the_variations_and_refuses_bad_ones() {
    let Incoming::Command {
        command: Command::SetInputs(_, variations),
        ..
    } = command(json!({
        "protocol": "wan-r2v-studio", "version": 1, "type": "set_inputs",
        "inputs": {"prompt": "A koala surfs"},
        "variations": {"seeds": 2, "vary": {"aspect_ratio": ["16:9", "9:16", "1:1"]}}
    }))
    else {
        panic!("set_inputs with variations should read");
    };
    assert_eq!(variations.run_count(), 6);

    let refused = command(json!({
        "protocol": "wan-r2v-studio", "version": 1, "type": "set_inputs", "id": 4,
        "inputs": {"prompt": "A koala surfs"},
        "variations": {"seeds": 12}
    }));
    let Incoming::Invalid { message, .. } = refused else {
        panic!("12 seeds must be refused, got {refused:?}");
    };
    assert!(message.contains("seeds must be 1 to 8"), "{message}");
}

#[test]
fn a_runs_events_name_its_batch_and_place() {
    use crate::core::batch::batch_id::{BatchId, BatchRun};
    let event = Event::Submitted {
        job_id: "job-1-000001".into(),
        request_id: "req-1".into(),
    };
    let run = BatchRun {
        batch_id: BatchId::from_random(3),
        index: 4,
        total: 6,
        caption: "Seed 2 · 9:16".into(),
    };
    let json: Value = serde_json::from_str(&event.to_json_for_run(Some(&run))).unwrap();
    assert_eq!(json["type"], "submitted");
    assert_eq!(json["job_id"], "job-1-000001");
    assert_eq!(json["batch_id"], "b-0000000000000003");
    assert_eq!(json["run_index"], 4);
    assert_eq!(json["run_total"], 6);
    let single: Value = serde_json::from_str(&event.to_json()).unwrap();
    assert!(single.get("batch_id").is_none());
}
