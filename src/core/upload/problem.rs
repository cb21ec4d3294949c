//! What to do when a step of a file's upload fails, and the one message the
//! reference item shows when the upload gives up.
//!
//! Retries follow the core's policy for each call ([`crate::core::fal::retry`]): the
//! initiate calls like any fal call, the byte transfers (whole file or each
//! multipart part, separately) with short waits because a signed upload URL
//! lives only minutes. One case is not a retry: a `403` from the storage
//! host means the signed `upload_url` no longer works (signed URLs answer
//! 403 once they expire, as S3's and GCS's do; fal-js issue #169 reports
//! fal's living about 2 minutes), so the upload is started again with a
//! fresh address, once. A second expiry in a row is reported rather than
//! looped on.

use std::time::Duration;

use crate::core::fal::calls::{CallKind, Route};
use crate::core::fal::error::{FalError, FalErrorKind, NetworkFailure};
use crate::core::fal::retry::{decide, RetryDecision};
use crate::core::upload::plan::PartRange;

/// What follows a failed upload call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// Send the same call again after this wait.
    RetryAfter(Duration),
    /// The upload address expired: ask for a new one and send the file
    /// again from its start (the parts sent so far belong to the old one).
    StartAgain,
    /// Stop, and show this on the item.
    GiveUp(UploadProblem),
}

/// Why a file could not be uploaded, worded for its item in the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadProblem {
    /// The key was refused when the upload was started (401/403).
    KeyRejected { by_proxy: bool },
    /// A stock `@fal-ai/server-proxy` refuses `initiate-multipart` (its
    /// default allow-list lacks it), so files over 90 MiB cannot go through.
    ProxyRefusedMultipart,
    /// The proxy refused to forward the initiate call for another reason.
    ProxyRefused,
    /// No answer: connection failed, blocked by the browser (CORS), timed
    /// out or dropped. `storage` says whether it was the storage host (the
    /// bytes) or fal/the proxy (the initiate call).
    Network {
        failure: NetworkFailure,
        storage: bool,
        via_proxy: bool,
    },
    /// `413` anywhere on the way.
    TooLarge,
    /// The upload address expired, and so did the fresh one.
    ExpiredAgain,
    /// Anything else, with fal's (or the storage's) own wording.
    Other(FalError),
}

/// Decides what follows the failure of `kind` after `retries_done` retries
/// of that same call. `started_again` is true once the upload already got a
/// fresh address after an expiry. `jitter` in `0.0..1.0` comes from the
/// caller, as for [`decide`].
pub fn after_failure(
    kind: CallKind,
    error: &FalError,
    retries_done: u32,
    started_again: bool,
    via_proxy: bool,
    jitter: f64,
) -> Recovery {
    if is_expired_address(kind, error) {
        return if started_again {
            Recovery::GiveUp(UploadProblem::ExpiredAgain)
        } else {
            Recovery::StartAgain
        };
    }
    match decide(kind, retries_done, error, jitter) {
        RetryDecision::RetryAfter(wait) => Recovery::RetryAfter(wait),
        RetryDecision::GiveUp => {
            Recovery::GiveUp(UploadProblem::from_error(kind, error, via_proxy))
        }
    }
}

/// A `403` from the storage host: its signed address no longer works.
fn is_expired_address(kind: CallKind, error: &FalError) -> bool {
    kind.route() == Route::StorageDirect && error.http_status == Some(403)
}

/// The job's failure when the upload of the reference labelled `label`
/// ("Video 1") gave up: the item's message, and plainly that nothing was
/// sent (not a network error at submit, which would leave that unknown).
pub fn job_error(label: &str, problem: &UploadProblem) -> FalError {
    FalError::new(FalErrorKind::Upload {
        what: format!("{label} could not be uploaded. {}", problem.message()),
    })
}

impl UploadProblem {
    /// The problem a final failure of `kind` stands for.
    pub fn from_error(kind: CallKind, error: &FalError, via_proxy: bool) -> Self {
        let storage = kind.route() == Route::StorageDirect;
        if error.http_status == Some(413) {
            return UploadProblem::TooLarge;
        }
        if storage && error.http_status == Some(403) {
            return UploadProblem::ExpiredAgain;
        }
        match &error.kind {
            FalErrorKind::Network(failure) => UploadProblem::Network {
                failure: *failure,
                storage,
                via_proxy,
            },
            FalErrorKind::Auth { by_proxy } if !storage => UploadProblem::KeyRejected {
                by_proxy: *by_proxy,
            },
            FalErrorKind::ProxyRefused if kind == CallKind::InitiateMultipart => {
                UploadProblem::ProxyRefusedMultipart
            }
            FalErrorKind::ProxyRefused => UploadProblem::ProxyRefused,
            _ => UploadProblem::Other(error.clone()),
        }
    }

