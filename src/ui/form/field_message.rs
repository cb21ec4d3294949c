//! The message shown under a field, and the matching `aria-invalid`.

use leptos::prelude::*;

use super::context::use_form;
use crate::core::form::validation::FormField;
use crate::core::model::issues::Severity;

/// The field's current problem, once the person has left the field or
/// pressed Generate. The element is always there (empty when all is well)
/// so the field's `aria-describedby` never points at nothing.
#[component]
pub fn FieldMessage(
    /// The field whose problem this shows.
    field: FormField,
) -> impl IntoView {
    let ctx = use_form();
    let issue = Memo::new(move |_| ctx.shown_issue(field));
    let severity = move || issue.with(|i| i.as_ref().map(|i| i.severity));
    view! {
        <p
            id=ctx.message_id(field)
            class="field-message"
            class:is-error=move || severity() == Some(Severity::Error)
            class:is-warning=move || severity() == Some(Severity::Warning)
        >
            {move || issue.with(|i| i.as_ref().map(|i| i.message.clone()).unwrap_or_default())}
        </p>
    }
}

/// `aria-invalid="true"` while the field's shown problem is an error.
pub fn aria_invalid(field: FormField) -> impl Fn() -> Option<&'static str> + Copy {
    let ctx = use_form();
    move || {
        ctx.shown_issue(field)
            .filter(|i| i.severity == Severity::Error)
            .map(|_| "true")
    }
}
