//! Tests for [`super`]: every path the upload of one file can take, with
//! the answers fal's storage sends.

use std::time::Duration;

use super::*;
use crate::core::fal::calls::{FalCall, Route};
use crate::core::fal::http::{Body, Method};
use crate::core::upload::problem::STARTING_AGAIN_NOTE;

const T0: u64 = 1_795_513_909_000;
const MID: f64 = 0.5;
const MIB: u64 = 1024 * 1024;
const UPLOAD_URL: &str = "https://v3.fal.media/files/upload/koala?sig=x";
const FILE_URL: &str = "https://v3.fal.media/files/koala/dance.mp4";

fn uploader(size: u64, concurrency: usize) -> Uploader {
    let file = LocalFile {
        name: "dance.mp4".into(),
        content_type: "video/mp4".into(),
        size,
    };
    let rest = BaseUrl::parse("https://rest.fal.ai").unwrap();
    Uploader::new(
        &file,
        NonZeroUsize::new(concurrency).unwrap(),
        &rest,
        false,
        T0,
    )
}

fn json(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body).with_header("content-type", "application/json")
}

/// fal's storage answer to initiate (and to initiate-multipart).
fn address() -> HttpResponse {
    json(
        200,
        &format!(r#"{{"upload_url":"{UPLOAD_URL}","file_url":"{FILE_URL}"}}"#),
    )
}

fn receipt(part: u32) -> HttpResponse {
    json(
        200,
        &format!(r#"{{"partNumber":{part},"etag":"\"etag-{part}\""}}"#),
    )
}

/// The next step must be a send: its id, wait and call.
fn send(u: &mut Uploader) -> (CallId, Duration, FalCall) {
    match u.next_step() {
        UploadStep::Send { id, after, call } => (id, after, call),
        other => panic!("expected a send, got {other:?}"),
    }
}

/// Every send available now, until the uploader says to wait.
fn sends(u: &mut Uploader) -> Vec<(CallId, FalCall)> {
    let mut out = Vec::new();
    loop {
        match u.next_step() {
            UploadStep::Send { id, call, .. } => out.push((id, call)),
            UploadStep::AwaitAnswer => return out,
            other => panic!("expected sends, got {other:?}"),
        }
    }
}

fn finished(u: &mut Uploader) -> Result<String, Ended> {
    match u.next_step() {
        UploadStep::Finished(result) => result,
        other => panic!("expected the end, got {other:?}"),
    }
}

fn started(u: &mut Uploader) {
    let (id, _, _) = send(u);
    u.on_answer(id, &address(), T0, MID);
}

#[test]
fn a_small_file_is_initiate_then_one_put_of_its_bytes() {
    let size = 20_000_000;
    let mut u = uploader(size, 4);
    assert_eq!(u.view(T0).stage, UploadStage::Starting);
    let (id, after, call) = send(&mut u);
    assert_eq!(after, Duration::ZERO);
    assert_eq!(call.kind, CallKind::StorageInitiate);
    assert_eq!(call.kind.route(), Route::Fal);
    assert_eq!(
        u.next_step(),
        UploadStep::AwaitAnswer,
        "one call at a time here"
    );
    u.on_answer(id, &address(), T0, MID);
    assert_eq!(u.view(T0).stage, UploadStage::Sending);

    let (put, _, call) = send(&mut u);
    assert_eq!(call.kind, CallKind::UploadFile);
    assert_eq!(call.request.method, Method::Put);
    assert_eq!(call.request.url, UPLOAD_URL);
    assert!(matches!(call.request.body, Body::FileSlice { start: 0, end, .. } if end == size));
    u.on_progress(put, 8_000_000, T0 + 1000);
    assert_eq!(u.view(T0 + 1000).progress.sent, 8_000_000);
    u.on_answer(put, &HttpResponse::new(200, ""), T0 + 2000, MID);
    assert_eq!(finished(&mut u), Ok(FILE_URL.to_owned()));
    let view = u.view(T0 + 2000);
    assert_eq!(
        view.stage,
        UploadStage::Done {
            file_url: FILE_URL.into()
        }
    );
    assert_eq!(view.progress.sent, size);
}

#[test]
fn a_large_file_goes_in_parts_a_few_at_a_time_then_complete() {
    let mut u = uploader(95 * MIB, 3);
    let (id, _, call) = send(&mut u);
    assert_eq!(call.kind, CallKind::InitiateMultipart);
    u.on_answer(id, &address(), T0, MID);

    let out = sends(&mut u);
    assert_eq!(out.len(), 3, "three parts in flight");
    let url = |n: u32| format!("https://v3.fal.media/files/upload/koala/{n}?sig=x");
    assert_eq!(out[0].1.request.url, url(1));
    assert_eq!(out[2].1.request.url, url(3));
    // Part 2 answers first: part 4 takes its place.
    u.on_answer(out[1].0, &receipt(2), T0, MID);
    let next = sends(&mut u);
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].1.request.url, url(4));
    let mut waiting = vec![(out[0].0, 1), (out[2].0, 3), (next[0].0, 4)];
    let mut part = 4;
    let mut complete = None;
    while let Some((id, n)) = waiting.pop() {
        u.on_answer(id, &receipt(n), T0, MID);
        for (id, call) in sends(&mut u) {
            if call.kind == CallKind::CompleteMultipart {
                complete = Some((id, call));
            } else {
                part += 1;
                waiting.insert(0, (id, part));
            }
        }
    }
    assert_eq!(part, 10);
    assert_eq!(u.view(T0).stage, UploadStage::Finishing);
    let (complete, call) = complete.expect("complete once every part is stored");
    assert_eq!(call.kind, CallKind::CompleteMultipart);
    assert_eq!(
        call.request.url,
        "https://v3.fal.media/files/upload/koala/complete?sig=x"
    );
    let Body::Json(body) = &call.request.body else {
        panic!("a JSON body")
    };
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["parts"][0]["etag"], "\"etag-1\"");
    assert_eq!(body["parts"][9]["partNumber"], 10);
    u.on_answer(complete, &json(200, "{}"), T0, MID);
    assert_eq!(finished(&mut u), Ok(FILE_URL.to_owned()));
}

