//! The host-page API of the embedded studio: version 1 of the messages a
//! page that puts the studio in an `<iframe>` exchanges with it over
//! `postMessage`, and who may take part.
//!
//! Every message is a plain object with `"protocol": "wan-r2v-studio"`,
//! `"version": 1` and a `"type"`. The host sends commands (`set_inputs`,
//! `generate`, `cancel`, `ping`); the studio sends events (`ready`,
//! `accepted`, `refused`, `submitted`, `status`, `completed`, `failed`,
//! `cancelled`). `docs/embedding.md` is the reference for host authors.
//!
//! Two rules keep a page that embeds the studio from abusing it:
//! - commands count only from origins in the deployer's
//!   `embed_allowed_origins` (`EmbedGate::accepts` in `embed/gate.rs`);
//!   Generate spends money;
//! - events go only to the parent's own origin, and only when it is allowed;
//!   never to `"*"` unless the deployer listed `"*"` (`EmbedGate::target`).
//!
//! The fal key has no place in any message: no command sets it and no event
//! carries it, so it never crosses the frame boundary.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::core::batch::batch_id::BatchRun;
use crate::core::batch::variations::Variations;
use crate::core::batch::wire::variations_from_json;
use crate::core::embed::problems::Problem;

use crate::core::model::schema::R2vInput;

/// The `protocol` value every message carries, so the studio can tell its
/// messages from other scripts' (extensions and libraries post too).
pub const PROTOCOL: &str = "wan-r2v-studio";
/// The message schema version this studio speaks.
pub const VERSION: u64 = 1;
/// The commands a host may send, as named in `type`.
pub const COMMANDS: [&str; 4] = ["set_inputs", "generate", "cancel", "ping"];

/// True when the page address asks for the compact embedded layout
/// (`?embed=1` or `?embed=true`).
pub fn embed_requested(search: &str) -> bool {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .any(|(key, value)| key == "embed" && matches!(value, "1" | "true"))
}

/// What a host asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Replace the form with these inputs; fields left out take the
    /// model's defaults (as "Edit and rerun" does). The variations (none:
    /// a single run) replace the form's "Variations" group.
    SetInputs(Box<R2vInput>, Box<Variations>),
    /// Press Generate: the form validates first and refuses invalid input.
    Generate,
    /// Cancel the current job.
    Cancel,
    /// Send `ready` again (for a host whose listener started late).
    Ping,
}

impl Command {
    /// The command's `type`.
    pub fn name(&self) -> &'static str {
        match self {
            Command::SetInputs(..) => "set_inputs",
            Command::Generate => "generate",
            Command::Cancel => "cancel",
            Command::Ping => "ping",
        }
    }
}

/// A message that arrived from the host, read.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// Not a wan-r2v-studio message at all: ignored without a word.
    NotOurs,
    /// A command; `id` is the host's own tag, echoed in the answer.
    Command { id: Value, command: Command },
    /// Ours, but unusable; answered with a `refused` event.
    Invalid {
        id: Value,
        command: Option<String>,
        message: String,
    },
}

/// Every key `set_inputs` accepts in `inputs`: the model's input fields.
/// Anything else (a typo, or an attempt to pass a key) is refused.
const INPUT_FIELDS: [&str; 10] = [
    "prompt",
    "negative_prompt",
    "reference_image_urls",
    "reference_video_urls",
    "aspect_ratio",
    "resolution",
    "duration",
    "multi_shots",
    "seed",
    "enable_safety_checker",
];

