//! What a host's command comes to, given where the studio stands: whether
//! it is carried out or refused (a job is running, no key yet, nothing to
//! cancel), and the event that answers it. Decided here so the browser side
//! only carries the answer out and posts it.

use serde_json::Value;

use crate::core::batch::variations::{Variations, VariationsField};
use crate::core::embed::problems::{problems, variation_problems, Problem};
use crate::core::embed::protocol::{Command, Event, RefusalReason, COMMANDS};
use crate::core::form::validation::FormField;
use crate::core::job::state::Job;
use crate::core::model::issues::Issue;
use crate::core::model::schema::R2vInput;

/// Whether the studio can reach fal now, as the Connection panel sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// No proxy and no key entered yet.
    NeedsKey,
    /// The deployment's fal addresses cannot be used.
    NotConfigured,
    /// A job could be sent.
    Ready,
}

/// Where the studio stands when a command arrives.
#[derive(Debug, Clone, Copy)]
pub struct Standing<'a> {
    /// The job the status panel shows, if any.
    pub job: Option<&'a Job>,
    pub reach: Reach,
    /// The deployment simulates fal (`config.json`'s `simulated`).
    pub simulated: bool,
}

impl Standing<'_> {
    /// The `ready` event: sent when the API starts and on `ping`.
    pub fn ready(&self) -> Event {
        Event::Ready {
            commands: COMMANDS.to_vec(),
            needs_key: self.reach == Reach::NeedsKey,
            simulated: self.simulated,
        }
    }
}

/// What the studio does for one command.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Post this event; nothing else happens.
    Answer(Event),
    /// Put these inputs in the form (fields left out take the model's
    /// defaults), then post `answer`.
    SetInputs {
        input: Box<R2vInput>,
        variations: Box<Variations>,
        answer: Event,
    },
    /// Cancel the current job, then post `answer`.
    CancelJob { answer: Event },
    /// Ask the form to generate: it runs its own checks first, so the
    /// answer waits for its outcome ([`Event::generate_outcome`]).
    Generate,
}

/// The reply to `command` (tagged `id` by the host) in `standing`.
pub fn reply(command: Command, id: Value, standing: &Standing) -> Reply {
    let accepted = Event::Accepted {
        command: command.name(),
        reply_to: id.clone(),
    };
    let refused = |reason| Reply::Answer(Event::refused(&command, id.clone(), reason));
    match &command {
        Command::Ping => Reply::Answer(standing.ready()),
        Command::SetInputs(input, variations) => Reply::SetInputs {
            input: input.clone(),
            variations: variations.clone(),
            answer: accepted,
        },
        Command::Cancel => match standing.job {
            Some(job) if job.can_cancel() => Reply::CancelJob { answer: accepted },
            _ => refused(RefusalReason::NothingToCancel),
        },
        Command::Generate => match (standing.job, standing.reach) {
            (Some(job), _) if !job.is_finished() => refused(RefusalReason::Busy),
            (_, Reach::NeedsKey) => refused(RefusalReason::NeedsKey),
            (_, Reach::NotConfigured) => refused(RefusalReason::NotConfigured),
            (_, Reach::Ready) => Reply::Generate,
        },
    }
}

/// What the form made of a `generate` it was asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GenerateAnswer<'a> {
    /// The request went to the job side, as a press of the button would.
    Submitted,
    /// A job was running after all; one press is one job.
    Busy,
    /// The form has errors (shown next to their fields); nothing was sent.
    Refused(&'a [Issue<FormField>]),
    /// The "Variations" group cannot make a batch (shown in the group);
    /// nothing was sent.
    VariationsRefused(&'a [Issue<VariationsField>]),
}

impl Event {
    /// The answer to `generate` once the form has tried: `accepted`, or
    /// `refused` with the form's problems by field.
    pub fn generate_outcome(id: Value, outcome: GenerateAnswer) -> Self {
        let command = Command::Generate;
        match outcome {
            GenerateAnswer::Submitted => Event::Accepted {
                command: command.name(),
                reply_to: id,
            },
            GenerateAnswer::Busy => Event::refused(&command, id, RefusalReason::Busy),
            GenerateAnswer::Refused(issues) => Event::invalid_input(&command, id, problems(issues)),
            GenerateAnswer::VariationsRefused(issues) => {
                Event::invalid_input(&command, id, variation_problems(issues))
            }
        }
    }
}

impl Event {
    fn invalid_input(command: &Command, reply_to: Value, problems: Vec<Problem>) -> Self {
        Event::Refused {
            command: Some(command.name().to_owned()),
            reply_to,
            reason: RefusalReason::InvalidInput,
            message: RefusalReason::InvalidInput.message().to_owned(),
            problems,
        }
    }
}

#[cfg(test)]
#[path = "commands_tests.rs"]
mod tests;
