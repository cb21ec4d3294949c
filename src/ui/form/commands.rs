//! What other parts of the page can ask of the form: the job panel's
//! "Reuse seed" and "Edit and rerun", fal's objections to an input, and an
//! embedding page's "generate".

use leptos::prelude::*;

use super::context::FormContext;
use crate::core::fal::error::FalError;
use crate::core::form::commands::problems_for_form;
use crate::core::form::state::FormRequest;
use crate::core::form::validation::FormIssue;
use crate::core::model::schema::R2vInput;

/// A request to the form, delivered through the `commands` signal the App
/// passes to [`super::RequestForm`].
#[derive(Debug, Clone)]
pub enum FormCommand {
    /// Put this seed in the seed box and lock it, so the next run reuses it.
    ReuseSeed(i64),
    /// Replace the form with these inputs (references come back as URLs).
    Load(R2vInput),
    /// fal refused the input: show each objection next to its field.
    ShowProblems(FalError),
    /// Press Generate on the person's behalf (an embedding page asked). The
    /// same checks as the button: invalid input is refused, with every
    /// message shown, and the callback hears what happened.
    Generate(Callback<GenerateOutcome>),
    /// Hand the form's current request to this callback, leaving the form
    /// as it is ("Copy share link" reads the settings this way).
    Read(Callback<FormRequest>),
}

/// What a [`FormCommand::Generate`] came to.
#[derive(Debug, Clone, PartialEq)]
pub enum GenerateOutcome {
    /// The request went to the job side, as a press of the button would.
    Submitted,
    /// A job is running; one press is one job.
    Busy,
    /// The form has errors (shown next to their fields); nothing was sent.
    Refused(Vec<FormIssue>),
}

/// Applies each command as it arrives, then clears it. `submit` is the
/// form's own Generate (false when it sent nothing); `busy` the job in flight.
pub(super) fn apply_commands(
    ctx: FormContext,
    commands: RwSignal<Option<FormCommand>>,
    submit: Callback<(), bool>,
    busy: Signal<Option<String>>,
) {
    // A Generate made inside this effect would belong to it, and the job it
    // starts would be disposed when the effect runs again (at once: it
    // clears the command). It belongs to the form instead, like a press of
    // the button.
    let form_owner = Owner::current();
    Effect::new(move |_| {
        let Some(command) = commands.get() else {
            return;
        };
        commands.set(None);
        match command {
            FormCommand::ReuseSeed(seed) => {
                ctx.state.update(|s| s.reuse_seed(seed));
                ctx.focus_later(
                    ctx.field_element_id(crate::core::form::validation::FormField::Seed),
                );
            }
            FormCommand::Load(input) => {
                ctx.state.update(|s| s.load_input(&input));
                ctx.focus_later(
                    ctx.field_element_id(crate::core::form::validation::FormField::Prompt),
                );
            }
            FormCommand::ShowProblems(error) => {
                let problems = ctx.state.with_untracked(|s| problems_for_form(&error, s));
                if let Some(first) = problems.first() {
                    ctx.focus_later(ctx.field_element_id(first.field));
                }
                // After the state-change effect has run, so it is not cleared at once.
                request_animation_frame(move || ctx.server_problems.set(problems));
            }
            FormCommand::Generate(reply) => {
                let outcome = match &form_owner {
                    Some(owner) => owner.with(|| generate(ctx, submit, busy)),
                    None => generate(ctx, submit, busy),
                };
                reply.run(outcome);
            }
            FormCommand::Read(reader) => reader.run(ctx.state.with_untracked(|s| s.request())),
        }
    });
}

/// Generate as the button does it: nothing while a job runs, nothing sent
/// while the form has errors (they all show, and the first gets focus).
fn generate(
    ctx: FormContext,
    submit: Callback<(), bool>,
    busy: Signal<Option<String>>,
) -> GenerateOutcome {
    if busy.with_untracked(Option::is_some) {
        return GenerateOutcome::Busy;
    }
    let errors = || {
        ctx.validation
            .with_untracked(|v| v.errors().cloned().collect::<Vec<_>>())
    };
    let refuse = |errors: Vec<FormIssue>| {
        ctx.submit_attempted.set(true);
        if let Some(first) = errors.first() {
            ctx.focus_later(ctx.field_element_id(first.field));
        }
        GenerateOutcome::Refused(errors)
    };
    let before = errors();
    if !before.is_empty() {
        return refuse(before);
    }
    if submit.run(()) {
        GenerateOutcome::Submitted
    } else {
        // A file's bytes were gone: the form now asks for it again.
        refuse(errors())
    }
}
