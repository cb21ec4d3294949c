//! One reference in the list, in named parts: its preview, its title (the
//! label that inserts itself into the prompt), its details and message, its
//! upload, "Add again" for a file lost to a reload, and the buttons that
//! move or remove it.

mod actions;
mod add_again;
mod preview;
mod title;

use leptos::prelude::*;

use super::context::{use_form, FormContext};
use super::trim_control::TrimControl;
use super::upload_status::UploadStatus;
use crate::core::form::references::{Reference, ReferenceId, ReferenceLabel, VideoLength};
use crate::core::form::validation::FormField;
use crate::core::model::issues::Severity;
use crate::core::model::validation::ReferenceKind;

/// What every part of one item reads: the entry, its label and its place
/// in the list, each a memo so a part updates only when its own input does.
#[derive(Clone, Copy)]
struct ItemState {
    ctx: FormContext,
    id: ReferenceId,
    item: Memo<Option<Reference>>,
    label: Memo<Option<ReferenceLabel>>,
    /// Index in the list, and the list's length.
    place: Memo<(usize, usize)>,
}

impl ItemState {
    fn new(ctx: FormContext, id: ReferenceId) -> Self {
        Self {
            ctx,
            id,
            item: Memo::new(move |_| ctx.state.with(|s| s.references.get(id).cloned())),
            label: Memo::new(move |_| ctx.state.with(|s| s.references.label(id))),
            place: Memo::new(move |_| {
                ctx.state.with(|s| {
                    let items = s.references.items();
                    let index = items.iter().position(|r| r.id == id).unwrap_or(0);
                    (index, items.len())
                })
            }),
        }
    }

    /// The file's name or the link.
    fn name(self) -> String {
        self.item.with(|i| {
            i.as_ref()
                .map(|i| i.display_name().to_string())
                .unwrap_or_default()
        })
    }

    /// What the buttons' names call this entry: its label, else its name.
    fn subject(self) -> String {
        self.label
            .get()
            .map_or_else(|| self.name(), |l| l.to_string())
    }

    fn is_video(self) -> bool {
        self.item
            .with(|i| i.as_ref().and_then(|i| i.kind) == Some(ReferenceKind::Video))
    }

    /// A page-unique id for one of this item's controls.
    fn control_id(self, what: &str) -> String {
        self.ctx.id(&format!("ref-{}-{what}", self.id.0))
    }
}

/// A row of the references list, keyed by the reference's id so it keeps
/// its DOM (and its video preview) across reorders.
#[component]
pub fn ReferenceItem(
    /// The reference this row shows.
    id: ReferenceId,
) -> impl IntoView {
    let ctx = use_form();
    let state = ItemState::new(ctx, id);
    let details = move || state.item.with(|i| i.as_ref().map(Reference::details));
    view! {
        <li
            id=ctx.field_element_id(FormField::Reference(id))
            class="ref-item"
            class:is-refused=move || state.item.with(|i| i.as_ref().is_some_and(|i| i.refusal.is_some()))
            tabindex="-1"
        >
            <preview::ReferencePreview state/>
            <div class="ref-body">
                <title::ReferenceTitle state/>
                <p class="ref-details">{details}</p>
                <ReferenceMessage state/>
                <TrimControl id/>
                <UploadStatus id subject=Signal::derive(move || state.subject())/>
                <add_again::AddAgainButton state/>
            </div>
            <actions::ReferenceActions state/>
        </li>
    }
}

/// Why the entry cannot be sent, or what is worth a look: its refusal, else
/// fal's objection to it (after a run), else the form's check for it
/// (nothing while a video's length is read; the details line says so).
/// Shown at once, unlike a field's message: the person just added it.
#[component]
fn ReferenceMessage(state: ItemState) -> impl IntoView {
    let ctx = state.ctx;
    let field = FormField::Reference(state.id);
    let message = Memo::new(move |_| {
        state.item.with(|i| {
            let i = i.as_ref()?;
            if let Some(refusal) = &i.refusal {
                return Some((Severity::Error, format!("Refused: {}", refusal.message())));
            }
            let from_fal = ctx.current_server_problems.with(|p| {
                p.iter()
                    .find(|issue| issue.field == field)
                    .map(|issue| (issue.severity, issue.message.clone()))
            });
            if from_fal.is_some() || i.length == Some(VideoLength::Reading) {
                return from_fal;
            }
            ctx.validation.with(|v| {
                v.for_field(field)
                    .map(|issue| (issue.severity, issue.message.clone()))
            })
        })
    });
    let severity = move || message.with(|m| m.as_ref().map(|(s, _)| *s));
    view! {
        <p
            id=ctx.message_id(field)
            class="field-message"
            class:is-error=move || severity() == Some(Severity::Error)
            class:is-warning=move || severity() == Some(Severity::Warning)
        >
            {move || message.with(|m| m.as_ref().map(|(_, m)| m.clone()).unwrap_or_default())}
        </p>
    }
}
