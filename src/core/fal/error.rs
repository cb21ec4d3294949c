//! Everything that can go wrong talking to fal, as one type with a message a
//! person can act on.
//!
//! The cases follow fal's two error families (docs/fal-protocol.md §5): model
//! errors (`{"detail": [{loc, msg, type}]}`, 422) and infrastructure errors
//! (`{"detail": "…", "error_type": "…"}` + `X-Fal-Error-Type`), plus what
//! the browser itself reports (offline, connection failed) and answers the
//! app cannot read. How an answer becomes a `FalError` is in
//! [`crate::core::fal::classify`]; whether to try again is in [`crate::core::fal::retry`].

use std::time::Duration;

use crate::core::access::refusal::AccessRefusal;
use crate::core::model::validation::Field;

/// One failure, with what support needs to trace it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FalError {
    pub kind: FalErrorKind,
    /// The HTTP status, when there was an answer.
    pub http_status: Option<u16>,
    /// fal's `x-fal-request-id`, to quote to fal support.
    pub request_id: Option<String>,
    /// From `Retry-After`, already turned into a wait from "now".
    pub retry_after: Option<Duration>,
    /// fal's `X-Fal-Retryable` (older: `X-Fal-Needs-Retry`), when sent.
    pub retryable_hint: Option<bool>,
}

/// What kind of failure it is; each has its own message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FalErrorKind {
    /// fal refused the input (422 `detail` array, or a string detail).
    Validation(Vec<InputProblem>),
    /// A content checker flagged an input or the output.
    ContentPolicy(Vec<InputProblem>),
    /// 401/403: the key is missing, wrong, or not allowed.
    Auth { by_proxy: bool },
    /// 404: the request is unknown, or its result has expired.
    NotFound,
    /// 429: too many requests.
    RateLimited,
    /// 504 with `X-Fal-Request-Timeout-Type: user`: the job did not start
    /// before the start deadline sent with it. Never retried.
    StartTimeout,
    /// 5xx, or an infrastructure `error_type`.
    Server {
        error_type: Option<String>,
        detail: Option<String>,
    },
    /// The proxy would not forward the call (`400 "Invalid request"`; the
    /// older documented proxy answers 412): its allow-list lacks the target.
    ProxyRefused,
    /// Any other 4xx.
    Rejected { detail: Option<String> },
    /// No answer at all.
    Network(NetworkFailure),
    /// An answer the app cannot read (not JSON, or not the expected shape).
    Malformed { what: String },
    /// The deployer's proxy refused before reaching fal: no access, a
    /// budget reached, or its state store down.
    Access(AccessRefusal),
    /// A reference file could not be uploaded, so the job was never sent.
    /// `what` names the reference and the reason, as its item says it.
    Upload { what: String },
    /// The release build loads the code that runs and follows jobs on first
    /// use (ARCHITECTURE.md, "Parts loaded on demand"), and it did not
    /// arrive from this site. `submitted`: the job may already be at fal.
    CodeNotLoaded { submitted: bool },
}

impl FalErrorKind {
    /// True when fal objected to the input itself: the form shows its
    /// objections next to the fields concerned.
    pub fn is_about_input(&self) -> bool {
        matches!(
            self,
            FalErrorKind::Validation(_) | FalErrorKind::ContentPolicy(_)
        )
    }

    /// True when the release build's job code did not arrive (nothing
    /// else can end a job that has not started).
    pub fn is_code_not_loaded(&self) -> bool {
        matches!(self, FalErrorKind::CodeNotLoaded { .. })
    }

    /// True for failures a later look at the same request may get past: no
    /// answer, a server problem, rate limiting, an unreadable answer. A
    /// refused input or key would be refused again.
    pub fn may_pass_on_a_later_look(&self) -> bool {
        matches!(
            self,
            FalErrorKind::Network(_)
                | FalErrorKind::Server { .. }
                | FalErrorKind::RateLimited
                | FalErrorKind::Malformed { .. }
                | FalErrorKind::CodeNotLoaded { submitted: true }
        )
    }
}

/// How a request failed without an HTTP answer, as the web layer saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkFailure {
    /// `navigator.onLine` was false.
    Offline,
    /// `fetch` rejected: DNS, refused connection, TLS, or a CORS refusal
    /// (browsers do not let a page tell these apart).
    Unreachable,
    /// The app's own deadline passed with no answer.
    TimedOut,
    /// The connection dropped while the answer was arriving.
    Interrupted,
}

