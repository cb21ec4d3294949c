//! Tests for [`super`]: one message per case.

use super::*;

fn with_status(kind: FalErrorKind, status: u16) -> FalError {
    FalError {
        http_status: Some(status),
        ..FalError::new(kind)
    }
}

#[test]
fn every_kind_has_its_own_actionable_message() {
    let cases = [
        (
            with_status(FalErrorKind::Auth { by_proxy: false }, 401),
            "key_id:key_secret",
        ),
        (
            with_status(FalErrorKind::Auth { by_proxy: false }, 403),
            "not allowed",
        ),
        (
            with_status(FalErrorKind::Auth { by_proxy: true }, 401),
            "proxy refused",
        ),
        (with_status(FalErrorKind::NotFound, 404), "6 minutes"),
        (with_status(FalErrorKind::RateLimited, 429), "shortly"),
        (
            with_status(FalErrorKind::StartTimeout, 504),
            "start deadline",
        ),
        (with_status(FalErrorKind::ProxyRefused, 400), "allow-list"),
        (
            with_status(
                FalErrorKind::Rejected {
                    detail: Some("Payload too large".into()),
                },
                413,
            ),
            "HTTP 413): Payload too large",
        ),
        (FalError::network(NetworkFailure::Offline), "offline"),
        (FalError::network(NetworkFailure::Unreachable), "CORS"),
        (FalError::network(NetworkFailure::TimedOut), "in time"),
        (FalError::network(NetworkFailure::Interrupted), "dropped"),
        (
            FalError::malformed("expected a status object"),
            "expected a status object",
        ),
    ];
    for (error, needle) in cases {
        let message = error.message();
        assert!(message.contains(needle), "{message:?} lacks {needle:?}");
    }
}

#[test]
fn server_errors_name_the_error_type_and_say_they_are_not_billed() {
    let error = FalError {
        request_id: Some("764cabcf-b745".into()),
        ..with_status(
            FalErrorKind::Server {
                error_type: Some("runner_scheduling_failure".into()),
                detail: Some("No runner available".into()),
            },
            503,
        )
    };
    assert_eq!(
        error.to_string(),
        "fal had no machine free to run the model (HTTP 503, runner_scheduling_failure): \
         No runner available. fal does not bill server errors; try again later. \
         (fal request id 764cabcf-b745)"
    );
    let timeout = with_status(
        FalErrorKind::Server {
            error_type: Some("request_timeout".into()),
            detail: None,
        },
        504,
    );
    assert!(timeout.message().starts_with("The run took longer"));
}

#[test]
fn rate_limit_message_says_how_long_to_wait() {
    let mut error = with_status(FalErrorKind::RateLimited, 429);
    for (secs, text) in [
        (1, "1 second"),
        (45, "45 seconds"),
        (90, "1 minute"),
        (150, "3 minutes"),
    ] {
        error.retry_after = Some(Duration::from_secs(secs));
        assert!(
            error.message().contains(&format!("in {text}.")),
            "{}",
            error.message()
        );
    }
}

#[test]
fn validation_and_content_policy_name_the_inputs() {
    let problem = |target, message: &str, error_type: &str, categories: &[&str]| InputProblem {
        target,
        message: message.into(),
        error_type: error_type.into(),
        categories: categories.iter().map(|c| c.to_string()).collect(),
    };
    let validation = FalError::new(FalErrorKind::Validation(vec![
        problem(
            ErrorTarget::Field(Field::Prompt),
            "String should have at most 5000 characters",
            "string_too_long",
            &[],
        ),
        problem(
            ErrorTarget::Setting("aspect_ratio".into()),
            "Input should be '16:9'",
            "enum",
            &[],
        ),
    ]));
    assert_eq!(
        validation.message(),
        "fal refused the input. The prompt: String should have at most 5000 characters; \
         The aspect ratio setting: Input should be '16:9'"
    );
    assert_eq!(validation.problems_for(Field::Prompt).count(), 1);
    assert_eq!(validation.problems_for(Field::Seed).count(), 0);

    let policy = FalError::new(FalErrorKind::ContentPolicy(vec![problem(
        ErrorTarget::Field(Field::ReferenceImage(1)),
        "The content was flagged by a content checker.",
        "content_policy_violation",
        &["sexual", "model_moderated"],
    )]));
    assert!(policy
        .message()
        .starts_with("fal's content checker flagged reference image 2 (sexual, model moderated)."));
    let output = FalError::new(FalErrorKind::ContentPolicy(vec![problem(
        ErrorTarget::Request,
        "flagged",
        "content_policy_violation",
        &[],
    )]));
    assert!(output
        .message()
        .contains("flagged this request or its result."));
}

