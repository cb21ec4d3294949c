//! The estimated cost, with the sum spelled out.

use leptos::prelude::*;

use super::context::use_form;
use crate::core::form::state::FormState;

/// "$1.32" and how it comes about, updated as the duration and the
/// reference videos change. A video whose length the browser could not
/// read is listed with what it adds per second, so the total is never
/// silently too low. With variations, the total of the batch and the line
/// "6 runs × $0.50 = $3.00" come first, and the sum is one run's.
#[component]
pub fn CostPreview() -> impl IntoView {
    let ctx = use_form();
    let title_id = ctx.id("cost-title");
    let heading_id = title_id.clone();
    let cost = Memo::new(move |_| ctx.state.with(FormState::cost));
    view! {
        <section class="cost" aria-labelledby=title_id aria-live="polite">
            <div class="cost-head">
                <h3 id=heading_id class="field-label">"Estimated cost"</h3>
                <span class="cost-total">{move || match ctx.batch_cost.get() {
                    Some(batch) => batch.headline(),
                    None => cost.with(|c| c.headline()),
                }}</span>
            </div>
            <p class="cost-batch" hidden=move || ctx.batch_cost.with(Option::is_none)>
                {move || ctx.batch_cost.with(|b| b.as_ref().map(|b| b.summary()))}
            </p>
            <p class="cost-arithmetic">
                {move || ctx.batch_cost.with(Option::is_some).then_some("Each run: ")}
                {move || cost.with(|c| c.arithmetic())}
            </p>
            <ul class="cost-notes">
                {move || {
                    cost.with(|c| c.unpriced_notes())
                        .into_iter()
                        .map(|note| view! { <li>{note}</li> })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
