//! What other parts of the page can ask of the form: the job panel's
//! "Reuse seed" and "Edit and rerun", and fal's objections to an input.

use leptos::prelude::*;

use super::context::FormContext;
use crate::core::fal_error::FalError;
use crate::core::form_commands::problems_for_form;
use crate::core::model::R2vInput;

/// A request to the form, delivered through the `commands` signal the App
/// passes to [`super::RequestForm`].
#[derive(Debug, Clone, PartialEq)]
pub enum FormCommand {
    /// Put this seed in the seed box and lock it, so the next run reuses it.
    ReuseSeed(i64),
    /// Replace the form with these inputs (references come back as URLs).
    Load(R2vInput),
    /// fal refused the input: show each objection next to its field.
    ShowProblems(FalError),
}

/// Applies each command as it arrives, then clears it.
pub(super) fn apply_commands(ctx: FormContext, commands: RwSignal<Option<FormCommand>>) {
    Effect::new(move |_| {
        let Some(command) = commands.get() else {
            return;
        };
        commands.set(None);
        match command {
            FormCommand::ReuseSeed(seed) => {
                ctx.state.update(|s| s.reuse_seed(seed));
                ctx.focus_later(
                    ctx.field_element_id(crate::core::form_validation::FormField::Seed),
                );
            }
            FormCommand::Load(input) => {
                ctx.state.update(|s| s.load_input(&input));
                ctx.focus_later(
                    ctx.field_element_id(crate::core::form_validation::FormField::Prompt),
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
        }
    });
}