#[test]
fn a_dropped_part_is_sent_again_on_its_own_and_says_so() {
    let mut u = uploader(95 * MIB, 2);
    started(&mut u);
    let out = sends(&mut u);
    u.on_progress(out[0].0, 4 * MIB, T0 + 100);
    u.on_no_answer(out[0].0, NetworkFailure::Interrupted, MID);
    let view = u.view(T0 + 200);
    assert_eq!(view.progress.sent, 0, "its bytes go again");
    let note = view.note.unwrap();
    assert!(note.starts_with("Part 1: "), "{note}");
    assert!(note.ends_with("Trying again in 1 s."), "{note}");
    let (again, after, call) = send(&mut u);
    assert_eq!(after, Duration::from_secs(1));
    assert!(call.request.url.ends_with("/1?sig=x"), "the same part");
    u.on_answer(again, &receipt(1), T0 + 1500, MID);
    assert_eq!(u.view(T0 + 1500).note, None, "the note goes once it worked");
    assert_eq!(u.view(T0 + 1500).progress.sent, 10 * MIB);
}

#[test]
fn a_part_that_keeps_failing_ends_the_upload_and_its_siblings() {
    let mut u = uploader(95 * MIB, 3);
    started(&mut u);
    let mut out = sends(&mut u);
    let (mut id, _) = out.remove(0);
    for wait in [1, 2, 4] {
        u.on_no_answer(id, NetworkFailure::Unreachable, MID);
        let (again, after, _) = send(&mut u);
        assert_eq!(after, Duration::from_secs(wait));
        id = again;
    }
    u.on_no_answer(id, NetworkFailure::Unreachable, MID);
    let problem = UploadProblem::Network {
        failure: NetworkFailure::Unreachable,
        storage: true,
        via_proxy: false,
    };
    assert_eq!(finished(&mut u), Err(Ended::Failed(problem.clone())));
    assert_eq!(u.view(T0).stage, UploadStage::Failed(problem));
    // The siblings still out no longer count.
    u.on_answer(out[0].0, &receipt(2), T0, MID);
    assert!(matches!(u.next_step(), UploadStep::Finished(Err(_))));
}

#[test]
fn an_expired_address_starts_the_file_again_once() {
    let mut u = uploader(95 * MIB, 3);
    started(&mut u);
    let out = sends(&mut u);
    u.on_answer(out[0].0, &receipt(1), T0, MID);
    let expired = json(
        403,
        r#"<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>"#,
    );
    u.on_answer(out[1].0, &expired, T0, MID);
    assert_eq!(
        u.next_step(),
        UploadStep::AbortInFlight,
        "part 3 is still out"
    );
    let view = u.view(T0);
    assert_eq!(view.stage, UploadStage::Starting);
    assert_eq!(view.note.as_deref(), Some(STARTING_AGAIN_NOTE));
    assert_eq!(view.progress.sent, 0, "everything goes again");

    let (initiate, after, call) = send(&mut u);
    assert_eq!(
        (after, call.kind),
        (Duration::ZERO, CallKind::InitiateMultipart)
    );
    // A late answer from the old address changes nothing.
    u.on_answer(out[2].0, &receipt(3), T0, MID);
    assert_eq!(u.view(T0).progress.sent, 0);
    u.on_answer(initiate, &address(), T0, MID);
    let again = sends(&mut u);
    assert!(again[0].1.request.url.ends_with("/1?sig=x"), "from part 1");
    u.on_answer(again[0].0, &expired, T0, MID);
    assert_eq!(
        finished(&mut u),
        Err(Ended::Failed(UploadProblem::ExpiredAgain))
    );
}

