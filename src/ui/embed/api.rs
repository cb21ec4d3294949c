//! The host-page API: a page that embeds the studio (and is listed in
//! `embed_allowed_origins`) commands it and hears how the job goes. The
//! messages, the origin rules and what each command comes to are the
//! core's (`core::embed`); this carries the replies out on the form (through
//! its handle, so Generate runs the form's own checks) and the current job,
//! and posts them.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde_json::Value;

use super::consent_prompt::{EmbedConsent, PendingGenerate};
use crate::core::batch::batch_id::BatchRun;
use crate::core::embed::commands::{reply, GenerateAnswer, Reach, Reply, Standing};
use crate::core::embed::consent::{self, ConsentChoice, ConsentNeed};
use crate::core::embed::events::{job_events, Reported};
use crate::core::embed::gate::{ignored_origin_warning, origin_of_address, EmbedGate};
use crate::core::embed::protocol::{read_command, Command, Event, Incoming, RefusalReason};
use crate::core::job::state::Job;
use crate::ui::batch::LiveBatch;
use crate::ui::connection::ConnectionContext;
use crate::ui::form::handle::{FormHandle, GenerateOutcome};
use crate::ui::job::running_job::RunningJob;
use crate::ui::on_demand::on_demand;
use crate::web::embed::{self, Received};

/// What the API acts on, all owned by the studio.
#[derive(Clone, Copy)]
pub struct EmbedParts {
    pub connection: ConnectionContext,
    /// The job the status panel shows; its progress becomes events.
    pub current_job: RwSignal<Option<RunningJob>>,
    /// The batch the status panel shows; each run's progress becomes
    /// events that name the batch.
    pub current_batch: RwSignal<Option<LiveBatch>>,
    /// The form ("set_inputs", "generate").
    pub form: FormHandle,
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
    // The consent prompt (in the generate bar) reads this when it is
    // built; the API's own code, loaded on demand, fills in the choice.
    let pending = RwSignal::new(None::<PendingGenerate>);
    let chooser = StoredValue::new(None::<Callback<ConsentChoice>>);
    let choose = Callback::new(move |choice| {
        if let Some(chosen) = chooser.get_value() {
            chosen.run(choice);
        }
    });
    provide_context(EmbedConsent { pending, choose });
    let Some(owner) = Owner::current() else {
        return;
    };
    leptos::task::spawn_local(async move {
        if start_loaded(parts, gate, pending, chooser, owner)
            .await
            .is_err()
        {
            embed::warn(PART_NOT_LOADED);
        }
    });
}

/// Said in the console (for whoever set up the embedding) when the API's
/// code did not arrive: the host then never hears `ready`.
const PART_NOT_LOADED: &str = "wan-r2v studio: the embedding API did not load from the site (the \
     connection failed); reload the frame to try again.";

on_demand! {
    part = embed;
    /// The API itself: loaded only in a frame whose deployer allows
    /// embedding, and run under the studio's owner as if started there.
    async fn start_loaded(
        parts: EmbedParts,
        gate: EmbedGate,
        pending: RwSignal<Option<PendingGenerate>>,
        chooser: StoredValue<Option<Callback<ConsentChoice>>>,
        owner: Owner,
    ) {
        owner.with(|| start(parts, gate, pending, chooser))
    }
}

fn start(
    parts: EmbedParts,
    gate: EmbedGate,
    pending: RwSignal<Option<PendingGenerate>>,
    chooser: StoredValue<Option<Callback<ConsentChoice>>>,
) {
    let gate = StoredValue::new(gate);
    // Learned from the browser's hints now, and for certain from the first
    // command the parent sends.
    let parent = StoredValue::new(embed::parent_address_hint().and_then(|a| origin_of_address(&a)));
    let send_for_run = Callback::new(move |(event, run): (Event, Option<BatchRun>)| {
        let target = gate.with_value(|g| parent.with_value(|p| g.target(p.as_deref())));
        if let Some(target) = target {
            embed::post_to_parent(&event.to_json_for_run(run.as_ref()), &target);
        }
    });
    let send = Callback::new(move |event: Event| send_for_run.run((event, None)));

    send.run(with_standing(parts, |standing| standing.ready()));

    // A host's `generate` that needs the person's consent waits in
    // `pending` for this.
    let choose = Callback::new(move |choice: ConsentChoice| {
        let Some(waiting) = pending.get_untracked() else {
            return;
        };
        pending.set(None);
        if choice == ConsentChoice::AlwaysAllow {
            let always = parts.connection.embed_always.get_untracked();
            parts
                .connection
                .set_embed_always(consent::remember(&always, &waiting.origin));
        }
        if choice.allows() {
            generate(parts, send, waiting.id);
        } else {
            send.run(Event::refused(
                &Command::Generate,
                waiting.id,
                RefusalReason::ConsentDenied,
            ));
        }
    });
    chooser.set_value(Some(choose));
    let consent = EmbedConsent { pending, choose };

    let listener =
        embed::listen(move |received| on_message(parts, consent, gate, parent, send, received));
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
    // Each run of the batch shown, the same way, its events naming the batch.
    Effect::new(move |_| {
        let Some(batch) = parts.current_batch.get() else {
            return;
        };
        for running in batch.jobs() {
            let reported = StoredValue::new(None::<Reported>);
            Effect::new(move |_| {
                let (job_id, place) = running
                    .record
                    .with_untracked(|r| (r.id.clone(), r.batch.clone()));
                let events = running.job.with(|job| {
                    let (events, now) =
                        reported.with_value(|r| job_events(r.as_ref(), &job_id, job));
                    reported.set_value(now);
                    events
                });
                for event in events {
                    send_for_run.run((event, place.clone()));
                }
            });
        }
    });
}

