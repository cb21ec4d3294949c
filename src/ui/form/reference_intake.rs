//! Adding references from files and links, whichever way they arrive
//! (picker, drop, paste, "Add again"), with one announcement each.

use leptos::prelude::*;

use super::context::{FormContext, LocalMedia};
use crate::core::form::reference_link::read_reference_link;
use crate::core::form::references::ReferenceId;
use crate::core::model::reference_media::LocalFile;
use crate::core::model::validation::ReferenceKind;
use crate::web::local_file::describe;
use crate::web::object_url::ObjectUrl;

/// Keeps the browser file next to its entry, for the preview and the
/// upload. Refused files are not kept: they will never be shown or sent.
fn keep_media(ctx: FormContext, id: ReferenceId, file: web_sys::File) {
    let refused = ctx
        .state
        .with_untracked(|s| s.references.get(id).is_none_or(|r| r.refusal.is_some()));
    if refused {
        return;
    }
    if let Ok(url) = ObjectUrl::new(&file) {
        ctx.media.update_value(|media| {
            media.insert(id, LocalMedia { file, url });
        });
    }
}

/// What happened to a file, for the live region.
fn outcome(ctx: FormContext, id: ReferenceId, file: &LocalFile) -> String {
    ctx.state.with_untracked(|s| {
        match (
            s.references.label(id),
            s.references.get(id).and_then(|r| r.refusal.clone()),
        ) {
            (Some(label), _) => format!("Added {} as {label}.", file.name),
            (None, Some(refusal)) => format!("{} was refused: {}", file.name, refusal.message()),
            (None, None) => String::new(),
        }
    })
}

/// Adds files at the end of the list.
pub fn add_files(ctx: FormContext, files: Vec<web_sys::File>) {
    let mut messages = Vec::new();
    for file in files {
        let info = describe(&file);
        let Some(id) = ctx
            .state
            .try_update(|s| s.references.add_file(info.clone()))
        else {
            return;
        };
        keep_media(ctx, id, file);
        messages.push(outcome(ctx, id, &info));
    }
    ctx.announcement.set(messages.join(" "));
}

/// Puts a file in the place of an entry ("Add again").
pub fn replace_file(ctx: FormContext, id: ReferenceId, file: web_sys::File) {
    let info = describe(&file);
    if ctx
        .state
        .try_update(|s| s.references.replace_with_file(id, info.clone()))
        != Some(true)
    {
        return;
    }
    // The old entry's media (if any) is replaced, which revokes its URL.
    ctx.media.update_value(|media| {
        media.remove(&id);
    });
    keep_media(ctx, id, file);
    ctx.announcement.set(outcome(ctx, id, &info));
}

/// Adds a link, read by the core's rules ([`read_reference_link`]): `kind`
/// is the person's choice under Type. The error is worded for the URL box.
pub fn add_url(ctx: FormContext, text: &str, kind: Option<ReferenceKind>) -> Result<(), String> {
    let link = read_reference_link(text, kind)?;
    let id = ctx
        .state
        .try_update(|s| s.references.add_url(&link.url, link.kind));
    if let Some(label) = id.and_then(|id| ctx.state.with_untracked(|s| s.references.label(id))) {
        ctx.announcement.set(format!("Added the link as {label}."));
    }
    Ok(())
}
