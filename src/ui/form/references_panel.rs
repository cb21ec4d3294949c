//! "References": the images and videos the video is made from.

use leptos::{ev, html, prelude::*};
use wasm_bindgen::JsCast;

use super::context::{use_form, FormContext};
use super::drop_zone::DropZone;
use super::field_message::FieldMessage;
use super::reference_intake::{add_files, add_url};
use super::reference_item::ReferenceItem;
use crate::core::form::reference_link::web_links_in;
use crate::core::form::validation::FormField;
use crate::web::clipboard_paste::read_paste;
use crate::web::data_transfer::{is_text_entry, read_transfer, Transfer};

/// The list with its four ways in: the file picker, a URL, a drop anywhere
/// on the panel, and a paste (an image, or a link) while the focus is not
/// in a text box.
#[component]
pub fn ReferencesPanel() -> impl IntoView {
    let ctx = use_form();
    let title_id = ctx.id("references-title");
    let heading_id = title_id.clone();
    let panel = NodeRef::<html::Section>::new();
    // dragenter/dragleave fire for every child crossed; counting them tells
    // when the drag really left the panel.
    let drag_depth = RwSignal::new(0_i32);
    let dragging = Signal::derive(move || drag_depth.get() > 0);

    let take = move |transfer: Transfer, from_panel: bool| match transfer {
        Transfer::Files(files) => add_files(ctx, files),
        Transfer::Text(text) => take_text(ctx, &text, from_panel),
        Transfer::Nothing => {}
    };

    let paste_listener = window_event_listener(ev::paste, move |e: ev::ClipboardEvent| {
        let target = e.target();
        let Some(root) = panel.get_untracked() else {
            return;
        };
        // With several forms on a page (tests), each takes only its own
        // pastes, plus pastes with nothing focused.
        let target_node = target
            .clone()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let in_panel = target_node.as_ref().is_some_and(|n| root.contains(Some(n)));
        let on_page_body =
            target_node.is_none_or(|n| document().body().is_some_and(|b| b.is_same_node(Some(&n))));
        if !in_panel && !on_page_body {
            return;
        }
        match read_paste(&e) {
            Transfer::Files(files) => {
                e.prevent_default();
                add_files(ctx, files);
            }
            // Text typed into a box belongs to that box.
            Transfer::Text(_) if is_text_entry(target) => {}
            transfer @ Transfer::Text(_) => {
                e.prevent_default();
                take(transfer, in_panel);
            }
            Transfer::Nothing => {}
        }
    });
    on_cleanup(move || paste_listener.remove());

    let items = move || {
        ctx.state.with(|s| {
            s.references
                .items()
                .iter()
                .map(|r| r.id)
                .collect::<Vec<_>>()
        })
    };

    view! {
        <section
            id=ctx.field_element_id(FormField::References)
            node_ref=panel
            class="references"
            class:is-dragging=dragging
            aria-labelledby=title_id
            tabindex="-1"
            on:dragenter=move |e: ev::DragEvent| {
                e.prevent_default();
                drag_depth.update(|d| *d += 1);
            }
            on:dragover=move |e: ev::DragEvent| {
                // Without this the browser opens the file instead of dropping it here.
                e.prevent_default();
                if let Some(data) = e.data_transfer() {
                    data.set_drop_effect("copy");
                }
            }
            on:dragleave=move |_| drag_depth.update(|d| *d = (*d - 1).max(0))
            on:drop=move |e: ev::DragEvent| {
                e.prevent_default();
                drag_depth.set(0);
                if let Some(data) = e.data_transfer() {
                    take(read_transfer(&data), true);
                }
            }
        >
            <div class="references-head">
                <h3 id=heading_id class="field-label references-title">"References"</h3>
                <span class="field-hint">
                    {move || {
                        let count = ctx.state.with(|s| s.references.items().len());
                        if count == 0 { String::new() } else { format!("{count} added") }
                    }}
                </span>
            </div>
            <p class="field-hint" id=ctx.id("label-hint")>
                "Images (JPEG, PNG, WebP, BMP; up to 20 MB) and videos (MP4, MOV; up to 100 MB). "
                "Press a label such as \u{201c}Image 1\u{201d} to insert it in the prompt."
            </p>
            <ol class="ref-list" aria-label="Added references">
                <For each=items key=|id| *id let:id>
                    <ReferenceItem id=id/>
                </For>
            </ol>
            <DropZone dragging=dragging/>
            <super::url_adder::UrlAdder/>
            <FieldMessage field=FormField::References/>
            <p class="ref-status" role="status">{move || ctx.announcement.get()}</p>
        </section>
    }
}

/// Pasted or dropped text: every line that is a web link becomes a
/// reference. Text that is not a link is only remarked on when it was
/// meant for the panel.
fn take_text(ctx: FormContext, text: &str, meant_for_panel: bool) {
    let links = web_links_in(text);
    if links.is_empty() {
        if meant_for_panel {
            ctx.announcement.set(
                "The pasted text is not a link: paste an http or https link, an image or a video."
                    .into(),
            );
        }
        return;
    }
    let mut problems = Vec::new();
    for link in links {
        if let Err(message) = add_url(ctx, link, None) {
            problems.push(format!("{link}: {message}"));
        }
    }
    if !problems.is_empty() {
        ctx.announcement.set(problems.join(" "));
    }
}
