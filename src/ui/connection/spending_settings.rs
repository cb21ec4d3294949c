//! Spending, in every mode: the spend line from the history's records
//! ("Today: $3.40 · This month: $41.20"), and the person's "Daily spending
//! cap" and "Confirm runs over" fields. The decisions are the core's
//! ([`crate::core::spending`]); Generate applies them.

use leptos::prelude::*;

use super::ConnectionContext;
use crate::core::access::refusal::dollars;
use crate::core::spending::limits::{parse_dollars, SpendingLimits};
use crate::core::spending::totals::{totals, SpendTotals};
use crate::ui::history::LiveJobs;
use crate::web::local_time::utc_offset_minutes;
use crate::web::timer::now_ms;

/// What this browser's accepted runs came to, today and this month (local
/// time). Follows the history; zero where there is no history.
pub fn spend_totals() -> Signal<SpendTotals> {
    let jobs = use_context::<LiveJobs>();
    Signal::derive(move || {
        let Some(jobs) = jobs else {
            return SpendTotals::default();
        };
        let now = now_ms();
        jobs.store
            .history()
            .with(|h| totals(h.records(), now, utc_offset_minutes(now)))
    })
}

/// "Today: $3.40 · This month: $41.20".
#[component]
pub fn SpendLine() -> impl IntoView {
    let spent = spend_totals();
    view! { <p class="spend-line field-hint">{move || spent.get().line()}</p> }
}

/// The two limits, each checked as it is typed and kept on this device.
#[component]
pub fn SpendingSettings() -> impl IntoView {
    let connection = ConnectionContext::expect();
    let limits = connection.limits;
    let initial = limits.get_untracked();
    let cap_text = RwSignal::new(initial.daily_cap_cents.map(dollars).unwrap_or_default());
    let confirm_text = RwSignal::new(dollars(initial.confirm_over_cents));
    let cap_problem = move || parse_dollars(&cap_text.get()).err();
    let confirm_problem = move || parse_dollars(&confirm_text.get()).err();
    let apply = move || {
        let fields =
            SpendingLimits::from_fields(&cap_text.get_untracked(), &confirm_text.get_untracked());
        if let Some(limits) = fields {
            connection.set_limits(limits);
        }
    };
    view! {
        <fieldset class="spending-settings">
            <legend>"Spending"</legend>
            <SpendLine/>
            <div class="field">
                <label class="field-label" for="daily-spending-cap">"Daily spending cap"</label>
                <input
                    id="daily-spending-cap"
                    class="input"
                    inputmode="decimal"
                    placeholder="none"
                    aria-describedby="daily-spending-cap-help daily-spending-cap-problem"
                    aria-invalid=move || cap_problem().is_some().to_string()
                    prop:value=move || cap_text.get()
                    on:input:target=move |ev| {
                        cap_text.set(ev.target().value());
                        apply();
                    }
                />
                <p id="daily-spending-cap-problem" class="field-message is-error" role="alert">{cap_problem}</p>
                <p id="daily-spending-cap-help" class="field-hint">
                    "Optional, in dollars: Generate stops once today's runs would pass it. Counted in this browser, from its history."
                </p>
            </div>
            <div class="field">
                <label class="field-label" for="confirm-runs-over">"Confirm runs over"</label>
                <input
                    id="confirm-runs-over"
                    class="input"
                    inputmode="decimal"
                    aria-describedby="confirm-runs-over-problem"
                    aria-invalid=move || confirm_problem().is_some().to_string()
                    prop:value=move || confirm_text.get()
                    on:input:target=move |ev| {
                        confirm_text.set(ev.target().value());
                        apply();
                    }
                />
                <p id="confirm-runs-over-problem" class="field-message is-error" role="alert">{confirm_problem}</p>
            </div>
        </fieldset>
    }
}