#[test]
fn an_expired_single_put_starts_again_without_anything_to_abort() {
    let mut u = uploader(1000, 4);
    started(&mut u);
    let (put, _, _) = send(&mut u);
    u.on_answer(put, &HttpResponse::new(403, ""), T0, MID);
    let (_, _, call) = send(&mut u);
    assert_eq!(call.kind, CallKind::StorageInitiate);
}

#[test]
fn a_busy_initiate_is_retried_then_proceeds() {
    let mut u = uploader(1000, 4);
    let (id, _, _) = send(&mut u);
    u.on_answer(
        id,
        &json(503, r#"{"detail":"Service temporarily unavailable"}"#),
        T0,
        MID,
    );
    let note = u.view(T0).note.unwrap();
    assert!(note.starts_with("Starting the upload: "), "{note}");
    let (id, after, call) = send(&mut u);
    assert_eq!(
        (after, call.kind),
        (Duration::from_secs(1), CallKind::StorageInitiate)
    );
    u.on_answer(id, &address(), T0, MID);
    assert_eq!(u.view(T0).note, None);
    assert!(matches!(u.next_step(), UploadStep::Send { .. }));
}

#[test]
fn refusals_end_the_upload_with_one_clear_problem() {
    let cases = [
        (
            1000,
            json(401, r#"{"detail":"Unauthorized"}"#),
            UploadProblem::KeyRejected { by_proxy: false },
        ),
        (
            95 * MIB,
            json(400, r#""Invalid request""#),
            UploadProblem::ProxyRefusedMultipart,
        ),
        (
            1000,
            json(400, r#""Invalid request""#),
            UploadProblem::ProxyRefused,
        ),
    ];
    for (size, answer, problem) in cases {
        let mut u = uploader(size, 4);
        let (id, _, _) = send(&mut u);
        u.on_answer(id, &answer, T0, MID);
        assert_eq!(finished(&mut u), Err(Ended::Failed(problem)));
    }
}

#[test]
fn an_oversized_file_and_an_unusable_address_are_not_retried() {
    let mut u = uploader(1000, 4);
    started(&mut u);
    let (put, _, _) = send(&mut u);
    u.on_answer(
        put,
        &HttpResponse::new(413, "Request Entity Too Large"),
        T0,
        MID,
    );
    assert_eq!(
        finished(&mut u),
        Err(Ended::Failed(UploadProblem::TooLarge))
    );

    let mut u = uploader(1000, 4);
    let (id, _, _) = send(&mut u);
    let tampered = format!(r#"{{"upload_url":"javascript:alert(1)","file_url":"{FILE_URL}"}}"#);
    u.on_answer(id, &json(200, &tampered), T0, MID);
    assert!(matches!(
        finished(&mut u),
        Err(Ended::Failed(UploadProblem::Other(_)))
    ));
}

#[test]
fn a_stalled_part_counts_as_timed_out_and_is_retried() {
    let mut u = uploader(95 * MIB, 1);
    started(&mut u);
    let (part, _, _) = send(&mut u);
    u.on_no_answer(part, NetworkFailure::TimedOut, MID);
    let (_, after, call) = send(&mut u);
    assert_eq!(after, Duration::from_secs(1));
    assert_eq!(call.kind, CallKind::UploadPart);
}

#[test]
fn a_cancel_ends_it_at_once_and_later_answers_change_nothing() {
    let mut u = uploader(95 * MIB, 3);
    started(&mut u);
    let out = sends(&mut u);
    u.cancel();
    assert_eq!(finished(&mut u), Err(Ended::Cancelled));
    u.on_answer(out[0].0, &receipt(1), T0, MID);
    u.on_no_answer(out[1].0, NetworkFailure::Offline, MID);
    assert_eq!(finished(&mut u), Err(Ended::Cancelled));
    assert_eq!(u.view(T0).stage, UploadStage::Cancelled);
    assert_eq!(u.view(T0).note, None);
}
