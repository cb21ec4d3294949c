//! "Variations": one Generate, several runs. "Seeds" (how many, random or
//! counting up from the Seed field) and "Vary" (up to two settings, each
//! over the values ticked under it, and "Prompt variants"). The core
//! checks it all ([`Variations::validate`]); a batch over the limit is
//! refused here, with its count, before anything is sent.

use leptos::prelude::*;

use super::context::{axis_slug, use_form, FormContext};
use crate::core::batch::variations::{Axis, SeedMode, Variations, VariationsField, SEEDS_MAX};
use crate::core::model::issues::Severity;

/// The group. With one seed and nothing ticked, Generate is a single run
/// as before, and the group says so.
#[component]
pub fn VariationsGroup() -> impl IntoView {
    let ctx = use_form();
    let seeds_id = ctx.id("variation-seeds");
    let runs_id = ctx.id("variation-runs");
    let runs_ref = runs_id.clone();
    let seeds_message = message_id(ctx, VariationsField::Seeds);
    let mode = move || ctx.variations.with(|v| v.seed_mode);
    let set_mode = move |m: SeedMode| ctx.variations.update(|v| v.set_seed_mode(m));
    let radio_name = ctx.id("seed-mode");
    let radio_name2 = radio_name.clone();
    view! {
        <fieldset class="field fieldset variations" aria-describedby=runs_ref.clone()>
            <legend class="field-label">"Variations"</legend>
            <p class="field-hint">"One Generate, several runs side by side: seeds, and up to two settings swept."</p>
            <div class="variations-seeds">
                <label class="field-label" for=seeds_id.clone()>"Seeds"</label>
                <input
                    id=seeds_id
                    class="input input-narrow"
                    type="number"
                    min="1"
                    max=SEEDS_MAX.to_string()
                    inputmode="numeric"
                    aria-describedby=format!("{seeds_message} {runs_ref}")
                    aria-invalid=move || has_error(ctx, VariationsField::Seeds).then_some("true")
                    prop:value=move || ctx.variations.with(|v| v.seed_count.to_string())
                    on:input:target=move |ev| {
                        let typed = ev.target().value();
                        ctx.variations.update(|v| v.set_seed_count_text(&typed));
                    }
                />
                <div class="variations-seed-mode" role="radiogroup" aria-label="How seeds are chosen"
                    hidden=move || ctx.variations.with(|v| v.seed_count <= 1)>
                    <label class="check">
                        <input type="radio" name=radio_name value="random"
                            prop:checked=move || mode() == SeedMode::Random
                            on:change=move |_| set_mode(SeedMode::Random)/>
                        "Random"
                    </label>
                    <label class="check">
                        <input type="radio" name=radio_name2 value="count"
                            prop:checked=move || mode() == SeedMode::CountUp
                            on:change=move |_| set_mode(SeedMode::CountUp)/>
                        "Counting up from Seed"
                    </label>
                </div>
            </div>
            <VariationMessage field=VariationsField::Seeds/>
            <fieldset class="fieldset vary">
                <legend class="field-label">"Vary"</legend>
                <div class="vary-axes">
                    {Axis::ALL.into_iter().map(|axis| view! { <AxisBox axis/> }).collect_view()}
                </div>
                <VariationMessage field=VariationsField::Vary/>
                {Axis::ALL.into_iter().map(|axis| view! { <AxisValues axis/> }).collect_view()}
            </fieldset>
            <p id=runs_id class="variations-runs"
                class:is-error=move || has_error(ctx, VariationsField::Runs)
                role="status">
                {move || runs_line(ctx)}
            </p>
        </fieldset>
    }
}

/// "6 runs" ([`Variations::runs_line`]), or the refusal of a batch over
/// the limit (with its count).
fn runs_line(ctx: FormContext) -> String {
    let refusal = ctx.variation_issues.with(|issues| {
        issues
            .for_field(VariationsField::Runs)
            .map(|i| i.message.clone())
    });
    refusal.unwrap_or_else(|| ctx.variations.with(Variations::runs_line))
}

fn message_id(ctx: FormContext, field: VariationsField) -> String {
    format!("{}-message", ctx.variations_element_id(field))
}

fn has_error(ctx: FormContext, field: VariationsField) -> bool {
    ctx.variation_issues.with(|i| {
        i.for_field(field)
            .is_some_and(|i| i.severity == Severity::Error)
    })
}

/// The problem of one control of the group, shown as soon as it exists:
/// the group is a count, not text being typed.
#[component]
fn VariationMessage(field: VariationsField) -> impl IntoView {
    let ctx = use_form();
    let issue = Memo::new(move |_| ctx.variation_issues.with(|i| i.for_field(field).cloned()));
    let severity = move || issue.with(|i| i.as_ref().map(|i| i.severity));
    view! {
        <p
            id=message_id(ctx, field)
            class="field-message"
            class:is-error=move || severity() == Some(Severity::Error)
            class:is-warning=move || severity() == Some(Severity::Warning)
        >
            {move || issue.with(|i| i.as_ref().map(|i| i.message.clone()).unwrap_or_default())}
        </p>
    }
}

/// One setting's box in the "Vary" list.
#[component]
fn AxisBox(axis: Axis) -> impl IntoView {
    let ctx = use_form();
    let id = ctx.id(&format!("vary-{}", axis_slug(axis)));
    view! {
        <label class="check">
            <input id=id type="checkbox"
                prop:checked=move || ctx.variations.with(|v| v.is_on(axis))
                on:change:target=move |ev| {
                    let on = ev.target().checked();
                    ctx.variations.update(|v| v.set_axis_on(axis, on));
                }/>
            {axis.name()}
        </label>
    }
}

/// The values of a ticked setting: boxes, or the prompts' text box.
#[component]
fn AxisValues(axis: Axis) -> impl IntoView {
    let ctx = use_form();
    let shown = move || ctx.variations.with(|v| v.is_on(axis));
    let field = VariationsField::Axis(axis);
    let body = match axis {
        Axis::PromptVariants => {
            let id = ctx.id("prompt-variants");
            view! {
                <label class="field-label" for=id.clone()>"Prompt variants"</label>
                <textarea id=id class="textarea" rows="3"
                    aria-describedby=message_id(ctx, field)
                    placeholder="One prompt per line; @Image1 and the other labels work in each"
                    prop:value=move || ctx.variations.with(|v| v.prompt_variants.text.clone())
                    on:input:target=move |ev| {
                        let text = ev.target().value();
                        ctx.variations.update(|v| v.set_prompt_variants_text(text));
                    }></textarea>
            }
            .into_any()
        }
        other => values(other).into_any(),
    };
    let legend = match axis {
        Axis::PromptVariants => None,
        other => Some(format!("{} values", other.name())),
    };
    let role = legend.is_some().then_some("group");
    let name = legend.clone();
    view! {
        <div class="vary-values" hidden=move || !shown() role=role aria-label=name>
            {legend.map(|legend| view! { <p class="field-hint vary-legend" aria-hidden="true">{legend}</p> })}
            {body}
            <VariationMessage field/>
        </div>
    }
}

/// A box per value of a setting, ticked when the value is swept.
fn values(axis: Axis) -> impl IntoView {
    let ctx = use_form();
    view! {
        <div class="vary-options">
            {axis.value_labels().into_iter().enumerate().map(|(index, label)| view! {
                <label class="check">
                    <input type="checkbox"
                        prop:checked=move || ctx.variations.with(|v| v.is_value_ticked(axis, index))
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            ctx.variations.update(|v| v.tick_value(axis, index, on));
                        }/>
                    {label}
                </label>
            }).collect_view()}
        </div>
    }
}