/// One problem fal found with the input, placed where the form can show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub target: ErrorTarget,
    /// fal's `msg`, shown as is (fal says clients must not parse it).
    pub message: String,
    /// fal's `type`, e.g. `string_too_long`, `content_policy_violation`.
    pub error_type: String,
    /// Content-policy categories (`sexual`, `model_moderated`, …), if given.
    pub categories: Vec<String>,
}

/// Where a problem belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorTarget {
    /// A form field the validation module knows.
    Field(Field),
    /// An input without a free-text field (`duration`, `aspect_ratio`, …),
    /// by fal's name for it.
    Setting(String),
    /// The request as a whole (`loc: ["body"]`), or the output.
    Request,
}

impl ErrorTarget {
    /// How a person would name it in a sentence.
    pub fn describe(&self) -> String {
        match self {
            ErrorTarget::Field(Field::Prompt) => "the prompt".into(),
            ErrorTarget::Field(Field::NegativePrompt) => "the negative prompt".into(),
            ErrorTarget::Field(Field::ReferenceImage(i)) => format!("reference image {}", i + 1),
            ErrorTarget::Field(Field::ReferenceVideo(i)) => format!("reference video {}", i + 1),
            ErrorTarget::Field(Field::References) => "the references".into(),
            ErrorTarget::Field(Field::Seed) => "the seed".into(),
            ErrorTarget::Setting(name) => format!("the {} setting", name.replace('_', " ")),
            ErrorTarget::Request => "the request".into(),
        }
    }
}

impl FalError {
    /// An error of `kind` with no answer details.
    pub fn new(kind: FalErrorKind) -> Self {
        Self {
            kind,
            http_status: None,
            request_id: None,
            retry_after: None,
            retryable_hint: None,
        }
    }

    /// A request that got no HTTP answer.
    pub fn network(failure: NetworkFailure) -> Self {
        Self::new(FalErrorKind::Network(failure))
    }

    /// An answer that is not what the protocol promises.
    pub fn malformed(what: impl Into<String>) -> Self {
        Self::new(FalErrorKind::Malformed { what: what.into() })
    }

    /// The problems that belong to one form field (for showing them there).
    pub fn problems_for(&self, field: Field) -> impl Iterator<Item = &InputProblem> {
        let problems = match &self.kind {
            FalErrorKind::Validation(p) | FalErrorKind::ContentPolicy(p) => p.as_slice(),
            _ => &[],
        };
        problems
            .iter()
            .filter(move |p| p.target == ErrorTarget::Field(field))
    }

    /// The message for the person, with the status and request id when known.
    pub fn message(&self) -> String {
        let mut text = self.summary();
        if let Some(id) = &self.request_id {
            text.push_str(&format!(" (fal request id {id})"));
        }
        text
    }