    /// One clear message, for the item.
    pub fn message(&self) -> String {
        match self {
            UploadProblem::KeyRejected { by_proxy: false } => {
                "fal did not accept the key, so this file could not be uploaded. Check the fal key \
                 in the Connection panel: a current key from fal.ai/dashboard/keys, written as \
                 key_id:key_secret."
                    .into()
            }
            UploadProblem::KeyRejected { by_proxy: true } => {
                "This site's proxy refused to start the upload as unauthorized. Ask whoever runs \
                 the site, or use your own fal key if the site allows one."
                    .into()
            }
            UploadProblem::ProxyRefusedMultipart => {
                "This site's proxy refuses uploads over 90 MiB: it does not allow fal's \
                 initiate-multipart call (the stock @fal-ai/server-proxy leaves it out). Use a file \
                 of 90 MiB or less, or ask whoever runs the site to serve it with wan-r2v-server, \
                 which allows large uploads."
                    .into()
            }
            UploadProblem::ProxyRefused => {
                "This site's proxy refused to start the upload: its allow-list does not include \
                 fal's storage. Whoever runs the proxy must allow it (wan-r2v-server does)."
                    .into()
            }
            UploadProblem::Network {
                failure: NetworkFailure::Offline,
                ..
            } => "This device went offline during the upload. Reconnect and press Generate \
                  again; files already uploaded are kept."
                .into(),
            UploadProblem::Network {
                failure,
                storage: true,
                ..
            } => {
                let what = match failure {
                    NetworkFailure::TimedOut => "the upload stalled with nothing sent for a minute",
                    NetworkFailure::Interrupted => "the connection dropped",
                    _ => "the connection failed, or the browser blocked the upload (CORS)",
                };
                format!(
                    "Could not send the file to fal's storage: {what}. Check the connection and \
                     press Generate to try again; files already uploaded are kept."
                )
            }
            UploadProblem::Network {
                failure,
                storage: false,
                via_proxy,
            } => {
                let whom = if *via_proxy {
                    "this site's proxy"
                } else {
                    "fal"
                };
                let what = match failure {
                    NetworkFailure::TimedOut => "it did not answer in time",
                    NetworkFailure::Interrupted => "the connection dropped",
                    _ => "the connection failed, or the browser blocked the call (CORS)",
                };
                format!(
                    "Could not reach {whom} to start the upload: {what}. Check the connection \
                     and press Generate to try again."
                )
            }
            UploadProblem::TooLarge => {
                "fal's storage refused this file as too large. fal takes reference images up to \
                 20 MB and videos up to 100 MB."
                    .into()
            }
            UploadProblem::ExpiredAgain => {
                "The upload address fal gave expired before the file was sent, and so did a \
                 fresh one. The connection may be too slow for it: press Generate to try again, \
                 or use a smaller file."
                    .into()
            }
            UploadProblem::Other(error) => format!("The upload failed. {}", error.message()),
        }
    }
}

/// Shown while the file starts again with a fresh address.
pub const STARTING_AGAIN_NOTE: &str =
    "The upload address expired; starting again with a fresh one.";

/// "Part 3: the connection dropped. Trying again in 2 s."
pub fn retry_note(
    kind: CallKind,
    range: Option<PartRange>,
    error: &FalError,
    seconds: u64,
) -> String {
    let what = match (kind, range) {
        (CallKind::UploadPart, Some(range)) => format!("Part {}", range.part_number),
        (CallKind::UploadFile, _) => "Sending the file".into(),
        (CallKind::CompleteMultipart, _) => "Finishing".into(),
        _ => "Starting the upload".into(),
    };
    let wait = if seconds == 0 {
        "now".to_owned()
    } else {
        format!("in {seconds} s")
    };
    format!("{what}: {} Trying again {wait}.", error.message())
}

#[cfg(test)]
#[path = "problem_tests.rs"]
mod tests;
