//! One reference: preview, label, size, length, reason if refused, and its
//! buttons.

use leptos::prelude::*;

use super::context::use_form;
use super::reference_intake::replace_file;
use super::trim_control::TrimControl;
use super::upload_status::UploadStatus;
use crate::core::form::references::{ReferenceId, ReferenceSource, VideoLength};
use crate::core::form::text_cursor::{chars_to_utf16, utf16_to_chars};
use crate::core::form::validation::FormField;
use crate::core::model::pricing::{format_tenths, millis_to_tenths};
use crate::core::model::reference_media::format_file_size;
use crate::core::model::validation::{ReferenceKind, Severity};
use crate::core::url;
use crate::web::data_transfer::file_list;

/// A row of the references list, keyed by the reference's id so it keeps
/// its DOM (and its video preview) across reorders.
#[component]
pub fn ReferenceItem(
    /// The reference this row shows.
    id: ReferenceId,
) -> impl IntoView {
    let ctx = use_form();
    let item = Memo::new(move |_| ctx.state.with(|s| s.references.get(id).cloned()));
    let label = Memo::new(move |_| ctx.state.with(|s| s.references.label(id)));
    let place = Memo::new(move |_| {
        ctx.state.with(|s| {
            let items = s.references.items();
            let index = items.iter().position(|r| r.id == id).unwrap_or(0);
            (index, items.len())
        })
    });
    let name = move || {
        item.with(|i| {
            i.as_ref()
                .map(|i| i.display_name().to_string())
                .unwrap_or_default()
        })
    };
    // What the buttons' names call this entry: its label, else its name.
    let subject = move || label.get().map_or_else(name, |l| l.to_string());
    let button_id = move |what: &str| ctx.id(&format!("ref-{}-{what}", id.0));

    let insert_label = move |_| {
        let Some(textarea) = ctx.prompt.get_untracked() else {
            return;
        };
        let text = ctx.state.with_untracked(|s| s.prompt.clone());
        let utf16_len = chars_to_utf16(&text, text.chars().count()) as u32;
        let start = textarea
            .selection_start()
            .ok()
            .flatten()
            .unwrap_or(utf16_len);
        let end = textarea.selection_end().ok().flatten().unwrap_or(start);
        let (start, end) = (
            utf16_to_chars(&text, start as usize),
            utf16_to_chars(&text, end as usize),
        );
        let Some(Some(cursor)) = ctx
            .state
            .try_update(|s| s.insert_reference_label(id, start, end))
        else {
            return;
        };
        // Set the box now (not on the next render) so the cursor can be
        // placed right after the inserted label.
        let prompt = ctx.state.with_untracked(|s| s.prompt.clone());
        textarea.set_value(&prompt);
        let at = chars_to_utf16(&prompt, cursor) as u32;
        let _ = textarea.set_selection_range(at, at);
        let _ = textarea.focus();
        ctx.announcement
            .set(format!("Inserted {} into the prompt.", subject()));
    };

    let move_by = move |up: bool| {
        let moved = ctx.state.try_update(|s| {
            if up {
                s.references.move_up(id)
            } else {
                s.references.move_down(id)
            }
        });
        if moved == Some(true) {
            // Reordering moves this row in the DOM, which drops focus: put
            // it back on the same button, or its twin once at an end.
            let (index, len) = place.get_untracked();
            let at_end = if up { index == 0 } else { index + 1 == len };
            let target = match (up, at_end) {
                (true, false) | (false, true) => "up",
                (false, false) | (true, true) => "down",
            };
            ctx.focus_later(button_id(target));
            ctx.announcement.set(format!(
                "{} moved to position {} of {len}.",
                subject(),
                index + 1
            ));
        }
    };

    let remove = move |_| {
        let gone = subject();
        let next = ctx.state.with_untracked(|s| {
            let items = s.references.items();
            let index = items.iter().position(|r| r.id == id)?;
            items
                .get(index + 1)
                .or_else(|| index.checked_sub(1).and_then(|i| items.get(i)))
                .map(|r| r.id)
        });
        ctx.state.update(|s| {
            s.references.remove(id);
        });
        ctx.focus_later(match next {
            Some(next) => ctx.field_element_id(FormField::Reference(next)),
            None => ctx.id("file-input"),
        });
        ctx.announcement.set(format!("Removed {gone}."));
    };

    let is_video =
        move || item.with(|i| i.as_ref().and_then(|i| i.kind) == Some(ReferenceKind::Video));
    let preview_src = move || {
        item.with(|i| {
            let i = i.as_ref()?;
            if i.refusal.is_some() {
                return None;
            }
            match &i.source {
                ReferenceSource::Url(url) => Some(url.clone()),
                // After a reload an uploaded file has no bytes here, but
                // fal's storage serves it.
                ReferenceSource::File(_) => ctx
                    .media
                    .with_value(|m| m.get(&id).map(|m| m.url.as_str().to_string()))
                    .or_else(|| i.uploaded_url.clone()),
                ReferenceSource::FileToAddAgain(_) => None,
            }
        })
    };
    let known_length = move || {
        item.with(|i| match i.as_ref().and_then(|i| i.length) {
            Some(VideoLength::Known { millis }) => Some(format_tenths(millis_to_tenths(millis))),
            _ => None,
        })
    };
    let details = move || {
        item.with(|i| {
            let Some(i) = i.as_ref() else {
                return String::new();
            };
            let mut parts = Vec::new();
            match &i.source {
                ReferenceSource::Url(text) => {
                    if let Ok(parsed) = url::parse(text) {
                        parts.push(parsed.host.clone());
                    }
                }
                ReferenceSource::File(file) | ReferenceSource::FileToAddAgain(file) => {
                    parts.push(format_file_size(file.size))
                }
            }
            match i.length {
                Some(VideoLength::Known { millis }) => {
                    parts.push(format_tenths(millis_to_tenths(millis)))
                }
                Some(VideoLength::Reading) => parts.push("reading length\u{2026}".into()),
                Some(VideoLength::Unknown) => parts.push("length unknown".into()),
                None => {}
            }
            if let Some(Ok(planned)) = i.trim.as_ref().map(|t| &t.outcome) {
                parts.push(planned.details());
            }
            parts.join(" \u{b7} ")
        })
    };

    let message = move || {
        item.with(|i| {
            let i = i.as_ref()?;
            if let Some(refusal) = &i.refusal {
                return Some((Severity::Error, format!("Refused: {}", refusal.message())));
            }
            if i.length == Some(VideoLength::Reading) {
                return None;
            }
            ctx.validation.with(|v| {
                v.for_field(FormField::Reference(id))
                    .map(|issue| (issue.severity, issue.message.clone()))
            })
        })
    };
    let severity = move || message().map(|(s, _)| s);
    let needs_adding_again = move || {
        item.with(|i| {
            matches!(
                i.as_ref().map(|i| &i.source),
                Some(ReferenceSource::FileToAddAgain(_))
            )
        })
    };
    let accept = move || if is_video() { "video/*" } else { "image/*" };
    // A link the browser cannot load (gone, refused, not media) shows the
    // plain file sign instead of the browser's broken-image sign.
    let preview_failed = RwSignal::new(false);

    view! {
        <li
            id=ctx.field_element_id(FormField::Reference(id))
            class="ref-item"
            class:is-refused=move || item.with(|i| i.as_ref().is_some_and(|i| i.refusal.is_some()))
            tabindex="-1"
        >
            <div class="ref-media">
                // Both previews exist and attributes pick one: cheaper in code
                // than swapping element types. `#t=0.1` makes the browser show
                // an early frame as the video's poster.
                <video
                    class="ref-preview"
                    hidden=move || !(is_video() && preview_src().is_some()) || preview_failed.get()
                    src=move || if is_video() { preview_src().map(|src| format!("{src}#t=0.1")) } else { None }
                    on:error=move |_| preview_failed.set(true)
                    on:loadedmetadata=move |_| preview_failed.set(false)
                    preload="metadata"
                    muted=true
                    playsinline=true
                    aria-hidden="true"
                ></video>
                <img
                    class="ref-preview"
                    hidden=move || is_video() || preview_src().is_none() || preview_failed.get()
                    src=move || if is_video() { None } else { preview_src() }
                    on:error=move |_| preview_failed.set(true)
                    on:load=move |_| preview_failed.set(false)
                    alt=""
                    referrerpolicy="no-referrer"
                />
                <span class="ref-preview ref-preview-empty" aria-hidden="true"
                    hidden=move || preview_src().is_some() && !preview_failed.get()>
                    <svg viewBox="0 0 24 24"><path d="M7 3h7l5 5v13H7z M14 3v5h5"/></svg>
                </span>
                <span class="ref-badge" aria-hidden="true" hidden=move || known_length().is_none()>
                    {move || known_length().unwrap_or_default()}
                </span>
            </div>
            <div class="ref-body">
                <div class="ref-title">
                    <button
                        type="button"
                        class="ref-label"
                        hidden=move || label.get().is_none()
                        title=move || label.get().map(|l| format!("Insert \u{201c}{l}\u{201d} at the prompt's cursor"))
                        aria-describedby=ctx.id("label-hint")
                        on:click=insert_label
                    >
                        {move || label.get().map(|l| l.to_string()).unwrap_or_default()}
                    </button>
                    <span class="ref-label is-unlabelled" hidden=move || label.get().is_some()>
                        "Not added"
                    </span>
                    <span class="ref-name" title=name>{name}</span>
                </div>
                <p class="ref-details">{details}</p>
                <p
                    id=ctx.message_id(FormField::Reference(id))
                    class="field-message"
                    class:is-error=move || severity() == Some(Severity::Error)
                    class:is-warning=move || severity() == Some(Severity::Warning)
                >
                    {move || message().map(|(_, m)| m).unwrap_or_default()}
                </p>
                <TrimControl id/>
                <UploadStatus id subject=Signal::derive(subject)/>
                <label class="button button-small file-button" hidden=move || !needs_adding_again()>
                        "Add again"
                        <input
                            type="file"
                            class="visually-hidden"
                            accept=accept
                            aria-label=move || format!("Add {} again", name())
                            on:change:target=move |ev| {
                                let input = ev.target();
                                if let Some(file) = input.files().map(file_list).and_then(|f| f.into_iter().next()) {
                                    replace_file(ctx, id, file);
                                }
                                input.set_value("");
                            }
                        />
                </label>
            </div>
            <div class="ref-actions">
                <button
                    id=button_id("up")
                    type="button"
                    class="icon-button"
                    aria-label=move || format!("Move {} up", subject())
                    title="Move up"
                    disabled=move || place.get().0 == 0
                    on:click=move |_| move_by(true)
                >
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 18V6M6.5 11.5 12 6l5.5 5.5"/></svg>
                </button>
                <button
                    id=button_id("down")
                    type="button"
                    class="icon-button"
                    aria-label=move || format!("Move {} down", subject())
                    title="Move down"
                    disabled=move || { let (index, len) = place.get(); index + 1 >= len }
                    on:click=move |_| move_by(false)
                >
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 6v12M6.5 12.5 12 18l5.5-5.5"/></svg>
                </button>
                <button
                    type="button"
                    class="icon-button icon-button-danger"
                    aria-label=move || format!("Remove {}", subject())
                    title="Remove"
                    on:click=remove
                >
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6 6 18"/></svg>
                </button>
            </div>
        </li>
    }
}
