//! "Generate", with why it is not available yet and a summary of problems.

use leptos::prelude::*;

use super::context::{use_form, FormContext};
use super::handle::FormHandle;
use crate::core::access::refusal::AccessRefusal;
use crate::core::form::state::FormState;
use crate::core::form::validation::FormField;
use crate::core::model::issues::{Issue, Severity};
use crate::core::spending::limits::SpendVerdict;
use crate::ui::connection::{spend_totals, ConnectionContext};
use crate::ui::embed::ConsentPrompt;
use crate::web::local_time::utc_offset_minutes;
use crate::web::timer::{now_ms, now_secs};

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
    let variation_errors = Memo::new(move |_| {
        ctx.variation_issues
            .with(|v| v.errors().map(|i| i.message.clone()).collect::<Vec<_>>())
    });
    let blocked =
        move || errors.with(|e| !e.is_empty()) || variation_errors.with(|e| !e.is_empty());
    let money = money_gate(ctx);
    let stopped = move || money.stop.with(Option::is_some);
    // A run over "Confirm runs over" asks here first.
    let confirming = RwSignal::new(None::<String>);
    let start = move || {
        confirming.set(None);
        money.clear_passing_refusal();
        form.generate();
    };

    // The outcome shows on the page itself (the messages, the job panel).
    // Nothing is sent while the proxy or the person's own cap says no.
    let press = move |_| {
        // A budget past its reset, or a store that was down, no longer
        // stops Generate: this press tries again.
        money.clear_passing_refusal();
        if money.stop.with_untracked(Option::is_some) {
            return;
        }
        let ready = errors.with_untracked(Vec::is_empty)
            && variation_errors.with_untracked(Vec::is_empty)
            && busy.with_untracked(Option::is_none);
        match money.verdict.get_untracked() {
            // Only a run that would start is worth asking about.
            SpendVerdict::Confirm(question) if ready => {
                confirming.set(Some(question));
            }
            _ => start(),
        }
    };

    let reason = move || {
        if let Some(stop) = money.stop.get() {
            return stop;
        }
        if busy.with(Option::is_some) {
            return "A job is running: follow it or cancel it under Status and result.".to_string();
        }
        // Once the summary lists every problem, the reason points to it
        // rather than repeating the first one.
        let listed = ctx.submit_attempted.get();
        if errors.with(Vec::is_empty) {
            if let Some(first) = variation_errors.with(|e| e.first().cloned()) {
                return format!("Not ready (Variations): {first}");
            }
        }
        errors.with(|e| match e.as_slice() {
            [] => money.notice.get().unwrap_or_default(),
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

    // The summary of problems stays in the form's flow; the bar after it
    // (cost, Generate, and the questions Generate asks) sticks to the
    // bottom of the screen while the form scrolls (style/layout.css), so
    // it is never more than one row's height over the fields.
    view! {
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
        <div class="generate-bar">
            <div class="generate-row">
                <p id=reason_id.clone() class="generate-reason" class:is-blocked=move || blocked() || stopped()>
                    {reason}
                </p>
                <BarCost/>
                <button
                    type="button"
                    class="button button-primary button-generate"
                    class:is-busy=move || busy.with(Option::is_some)
                    aria-disabled=move || (blocked() || stopped() || busy.with(Option::is_some)).then_some("true")
                    aria-describedby=reason_id
                    on:click=press
                >
                    {move || busy.get().unwrap_or_else(|| "Generate".to_string())}
                </button>
            </div>
            <ConsentPrompt/>
            {move || confirming.get().map(|question| view! {
                <div class="generate-confirm" role="alertdialog" aria-label="Confirm this run">
                    <p>{question}</p>
                    <button type="button" class="button button-primary" on:click=move |_| start()>"Start this run"</button>
                    <button type="button" class="button button-secondary" on:click=move |_| confirming.set(None)>"Don't start"</button>
                </div>
            })}
        </div>
    }
}

/// The run's price beside Generate, so it is in view wherever the bar
/// is. The Estimated cost section above has the sum spelled out and is
/// what screen readers hear change; this copy is not a live region.
#[component]
fn BarCost() -> impl IntoView {
    let ctx = use_form();
    // A batch's total, as the Estimated cost section shows it.
    let headline = Memo::new(move |_| match ctx.batch_cost.get() {
        Some(batch) => batch.headline(),
        None => ctx.state.with(|s| FormState::cost(s).headline()),
    });
    view! {
        <p class="generate-cost">
            <span class="visually-hidden">"Estimated cost: "</span>
            {headline}
        </p>
    }
}

/// What money says about Generate: the proxy's refusals (no access, a
/// budget reached, its store down) and the person's own limits.
#[derive(Clone, Copy)]
struct MoneyGate {
    /// Generate sends nothing while this is set; it says why.
    stop: Memo<Option<String>>,
    /// Shown at Generate without stopping it (the proxy's store was down).
    notice: Memo<Option<String>>,
    verdict: Memo<SpendVerdict>,
    connection: Option<ConnectionContext>,
}

impl MoneyGate {
    /// A press tries again past a refusal that no longer stops Generate
    /// (the core's [`AccessRefusal::blocks_generate`] at this moment: a
    /// store that was down, a budget whose day has reset). The stop memo
    /// cannot notice time passing by itself.
    fn clear_passing_refusal(&self) {
        if let Some(connection) = self.connection {
            let now = now_secs();
            let passing = connection
                .access
                .refusal
                .with_untracked(|r| r.as_ref().is_some_and(|r| !r.blocks_generate(now)));
            if passing {
                connection.access.refusal.set(None);
            }
        }
    }
}

fn money_gate(ctx: FormContext) -> MoneyGate {
    let connection = use_context::<ConnectionContext>();
    let spent = spend_totals();
    let verdict = Memo::new(move |_| {
        let (cost, runs) = match ctx.batch_cost.get() {
            Some(batch) => (batch.total_cents(), batch.runs.len()),
            None => (ctx.state.with(|s| FormState::cost(s).known_cents()), 1),
        };
        connection.map_or(SpendVerdict::Go, |c| {
            c.limits.get().verdict_for(spent.get(), cost, runs)
        })
    });
    let refusal = move || connection.and_then(|c| c.access.refusal.get());
    let stop = Memo::new(move |_| {
        let offset = utc_offset_minutes(now_ms());
        if let Some(refusal) = refusal().filter(|r| r.blocks_generate(now_secs())) {
            return Some(refusal.message(offset));
        }
        match verdict.get() {
            SpendVerdict::Capped(message) => Some(message),
            _ => None,
        }
    });
    let notice = Memo::new(move |_| {
        refusal()
            .filter(|r| matches!(r, AccessRefusal::StateUnavailable { .. }))
            .map(|r| r.message(0))
    });
    MoneyGate {
        stop,
        notice,
        verdict,
        connection,
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