    fn summary(&self) -> String {
        let status = self
            .http_status
            .map_or(String::new(), |s| format!(" (HTTP {s})"));
        match &self.kind {
            FalErrorKind::Validation(problems) => {
                let list = problems
                    .iter()
                    .map(|p| match p.target {
                        ErrorTarget::Request => p.message.clone(),
                        _ => format!("{}: {}", capitalise(&p.target.describe()), p.message),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                if list.is_empty() {
                    format!("fal refused the input{status}.")
                } else {
                    format!("fal refused the input. {list}")
                }
            }
            FalErrorKind::ContentPolicy(problems) => {
                let flagged: Vec<String> = problems
                    .iter()
                    .filter(|p| p.target != ErrorTarget::Request)
                    .map(|p| p.target.describe())
                    .collect();
                let mut categories: Vec<&str> = problems
                    .iter()
                    .flat_map(|p| p.categories.iter().map(String::as_str))
                    .collect();
                categories.dedup();
                let what = if flagged.is_empty() {
                    "this request or its result".to_owned()
                } else {
                    flagged.join(" and ")
                };
                let why = if categories.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", categories.join(", ").replace('_', " "))
                };
                format!(
                    "fal's content checker flagged {what}{why}. Sending the same input again \
                     will fail the same way: change it and try again."
                )
            }
            FalErrorKind::Auth { by_proxy: true } => format!(
                "The proxy refused the request as unauthorized{status}. Ask whoever runs this \
                 site, or use your own fal key if it allows one."
            ),
            FalErrorKind::Auth { by_proxy: false } if self.http_status == Some(403) => format!(
                "fal refused access{status}: the key is valid but not allowed to use this model, \
                 or the account has no credit."
            ),
            FalErrorKind::Auth { by_proxy: false } => format!(
                "fal did not accept the key{status}. Check that it is a current key from \
                 fal.ai/dashboard/keys, written as key_id:key_secret."
            ),
            FalErrorKind::NotFound => format!(
                "fal no longer has this request{status}. fal keeps a result only for a short \
                 time after the run (6 minutes for large results, 1 hour otherwise)."
            ),
            FalErrorKind::RateLimited => match self.retry_after {
                Some(wait) => format!(
                    "fal is limiting requests right now{status}. Try again in {}.",
                    describe_wait(wait)
                ),
                None => format!("fal is limiting requests right now{status}. Try again shortly."),
            },
            FalErrorKind::StartTimeout => format!(
                "The job did not start before its start deadline, so fal dropped it{status}. \
                 Nothing was generated."
            ),
            FalErrorKind::Server { error_type, detail } => {
                let what = match error_type.as_deref() {
                    Some("request_timeout") => {
                        "The run took longer than fal allows and was stopped"
                    }
                    Some("startup_timeout") => "fal could not start the model in time",
                    Some("runner_scheduling_failure") => "fal had no machine free to run the model",
                    Some(
                        "runner_connection_timeout"
                        | "runner_connection_refused"
                        | "runner_connection_error",
                    ) => "fal could not reach the machine running the model",
                    Some("runner_disconnected") => "The machine running the model disconnected",
                    _ => "fal had a server problem",
                };
                let code = match (self.http_status, error_type) {
                    (Some(s), Some(t)) => format!(" (HTTP {s}, {t})"),
                    (Some(s), None) => format!(" (HTTP {s})"),
                    (None, Some(t)) => format!(" ({t})"),
                    (None, None) => String::new(),
                };
                let detail = detail
                    .as_deref()
                    .filter(|d| !d.is_empty())
                    .map_or(String::new(), |d| format!(": {d}"));
                format!("{what}{code}{detail}. fal does not bill server errors; try again later.")
            }
            FalErrorKind::ProxyRefused => format!(
                "The proxy refused to forward this call{status}: its allow-list does not include \
                 this fal address. Whoever runs the proxy must allow it."
            ),
            FalErrorKind::Rejected { detail } => match detail.as_deref() {
                Some(d) if !d.is_empty() => format!("fal refused the request{status}: {d}"),
                _ => format!("fal refused the request{status}."),
            },
            FalErrorKind::Network(NetworkFailure::Offline) => {
                "This device is offline. Reconnect and the app will carry on.".into()
            }
            FalErrorKind::Network(NetworkFailure::Unreachable) => {
                "Could not reach the server: the connection failed, or the browser blocked the \
                 answer (CORS)."
                    .into()
            }
            FalErrorKind::Network(NetworkFailure::TimedOut) => {
                "The server did not answer in time.".into()
            }
            FalErrorKind::Network(NetworkFailure::Interrupted) => {
                "The connection dropped while the answer was arriving.".into()
            }
            FalErrorKind::Malformed { what } => {
                format!("fal sent an answer the app cannot read{status}: {what}.")
            }
            // Times in UTC here: the job panel's text is stored with the
            // record; Generate shows the reset in the person's own time.
            FalErrorKind::Access(refusal @ AccessRefusal::BudgetReached(_)) => {
                format!("{} UTC. Nothing was sent to fal.", refusal.message(0))
            }
            FalErrorKind::Access(refusal) => refusal.message(0),
            FalErrorKind::Upload { what } => {
                format!("{what} The job was not sent to fal, so nothing was billed.")
            }
            FalErrorKind::CodeNotLoaded { submitted: false } => {
                "The studio could not load the part of itself that runs jobs: the connection \
                 to this site failed. Nothing was sent to fal; press Generate to try again."
                    .into()
            }
            FalErrorKind::CodeNotLoaded { submitted: true } => {
                "The studio could not load the part of itself that follows jobs: the \
                 connection to this site failed. The job may still be running at fal; press \
                 \"Check again\" once the connection is back."
                    .into()
            }
        }
    }
}

impl std::fmt::Display for FalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for FalError {}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "45 seconds", "1 minute", "3 minutes".
fn describe_wait(wait: Duration) -> String {
    let seconds = wait.as_secs().max(1);
    match seconds {
        1 => "1 second".into(),
        s if s < 60 => format!("{s} seconds"),
        s if s < 120 => "1 minute".into(),
        s => format!("{} minutes", s.div_ceil(60)),
    }
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
