//! "Generate", with why it is not available yet and a summary of problems.

use leptos::prelude::*;

use super::context::{use_form, FormContext};
use super::handle::FormHandle;
use crate::core::form::validation::FormField;
use crate::core::model::issues::{Issue, Severity};

/// The button stays in the tab order while the form is invalid: it is
/// `aria-disabled`, not `disabled`, so keyboard and screen-reader users can
/// reach it and hear the reason (a disabled button is skipped and says
/// nothing). Pressing it then sends nothing; it shows every field's message
/// and moves focus to the first problem.
#[component]
pub fn GenerateBar(
    /// The form whose Generate this is; its `busy` (the live status of the
    /// job in flight) shows on the button, which then sends nothing, so one
    /// press is one job.
    form: FormHandle,
) -> impl IntoView {
    let ctx = use_form();
    let busy = form.busy;
    let reason_id = ctx.id("generate-reason");
    let errors = Memo::new(move |_| {
        ctx.validation
            .with(|v| v.errors().cloned().collect::<Vec<_>>())
    });
    let warnings = Memo::new(move |_| {
        ctx.validation
            .with(|v| v.warnings().cloned().collect::<Vec<_>>())
    });
    let blocked = move || errors.with(|e| !e.is_empty());

    // The outcome shows on the page itself (the messages, the job panel).
    let press = move |_| {
        form.generate();
    };

    let reason = move || {
        if busy.with(Option::is_some) {
            return "A job is running: follow it or cancel it under Status and result.".to_string();
        }
        // Once the summary lists every problem, the reason points to it
        // rather than repeating the first one.
        let listed = ctx.submit_attempted.get();
        errors.with(|e| match e.as_slice() {
            [] => String::new(),
            [_] if listed => "Not ready: fix the problem listed above.".to_string(),
            list if listed => format!("Not ready: fix the {} problems listed above.", list.len()),
            [only] => format!("Not ready: {}", only.message),
            [first, rest @ ..] => format!(
                "Not ready: {} (and {} more problem{})",
                first.message,
                rest.len(),
                if rest.len() == 1 { "" } else { "s" }
            ),
        })
    };

    view! {
        <div class="generate-bar">
                <div
                    class="summary"
                    role="group"
                    aria-labelledby=ctx.id("summary-title")
                    hidden=move || !(ctx.submit_attempted.get() && (blocked() || warnings.with(|w| !w.is_empty())))
                >
                    <p id=ctx.id("summary-title") class="summary-title">
                        {move || if blocked() { "Fix these to generate:" } else { "Worth a look before you generate:" }}
                    </p>
                    <ul class="summary-list">
                        {move || {
                            errors.get()
                                .into_iter()
                                .chain(warnings.get())
                                .map(|issue| view! { <SummaryItem issue=issue/> })
                                .collect_view()
                        }}
                    </ul>
                </div>
            <div class="generate-row">
                <p id=reason_id.clone() class="generate-reason" class:is-blocked=blocked>
                    {reason}
                </p>
                <button
                    type="button"
                    class="button button-primary button-generate"
                    class:is-busy=move || busy.with(Option::is_some)
                    aria-disabled=move || (blocked() || busy.with(Option::is_some)).then_some("true")
                    aria-describedby=reason_id
                    on:click=press
                >
                    {move || busy.get().unwrap_or_else(|| "Generate".to_string())}
                </button>
            </div>
        </div>
    }
}

/// What the summary calls a field.
fn field_name(ctx: FormContext, field: FormField) -> String {
    match field {
        FormField::Prompt => "Prompt".into(),
        FormField::NegativePrompt => "Negative prompt".into(),
        FormField::Duration => "Duration".into(),
        FormField::Seed => "Seed".into(),
        FormField::References => "References".into(),
        FormField::Reference(id) => {
            ctx.state
                .with_untracked(|s| match (s.references.label(id), s.references.get(id)) {
                    (Some(label), _) => label.to_string(),
                    (None, Some(item)) => item.display_name().to_string(),
                    (None, None) => "Reference".into(),
                })
        }
    }
}

/// One problem, as a button that takes the focus to its field.
#[component]
fn SummaryItem(issue: Issue<FormField>) -> impl IntoView {
    let ctx = use_form();
    let field = issue.field;
    let name = field_name(ctx, field);
    view! {
        <li class:is-warning=issue.severity == Severity::Warning>
            <button
                type="button"
                class="link-button"
                on:click=move |_| ctx.focus_later(ctx.field_element_id(field))
            >
                <strong>{name}</strong>
                ": "
                {issue.message}
            </button>
        </li>
    }
}