/// Where the studio stands now, for deciding a command (read untracked:
/// a command is answered once, not again when things change).
fn with_standing<T>(parts: EmbedParts, decide: impl FnOnce(&Standing) -> T) -> T {
    let reach = match untrack(|| parts.connection.route()) {
        None => Reach::NeedsKey,
        Some(Err(_)) => Reach::NotConfigured,
        Some(Ok(_)) => Reach::Ready,
    };
    let simulated = parts.connection.config.with_value(|c| c.simulated);
    let decide = |job: Option<&Job>| {
        decide(&Standing {
            job,
            reach,
            simulated,
        })
    };
    match parts.current_job.get_untracked() {
        Some(running) => running.job.with_untracked(|job| decide(Some(job))),
        None => decide(None),
    }
}

fn on_message(
    parts: EmbedParts,
    consent: EmbedConsent,
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
        embed::warn(&ignored_origin_warning(&received.origin));
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
        Incoming::Command { id, command } => {
            run(parts, consent, send, id, command, &received.origin)
        }
    }
}

fn run(
    parts: EmbedParts,
    consent: EmbedConsent,
    send: Callback<Event>,
    id: Value,
    command: Command,
    origin: &str,
) {
    // With a batch shown, `cancel` stops every run that has not ended, as
    // "Cancel all" does; each run then reports its own `cancelled`.
    if command == Command::Cancel {
        if let Some(batch) = parts
            .current_batch
            .get_untracked()
            .filter(|b| b.is_running())
        {
            batch.cancel_all();
            send.run(Event::Accepted {
                command: command.name(),
                reply_to: id,
            });
            return;
        }
    }
    match with_standing(parts, |standing| reply(command, id.clone(), standing)) {
        Reply::Answer(event) => send.run(event),
        Reply::SetInputs {
            input,
            variations,
            answer,
        } => {
            parts.form.set_inputs(&input);
            parts.form.set_variations(*variations);
            send.run(answer);
        }
        Reply::CancelJob { answer } => {
            if let Some(running) = parts.current_job.get_untracked() {
                running.cancel();
            }
            send.run(answer);
        }
        Reply::Generate => {
            let need = parts.connection.config.with_value(|c| {
                parts.connection.embed_always.with_untracked(|always| {
                    consent::need(origin, &c.embed_autorun_origins, always)
                })
            });
            match need {
                ConsentNeed::Granted => generate(parts, send, id),
                // One question at a time: a second `generate` while one
                // waits is the same press, refused as busy.
                ConsentNeed::Ask if consent.pending.with_untracked(Option::is_some) => {
                    send.run(Event::refused(&Command::Generate, id, RefusalReason::Busy));
                }
                ConsentNeed::Ask => {
                    let cost = parts.form.cost();
                    consent.pending.set(Some(PendingGenerate {
                        id,
                        origin: origin.to_owned(),
                        question: consent::question(origin, cost.known_cents(), cost.is_complete()),
                    }));
                }
            }
        }
    }
}

/// Presses Generate for the host and answers with what came of it.
fn generate(parts: EmbedParts, send: Callback<Event>, id: Value) {
    let outcome = parts.form.generate();
    let answer = match &outcome {
        GenerateOutcome::Submitted => GenerateAnswer::Submitted,
        GenerateOutcome::Busy => GenerateAnswer::Busy,
        GenerateOutcome::Refused(issues) => GenerateAnswer::Refused(issues),
        GenerateOutcome::VariationsRefused(issues) => GenerateAnswer::VariationsRefused(issues),
    };
    send.run(Event::generate_outcome(id, answer));
}