/// Reads a message's data, given as JSON text (the browser side serialises
/// the structured-cloned object it received).
pub fn read_command(json: &str) -> Incoming {
    let Ok(Value::Object(message)) = serde_json::from_str::<Value>(json) else {
        return Incoming::NotOurs;
    };
    if message.get("protocol").and_then(Value::as_str) != Some(PROTOCOL) {
        return Incoming::NotOurs;
    }
    let id = message.get("id").cloned().unwrap_or(Value::Null);
    let kind = message.get("type").and_then(Value::as_str);
    let invalid = |message: String| Incoming::Invalid {
        id: id.clone(),
        command: kind.map(str::to_owned),
        message,
    };
    match message.get("version").and_then(Value::as_u64) {
        Some(VERSION) => {}
        Some(other) => {
            return invalid(format!(
                "version {other} is not supported: this studio speaks version {VERSION}"
            ))
        }
        None => return invalid(format!("\"version\" must be the number {VERSION}")),
    }
    let command = match kind {
        Some("set_inputs") => match (
            read_inputs(message.get("inputs")),
            read_variations(message.get("variations")),
        ) {
            (Ok(input), Ok(variations)) => {
                Command::SetInputs(Box::new(input), Box::new(variations))
            }
            (Err(why), _) | (_, Err(why)) => return invalid(why),
        },
        Some("generate") => Command::Generate,
        Some("cancel") => Command::Cancel,
        Some("ping") => Command::Ping,
        Some(other) => {
            return invalid(format!(
                "unknown command {other:?}; the commands are {}",
                COMMANDS.join(", ")
            ))
        }
        None => return invalid("a command needs a \"type\"".to_owned()),
    };
    Incoming::Command { id, command }
}

/// `set_inputs`' optional `variations`, in the core's JSON shape
/// ([`crate::core::batch::wire`]); absent or null is a single run.
fn read_variations(variations: Option<&Value>) -> Result<Variations, String> {
    match variations {
        None | Some(Value::Null) => Ok(Variations::default()),
        Some(value) => variations_from_json(value.clone()).map_err(|e| format!("variations: {e}")),
    }
}

fn read_inputs(inputs: Option<&Value>) -> Result<R2vInput, String> {
    let Some(Value::Object(inputs)) = inputs else {
        return Err("set_inputs needs an \"inputs\" object".to_owned());
    };
    if let Some(unknown) = inputs.keys().find(|k| !INPUT_FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "inputs has no field {unknown:?}; the fields are {}",
            INPUT_FIELDS.join(", ")
        ));
    }
    let mut inputs: Map<String, Value> = inputs.clone();
    inputs
        .entry("prompt")
        .or_insert_with(|| Value::String(String::new()));
    // An explicit null means "not set", as the model's schema reads it.
    inputs.retain(|_, v| !v.is_null());
    serde_json::from_value(Value::Object(inputs)).map_err(|e| format!("inputs: {e}"))
}

/// Why a command was not carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// The message could not be read (see `message`).
    InvalidCommand,
    /// The form's checks failed; `problems` says where.
    InvalidInput,
    /// A job is running; one Generate is one job.
    Busy,
    /// Nobody has entered a fal key, and there is no proxy.
    NeedsKey,
    /// This deployment's fal addresses cannot be used.
    NotConfigured,
    /// `cancel` with no job that can still be cancelled.
    NothingToCancel,
    /// The person, asked inside the frame, did not allow this site to
    /// start a paid job.
    ConsentDenied,
}

impl RefusalReason {
    /// The refusal in words, for the host's developer.
    pub fn message(self) -> &'static str {
        match self {
            RefusalReason::InvalidCommand => "the command could not be read",
            RefusalReason::InvalidInput => "the form has problems: fix them, then generate",
            RefusalReason::Busy => "a job is running: wait for it to finish or cancel it",
            RefusalReason::NeedsKey => {
                "no fal key yet: the person must enter one in the studio's Connection line"
            }
            RefusalReason::NotConfigured => "this deployment's fal addresses cannot be used",
            RefusalReason::NothingToCancel => "there is no job that can be cancelled",
            RefusalReason::ConsentDenied => {
                "the person did not allow this site to start a paid job (they chose Deny)"
            }
        }
    }
}

