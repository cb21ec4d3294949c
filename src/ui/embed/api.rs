//! The host-page API: a page that embeds the studio (and is listed in
//! `embed_allowed_origins`) commands it and hears how the job goes. The
//! messages and the origin rules are the core's; this wires them to the form
//! (through its command signal, so Generate runs the form's own checks) and
//! to the current job.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde_json::Value;

use crate::core::embed::events::{job_events, Reported};
use crate::core::embed::gate::{origin_of_address, EmbedGate};
use crate::core::embed::protocol::{
    problems, read_command, Command, Event, Incoming, RefusalReason, COMMANDS,
};
use crate::ui::connection::ConnectionContext;
use crate::ui::form::{FormCommand, GenerateOutcome};
use crate::ui::job::running_job::RunningJob;
use crate::web::embed::{self, Received};

/// What the API acts on, all owned by the studio.
#[derive(Clone, Copy)]
pub struct EmbedParts {
    pub connection: ConnectionContext,
    /// The job the status panel shows; its progress becomes events.
    pub current_job: RwSignal<Option<RunningJob>>,
    /// The form's command slot ("set_inputs", "generate").
    pub form_commands: RwSignal<Option<FormCommand>>,
}

/// Starts the API when the studio runs in a frame and the deployer allows
/// at least one embedding origin; otherwise does nothing at all.
pub fn use_embed_api(parts: EmbedParts) {
    if !embed::is_framed() {
        return;
    }
    let gate = parts
        .connection
        .config
        .with_value(|c| EmbedGate::new(&c.embed_allowed_origins));
    if gate.is_closed() {
        return;
    }
    let gate = StoredValue::new(gate);
    // Learned from the browser's hints now, and for certain from the first
    // command the parent sends.
    let parent = StoredValue::new(embed::parent_address_hint().and_then(|a| origin_of_address(&a)));
    let send = Callback::new(move |event: Event| {
        let target = gate.with_value(|g| parent.with_value(|p| g.target(p.as_deref())));
        if let Some(target) = target {
            embed::post_to_parent(&event.to_json(), &target);
        }
    });

    send.run(ready(parts.connection));

    let listener = embed::listen(move |received| on_message(parts, gate, parent, send, received));
    let listener = SendWrapper::new(listener);
    on_cleanup(move || drop(listener));

    // The job's progress, as events: only what changed since the last one.
    let reported = StoredValue::new(None::<Reported>);
    Effect::new(move |_| {
        let Some(running) = parts.current_job.get() else {
            return;
        };
        let job_id = running.record.with_untracked(|r| r.id.clone());
        let events = running.job.with(|job| {
            let (events, now) = reported.with_value(|r| job_events(r.as_ref(), &job_id, job));
            reported.set_value(now);
            events
        });
        for event in events {
            send.run(event);
        }
    });
}

fn ready(connection: ConnectionContext) -> Event {
    Event::Ready {
        commands: COMMANDS.to_vec(),
        needs_key: untrack(|| connection.route()).is_none(),
        simulated: connection.config.with_value(|c| c.simulated),
    }
}

fn on_message(
    parts: EmbedParts,
    gate: StoredValue<EmbedGate>,
    parent: StoredValue<Option<String>>,
    send: Callback<Event>,
    received: Received,
) {
    // Only the window holding this frame gives commands; other frames and
    // popups are not the host, whatever their origin.
    if !received.from_parent {
        return;
    }
    let incoming = match &received.json {
        Some(json) => read_command(json),
        None => Incoming::NotOurs,
    };
    if incoming == Incoming::NotOurs {
        return;
    }
    if !gate.with_value(|g| g.accepts(&received.origin)) {
        embed::warn(&format!(
            "wan-r2v studio ignored a command from {}: that origin is not in this \
             deployment's embed_allowed_origins (config.json)",
            received.origin
        ));
        return;
    }
    // The browser's word for who sent it: events now go there.
    parent.set_value(origin_of_address(&received.origin));
    match incoming {
        Incoming::NotOurs => {}
        Incoming::Invalid {
            id,
            command,
            message,
        } => send.run(Event::invalid(id, command, message)),
        Incoming::Command { id, command } => run(parts, send, id, command),
    }
}

fn run(parts: EmbedParts, send: Callback<Event>, id: Value, command: Command) {
    let name = command.name();
    let accepted = move |id: Value| Event::Accepted {
        command: name,
        reply_to: id,
    };
    let running = parts.current_job.get_untracked();
    match command {
        Command::Ping => send.run(ready(parts.connection)),
        Command::SetInputs(input) => {
            parts.form_commands.set(Some(FormCommand::Load(*input)));
            send.run(accepted(id));
        }
        Command::Cancel => match running.filter(|r| r.job.with_untracked(|j| j.can_cancel())) {
            Some(running) => {
                running.cancel();
                send.run(accepted(id));
            }
            None => send.run(Event::refused(&command, id, RefusalReason::NothingToCancel)),
        },
        Command::Generate => {
            if running.is_some_and(|r| r.job.with_untracked(|j| !j.is_finished())) {
                return send.run(Event::refused(&command, id, RefusalReason::Busy));
            }
            match untrack(|| parts.connection.route()) {
                None => return send.run(Event::refused(&command, id, RefusalReason::NeedsKey)),
                Some(Err(_)) => {
                    return send.run(Event::refused(&command, id, RefusalReason::NotConfigured))
                }
                Some(Ok(_)) => {}
            }
            let reply = Callback::new(move |outcome: GenerateOutcome| {
                let event = match outcome {
                    GenerateOutcome::Submitted => accepted(id.clone()),
                    GenerateOutcome::Busy => {
                        Event::refused(&Command::Generate, id.clone(), RefusalReason::Busy)
                    }
                    GenerateOutcome::Refused(issues) => {
                        let mut event = Event::refused(
                            &Command::Generate,
                            id.clone(),
                            RefusalReason::InvalidInput,
                        );
                        if let Event::Refused { problems: p, .. } = &mut event {
                            *p = problems(&issues);
                        }
                        event
                    }
                };
                send.run(event);
            });
            parts.form_commands.set(Some(FormCommand::Generate(reply)));
        }
    }
}
