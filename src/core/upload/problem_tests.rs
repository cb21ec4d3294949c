//! Tests for [`super`]: retry, start again, or give up with which message.

use super::*;
use crate::core::fal::classify::classify;
use crate::core::fal::http::HttpResponse;

const NOW: u64 = 1_795_513_909;
const MID: f64 = 0.5;

fn answer(code: u16, body: &str) -> FalError {
    classify(&HttpResponse::new(code, body), NOW, "x")
}

fn network(failure: NetworkFailure) -> FalError {
    FalError::network(failure)
}

fn give_up(kind: CallKind, error: &FalError, via_proxy: bool) -> UploadProblem {
    match after_failure(kind, error, 3, false, via_proxy, MID) {
        Recovery::GiveUp(problem) => problem,
        other => panic!("expected to give up, got {other:?}"),
    }
}

#[test]
fn each_part_is_retried_on_its_own_with_the_upload_policy() {
    let dropped = network(NetworkFailure::Interrupted);
    assert_eq!(
        after_failure(CallKind::UploadPart, &dropped, 0, false, false, MID),
        Recovery::RetryAfter(Duration::from_secs(1))
    );
    assert_eq!(
        after_failure(CallKind::UploadPart, &dropped, 2, false, false, MID),
        Recovery::RetryAfter(Duration::from_secs(4))
    );
    // The part's fourth failure (three retries spent) is final.
    assert_eq!(
        after_failure(CallKind::UploadPart, &dropped, 3, false, false, MID),
        Recovery::GiveUp(UploadProblem::Network {
            failure: NetworkFailure::Interrupted,
            storage: true,
            via_proxy: false,
        })
    );
    let busy = answer(503, r#"{"detail":"busy"}"#);
    for kind in [
        CallKind::UploadFile,
        CallKind::CompleteMultipart,
        CallKind::StorageInitiate,
    ] {
        assert!(
            matches!(
                after_failure(kind, &busy, 0, false, false, MID),
                Recovery::RetryAfter(_)
            ),
            "{kind:?}"
        );
    }
    // Upload waits are capped short: the signed address does not live long.
    assert_eq!(
        after_failure(CallKind::UploadPart, &busy, 3, false, false, MID),
        Recovery::GiveUp(UploadProblem::Other(busy.clone()))
    );
}

#[test]
fn an_expired_upload_address_starts_the_upload_again_once() {
    let expired = answer(403, r#"{"detail":"Request has expired"}"#);
    for kind in [
        CallKind::UploadFile,
        CallKind::UploadPart,
        CallKind::CompleteMultipart,
    ] {
        assert_eq!(
            after_failure(kind, &expired, 0, false, true, MID),
            Recovery::StartAgain,
            "{kind:?}"
        );
        assert_eq!(
            after_failure(kind, &expired, 0, true, true, MID),
            Recovery::GiveUp(UploadProblem::ExpiredAgain),
            "{kind:?}: a second expiry is reported"
        );
    }
    assert!(UploadProblem::ExpiredAgain
        .message()
        .contains("expired before the file was sent, and so did a fresh one"));
}

#[test]
fn a_403_on_the_initiate_call_is_the_key_not_the_address() {
    let refused = answer(403, r#"{"detail":"Forbidden"}"#);
    assert_eq!(
        give_up(CallKind::StorageInitiate, &refused, false),
        UploadProblem::KeyRejected { by_proxy: false }
    );
    let unauthorized = answer(401, r#"{"detail":"Authorization header is required"}"#);
    let problem = give_up(CallKind::InitiateMultipart, &unauthorized, false);
    assert_eq!(problem, UploadProblem::KeyRejected { by_proxy: false });
    assert!(problem.message().starts_with("fal did not accept the key"));
    assert!(problem.message().contains("Connection panel"));
    // Never retried: the same key would be refused again.
    assert!(matches!(
        after_failure(
            CallKind::StorageInitiate,
            &unauthorized,
            0,
            false,
            false,
            MID
        ),
        Recovery::GiveUp(_)
    ));

    let by_proxy = answer(401, r#""Unauthorized""#);
    let problem = give_up(CallKind::StorageInitiate, &by_proxy, true);
    assert_eq!(problem, UploadProblem::KeyRejected { by_proxy: true });
    assert!(problem.message().contains("proxy refused"));
}

#[test]
fn a_stock_proxy_refusing_initiate_multipart_says_so_and_names_the_fix() {
    let refused = answer(400, r#""Invalid request""#);
    let problem = give_up(CallKind::InitiateMultipart, &refused, true);
    assert_eq!(problem, UploadProblem::ProxyRefusedMultipart);
    let message = problem.message();
    assert!(message.contains("over 90 MiB"), "{message}");
    assert!(message.contains("@fal-ai/server-proxy"), "{message}");
    assert!(message.contains("wan-r2v-server"), "{message}");
    // The same refusal of the small-file initiate is a general refusal.
    assert_eq!(
        give_up(CallKind::StorageInitiate, &refused, true),
        UploadProblem::ProxyRefused
    );
    // wan-r2v-server's own refusal shape reads the same way.
    let ours = answer(403, r#"{"error":"target not allowed"}"#);
    assert_eq!(
        give_up(CallKind::InitiateMultipart, &ours, true),
        UploadProblem::ProxyRefusedMultipart
    );
}

#[test]
fn network_failures_name_the_host_that_could_not_be_reached() {
    let cors = network(NetworkFailure::Unreachable);
    let bytes = give_up(CallKind::UploadPart, &cors, true).message();
    assert!(
        bytes.starts_with("Could not send the file to fal's storage"),
        "{bytes}"
    );
    assert!(bytes.contains("CORS"), "{bytes}");
    let start_via_proxy = give_up(CallKind::StorageInitiate, &cors, true).message();
    assert!(
        start_via_proxy.starts_with("Could not reach this site's proxy"),
        "{start_via_proxy}"
    );
    let start_direct = give_up(CallKind::StorageInitiate, &cors, false).message();
    assert!(
        start_direct.starts_with("Could not reach fal to start"),
        "{start_direct}"
    );
    let stalled = give_up(
        CallKind::UploadFile,
        &network(NetworkFailure::TimedOut),
        false,
    );
    assert!(stalled.message().contains("stalled"));
    let offline = give_up(
        CallKind::UploadFile,
        &network(NetworkFailure::Offline),
        false,
    );
    assert!(offline.message().contains("offline"));
}

#[test]
fn too_large_and_other_answers_get_their_own_words() {
    let too_large = answer(413, r#"{"detail":"File too large"}"#);
    for kind in [
        CallKind::UploadFile,
        CallKind::UploadPart,
        CallKind::StorageInitiate,
    ] {
        assert_eq!(give_up(kind, &too_large, false), UploadProblem::TooLarge);
    }
    assert!(UploadProblem::TooLarge.message().contains("too large"));
    let broken = answer(400, r#"{"detail":"ETag of part 2 does not match"}"#);
    let problem = give_up(CallKind::CompleteMultipart, &broken, false);
    assert_eq!(
        problem.message(),
        "The upload failed. fal refused the request (HTTP 400): ETag of part 2 does not match"
    );
}

#[test]
fn the_job_fails_with_the_items_message_and_says_nothing_was_sent() {
    let problem = UploadProblem::Network {
        failure: NetworkFailure::Unreachable,
        storage: true,
        via_proxy: false,
    };
    let error = job_error("Video 1", &problem);
    assert!(
        !matches!(error.kind, FalErrorKind::Network(_)),
        "a network error would say the submit may have reached fal"
    );
    let message = error.message();
    assert!(
        message
            .starts_with("Video 1 could not be uploaded. Could not send the file to fal's storage"),
        "{message}"
    );
    assert!(message.ends_with("The job was not sent to fal, so nothing was billed."));
}

#[test]
fn retry_notes_name_the_step_and_the_wait() {
    let error = FalError::network(NetworkFailure::Interrupted);
    let part = PartRange {
        part_number: 3,
        start: 0,
        end: 1,
    };
    let note = retry_note(CallKind::UploadPart, Some(part), &error, 2);
    assert!(note.starts_with("Part 3: ") && note.ends_with("Trying again in 2 s."));
    let now = retry_note(CallKind::CompleteMultipart, None, &error, 0);
    assert!(now.starts_with("Finishing: ") && now.ends_with("Trying again now."));
}