#[test]
fn every_target_reads_naturally() {
    let cases = [
        (ErrorTarget::Field(Field::Prompt), "the prompt"),
        (
            ErrorTarget::Field(Field::NegativePrompt),
            "the negative prompt",
        ),
        (
            ErrorTarget::Field(Field::ReferenceImage(0)),
            "reference image 1",
        ),
        (
            ErrorTarget::Field(Field::ReferenceVideo(2)),
            "reference video 3",
        ),
        (ErrorTarget::Field(Field::References), "the references"),
        (ErrorTarget::Field(Field::Seed), "the seed"),
        (
            ErrorTarget::Setting("enable_safety_checker".into()),
            "the enable safety checker setting",
        ),
        (ErrorTarget::Request, "the request"),
    ];
    for (target, text) in cases {
        assert_eq!(target.describe(), text);
    }
    let request_level = FalError::new(FalErrorKind::Validation(vec![InputProblem {
        target: ErrorTarget::Request,
        message: "At least one reference is required".into(),
        error_type: "value_error".into(),
        categories: vec![],
    }]));
    assert_eq!(
        request_level.message(),
        "fal refused the input. At least one reference is required"
    );
    let empty = with_status(FalErrorKind::Validation(vec![]), 422);
    assert_eq!(empty.message(), "fal refused the input (HTTP 422).");
    assert_eq!(empty.problems_for(Field::Prompt).count(), 0);
    let not_input = with_status(FalErrorKind::NotFound, 404);
    assert_eq!(not_input.problems_for(Field::Prompt).count(), 0);
}

#[test]
fn each_infrastructure_error_type_has_its_own_words() {
    let server = |error_type: Option<&str>, status: Option<u16>| FalError {
        http_status: status,
        ..FalError::new(FalErrorKind::Server {
            error_type: error_type.map(str::to_owned),
            detail: None,
        })
    };
    let cases = [
        (
            Some("startup_timeout"),
            Some(504),
            "could not start the model in time (HTTP 504, startup_timeout).",
        ),
        (
            Some("runner_connection_timeout"),
            Some(503),
            "could not reach the machine",
        ),
        (
            Some("runner_connection_refused"),
            None,
            "could not reach the machine running the model (runner_connection_refused).",
        ),
        (
            Some("runner_disconnected"),
            Some(503),
            "The machine running the model disconnected",
        ),
        (
            Some("something_new"),
            Some(500),
            "fal had a server problem (HTTP 500, something_new).",
        ),
        (None, Some(502), "fal had a server problem (HTTP 502)."),
        (None, None, "fal had a server problem. fal does not bill"),
    ];
    for (error_type, status, needle) in cases {
        let message = server(error_type, status).message();
        assert!(message.contains(needle), "{message:?} lacks {needle:?}");
    }
    let bare = with_status(FalErrorKind::Rejected { detail: None }, 409);
    assert_eq!(bare.message(), "fal refused the request (HTTP 409).");
}

/// The release build's job code did not arrive (src/ui/on_demand.rs): a new
/// job fails before anything is sent and says to Generate again; a job
/// already at fal says it may still run, and "Check again" is offered.
#[test]
fn code_not_loaded_says_whether_the_job_reached_fal() {
    use crate::core::job::state::{Job, JobEvent, JobState};

    let unsent = FalError::new(FalErrorKind::CodeNotLoaded { submitted: false });
    assert!(unsent
        .message()
        .contains("Nothing was sent to fal; press Generate to try again."));
    assert!(!unsent.kind.may_pass_on_a_later_look());
    let failed = Job::new()
        .apply(JobEvent::Failed(unsent.clone()))
        .expect("a draft can fail");
    assert_eq!(failed.state, JobState::Failed(unsent));
    assert!(!failed.submit_outcome_unknown());

    let sent = FalError::new(FalErrorKind::CodeNotLoaded { submitted: true });
    assert!(sent
        .message()
        .contains("The job may still be running at fal"));
    assert!(sent.message().contains("\"Check again\""));
    assert!(sent.kind.may_pass_on_a_later_look());
}