/// A message from the studio to its host.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The studio is listening. Sent once it starts, and again on `ping`.
    Ready {
        commands: Vec<&'static str>,
        /// Generate needs a key the person has not entered yet.
        needs_key: bool,
        /// The deployment simulates fal: no real video, no cost.
        simulated: bool,
    },
    /// A command was carried out (`generate`: the job is starting).
    Accepted {
        command: &'static str,
        reply_to: Value,
    },
    /// A command was not carried out, and why.
    Refused {
        command: Option<String>,
        reply_to: Value,
        reason: RefusalReason,
        message: String,
        problems: Vec<Problem>,
    },
    /// fal accepted the job.
    Submitted { job_id: String, request_id: String },
    /// The job moved on (not sent for every log line).
    Status {
        job_id: String,
        request_id: Option<String>,
        /// `uploading`, `submitting`, `in_queue`, `in_progress` or
        /// `fetching_result`.
        state: &'static str,
        /// The studio's own status line, e.g. "Next in fal's queue".
        text: String,
        queue_position: Option<u64>,
        uploads_done: Option<usize>,
        uploads_total: Option<usize>,
        cancel_requested: bool,
    },
    /// The video is ready.
    Completed {
        job_id: String,
        request_id: Option<String>,
        /// Only ever an http(s) URL; `null` if fal's answer held anything else.
        video_url: Option<String>,
        /// `null` when fal's answer did not include it.
        seed: Option<i64>,
        content_type: Option<String>,
        width: Option<u32>,
        height: Option<u32>,
        duration: Option<f64>,
    },
    /// The job failed.
    Failed {
        job_id: String,
        request_id: Option<String>,
        /// `validation`, `content_policy`, `auth`, `not_found`,
        /// `rate_limited`, `start_timeout`, `server`, `proxy_refused`,
        /// `rejected`, `network`, `malformed` or `upload` (a reference file
        /// could not be uploaded).
        error_kind: &'static str,
        message: String,
    },
    /// The job was cancelled.
    Cancelled {
        job_id: String,
        request_id: Option<String>,
    },
}

impl Event {
    /// The refusal of a command that could not be read.
    pub fn invalid(id: Value, command: Option<String>, message: String) -> Self {
        Event::Refused {
            command,
            reply_to: id,
            reason: RefusalReason::InvalidCommand,
            message,
            problems: Vec::new(),
        }
    }

    /// The refusal of `command` for `reason`.
    pub fn refused(command: &Command, id: Value, reason: RefusalReason) -> Self {
        Event::Refused {
            command: Some(command.name().to_owned()),
            reply_to: id,
            reason,
            message: reason.message().to_owned(),
            problems: Vec::new(),
        }
    }

    /// The `type` of this event.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Ready { .. } => "ready",
            Event::Accepted { .. } => "accepted",
            Event::Refused { .. } => "refused",
            Event::Submitted { .. } => "submitted",
            Event::Status { .. } => "status",
            Event::Completed { .. } => "completed",
            Event::Failed { .. } => "failed",
            Event::Cancelled { .. } => "cancelled",
        }
    }

    /// The message as JSON text, with `protocol` and `version` added.
    pub fn to_json(&self) -> String {
        self.to_json_for_run(None)
    }

    /// The message about one run of a batch: its `job_id` is the run's id,
    /// and `batch_id`, `run_index` (from 0) and `run_total` say which batch
    /// and where in it, so a host can tell the runs apart and group them.
    pub fn to_json_for_run(&self, run: Option<&BatchRun>) -> String {
        let mut message = Map::new();
        message.insert("protocol".into(), Value::from(PROTOCOL));
        message.insert("version".into(), Value::from(VERSION));
        if let Ok(Value::Object(fields)) = serde_json::to_value(self) {
            message.extend(fields);
        }
        if let Some(run) = run {
            message.insert("batch_id".into(), Value::from(run.batch_id.as_str()));
            message.insert("run_index".into(), Value::from(run.index));
            message.insert("run_total".into(), Value::from(run.total));
        }
        Value::Object(message).to_string()
    }
}

#[cfg(test)]
#[path = "protocol_tests.rs"]
mod tests;
