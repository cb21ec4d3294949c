//! A group of native radios under a legend, each option drawn as its owner
//! likes ("Aspect ratio" draws shapes, "Resolution" a segmented control).

use leptos::prelude::*;

/// Native radios give the arrow-key behaviour of a radio group for free;
/// the fieldset's legend names the group, and each option's visible text
/// (its `value`) names its radio.
#[component]
pub fn RadioGroup<T, V>(
    /// The legend, which is the group's accessible name.
    label: &'static str,
    /// Page-unique: the radios' `name`, and the legend's id with `-legend`.
    name: String,
    /// The choices, in order.
    options: Vec<T>,
    /// Each choice's form value.
    value: fn(T) -> &'static str,
    /// What each option shows next to its radio.
    content: fn(T) -> V,
    /// The choice that is checked.
    #[prop(into)]
    selected: Signal<T>,
    /// Called when the person picks a choice.
    #[prop(into)]
    on_select: Callback<T>,
    /// The options' container: its look ("ratio-options", "segmented").
    group_class: &'static str,
    /// Each option's look ("ratio-option", "segment").
    option_class: &'static str,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let legend_id = format!("{name}-legend");
    view! {
        <fieldset class="field fieldset">
            <legend id=legend_id.clone() class="field-label">{label}</legend>
            <div class=group_class role="radiogroup" aria-labelledby=legend_id>
                {options
                    .into_iter()
                    .map(|option| {
                        let checked = move || selected.get() == option;
                        view! {
                            <label class=option_class class:is-selected=checked>
                                <input
                                    type="radio"
                                    class="option-input"
                                    name=name.clone()
                                    value=value(option)
                                    prop:checked=checked
                                    on:change=move |_| on_select.run(option)
                                />
                                {content(option)}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}
