//! "Trim" on a local reference video: Start and End fields (seconds, 0.1 s
//! steps), the range drawn on the video's timeline, and a preview that
//! plays only that range. The header is read once when the trim opens
//! (`web::media_trim::read_index`, a few `Blob.slice` reads); every change
//! of the fields is then planned by the core in memory, and the plan's
//! length is what the estimate bills.

use std::rc::Rc;

use leptos::{prelude::*, task::spawn_local};
use web_sys::HtmlVideoElement;

use super::context::{use_form, FormContext};
use crate::core::form::references::{ReferenceId, ReferenceSource};
use crate::core::form::trim::{parse_seconds_field, PlannedTrim, Trim, TrimRange};
use crate::core::form::trim_range::tenths_text;
use crate::core::media::MediaIndex;
use crate::core::model::fixed_decimals::fixed;
use crate::core::model::reference_media::LocalFile;
use crate::core::model::validation::ReferenceKind;
use crate::ui::on_demand::on_demand;
use crate::web::media_trim::{read_index, IndexError};

/// Where reading the video's header stands.
#[derive(Clone, PartialEq)]
enum Header {
    NotRead,
    Reading,
    /// Indexed; the video's length in seconds.
    Ready(f64),
    /// The trimmer's reason; the video can still be sent whole.
    Refused(String),
}

/// When the trimming code did not arrive (release builds load it on the
/// first "Trim"); closing and opening the trim asks for it again.
const PART_NOT_LOADED: &str = "the trimming part of the studio did not load from the site (the \
     connection failed); close Trim and open it again to retry.";

on_demand! {
    part = trim;
    /// Reads and indexes the video's header: the first step of a trim.
    async fn read_header_loaded(file: web_sys::File) -> Result<MediaIndex, IndexError> {
        read_index(&file).await
    }
}

/// The local file behind `id` and its object URL, when it is a local
/// video that can be sent.
fn local_video(ctx: FormContext, id: ReferenceId) -> Option<(LocalFile, web_sys::File, String)> {
    let local = ctx.state.with(|s| {
        let item = s.references.get(id)?;
        match (&item.source, item.kind, &item.refusal) {
            (ReferenceSource::File(file), Some(ReferenceKind::Video), None) => Some(file.clone()),
            _ => None,
        }
    })?;
    let (file, url) = ctx.media.with_value(|m| {
        m.get(&id)
            .map(|m| (m.file.clone(), m.url.as_str().to_string()))
    })?;
    Some((local, file, url))
}

/// The trim of one reference video; shows nothing for other references.
#[component]
pub fn TrimControl(
    /// The reference this trims.
    id: ReferenceId,
) -> impl IntoView {
    let ctx = use_form();
    let video = Memo::new(move |_| local_video(ctx, id).map(|(local, _, url)| (local, url)));
    let open = RwSignal::new(false);
    let header = RwSignal::new(Header::NotRead);
    // The index, with the file it was read from (an entry given another
    // file needs another read).
    let index = StoredValue::new_local(None::<(LocalFile, Rc<MediaIndex>)>);
    let trim = Memo::new(move |_| {
        ctx.state
            .with(|s| s.references.get(id).and_then(|r| r.trim.clone()))
    });
    let planned = move || trim.with(|t| t.as_ref().and_then(|t| t.outcome.clone().ok()));
    let start_problem = RwSignal::new(None::<String>);
    let end_problem = RwSignal::new(None::<String>);

    let apply = move |range: TrimRange| {
        let Some(index) = index.with_value(|i| i.as_ref().map(|(_, index)| index.clone())) else {
            return;
        };
        let trim = Trim::plan_snapped(&index, range);
        ctx.state.update(|s| s.references.set_trim(id, Some(trim)));
    };

    let read_header = move || {
        let Some((local, file, _)) = local_video(ctx, id) else {
            return;
        };
        if index.with_value(|i| i.as_ref().is_some_and(|(read, _)| *read == local)) {
            return;
        }
        header.set(Header::Reading);
        spawn_local(async move {
            match read_header_loaded(file).await {
                Ok(Ok(read)) => {
                    let duration = read.duration_seconds();
                    let _ = index.try_set_value(Some((local, Rc::new(read))));
                    let _ = header.try_set(Header::Ready(duration));
                    let existing = trim.try_get_untracked().flatten().map(|t| t.range);
                    apply(existing.unwrap_or_else(|| TrimRange::whole(duration)));
                }
                Ok(Err(error)) => {
                    let _ = header.try_set(Header::Refused(error.message()));
                }
                Err(_) => {
                    let _ = header.try_set(Header::Refused(PART_NOT_LOADED.into()));
                }
            }
        });
    };

    let toggle = move |_| {
        let now_open = !open.get_untracked();
        open.set(now_open);
        if now_open {
            read_header();
        } else {
            // Closing the trim sends the whole video again.
            ctx.state.update(|s| s.references.set_trim(id, None));
            header.set(Header::NotRead);
            start_problem.set(None);
            end_problem.set(None);
        }
    };

    let on_field = move |text: String, is_start: bool| {
        let problem = if is_start { start_problem } else { end_problem };
        match parse_seconds_field(&text) {
            Err(why) => problem.set(Some(why)),
            Ok(tenths) => {
                problem.set(None);
                let Some(mut range) = trim.get_untracked().map(|t| t.range) else {
                    return;
                };
                if is_start {
                    range.start_tenths = tenths;
                } else {
                    range.end_tenths = tenths;
                }
                apply(range);
            }
        }
    };

    let panel_id = ctx.id(&format!("ref-{}-trim", id.0));
    let start_id = ctx.id(&format!("ref-{}-trim-start", id.0));
    let end_id = ctx.id(&format!("ref-{}-trim-end", id.0));
    let start_note_id = format!("{start_id}-note");
    let end_note_id = format!("{end_id}-note");
    let duration = move || match header.get() {
        Header::Ready(seconds) => Some(seconds),
        _ => None,
    };
    let start_note = move || {
        start_problem.get().or_else(|| {
            trim.with(|t| {
                t.as_ref()
                    .and_then(|t| t.outcome.as_ref().ok())
                    .and_then(|p| p.snap_note.clone())
            })
        })
    };
    let end_note = move || {
        end_problem
            .get()
            .or_else(|| trim.with(|t| t.as_ref().and_then(|t| t.outcome.clone().err())))
    };
    // The range on the timeline, as percentages of the video's length.
    // Set through the CSSOM (`style:`), which the page's CSP allows; a
    // `style` attribute it does not.
    let bar = move || {
        let (total, p) = (duration()?, planned()?);
        let at = |millis: u64| (millis as f64 / 10.0 / total).clamp(0.0, 100.0);
        let (from, to) = (at(p.start_millis), at(p.end_millis));
        Some((
            format!("{}%", fixed(from, 2)),
            format!("{}%", fixed((to - from).max(0.0), 2)),
        ))
    };
    let preview_src = move || {
        let (_, url) = video.get()?;
        let p: PlannedTrim = planned()?;
        Some(format!(
            "{url}#t={},{}",
            fixed(p.start_millis as f64 / 1000.0, 3),
            fixed(p.end_millis as f64 / 1000.0, 3)
        ))
    };
    // Keeps playback inside the range when the person seeks out of it.
    let keep_in_range = move |ev: leptos::ev::Event| {
        let Some(p) = planned() else { return };
        let player: HtmlVideoElement = event_target(&ev);
        let (from, to) = (p.start_millis as f64 / 1000.0, p.end_millis as f64 / 1000.0);
        let now = player.current_time();
        if now >= to {
            let _ = player.pause();
            player.set_current_time(from);
        } else if now + 0.05 < from {
            player.set_current_time(from);
        }
    };

    view! {
        <div class="trim" hidden=move || video.with(Option::is_none)>
            <button
                type="button"
                class="button button-small trim-toggle"
                aria-expanded=move || open.get().to_string()
                aria-controls=panel_id.clone()
                on:click=toggle
            >
                "Trim"
            </button>
            <div id=panel_id class="trim-panel" hidden=move || !open.get()>
                <p class="trim-status" role="status">
                    {move || match header.get() {
                        Header::Reading => "Reading the video\u{2019}s header\u{2026}".to_string(),
                        Header::Refused(why) => format!(
                            "Cannot trim: {why} It can still be sent whole, up to 100 MB."
                        ),
                        _ => String::new(),
                    }}
                </p>
                <div class="trim-fields" hidden=move || duration().is_none()>
                    <div class="trim-timeline" aria-hidden="true">
                        <span
                            class="trim-range"
                            hidden=move || bar().is_none()
                            style:left=move || bar().map(|b| b.0).unwrap_or_default()
                            style:width=move || bar().map(|b| b.1).unwrap_or_default()
                        ></span>
                    </div>
                    <SecondsField
                        label="Start"
                        id=start_id.clone()
                        note_id=start_note_id.clone()
                        max=Signal::derive(duration)
                        invalid=Signal::derive(move || start_problem.with(Option::is_some))
                        tenths=Signal::derive(move || trim.with(|t| t.as_ref().map(|t| t.range.start_tenths)))
                        on_change=Callback::new(move |text| on_field(text, true))
                    />
                    <SecondsField
                        label="End"
                        id=end_id.clone()
                        note_id=end_note_id.clone()
                        max=Signal::derive(duration)
                        invalid=Signal::derive(move || end_note().is_some())
                        tenths=Signal::derive(move || trim.with(|t| t.as_ref().map(|t| t.range.end_tenths)))
                        on_change=Callback::new(move |text| on_field(text, false))
                    />
                    <p id=start_note_id class="field-message trim-note"
                        class:is-error=move || start_problem.with(Option::is_some)>
                        {start_note}
                    </p>
                    <p id=end_note_id class="field-message trim-note is-error">{end_note}</p>
                    <video
                        class="trim-preview"
                        src=preview_src
                        controls=true
                        muted=true
                        playsinline=true
                        preload="metadata"
                        aria-label="Preview of the trimmed range"
                        on:timeupdate=keep_in_range
                        on:seeked=keep_in_range
                    ></video>
                </div>
            </div>
        </div>
    }
}

/// "Start" or "End": seconds in 0.1 s steps, up to the video's length.
#[component]
fn SecondsField(
    label: &'static str,
    id: String,
    note_id: String,
    /// The video's length in seconds, once its header is read.
    max: Signal<Option<f64>>,
    invalid: Signal<bool>,
    /// The field's value in tenths of a second, when a range is set.
    tenths: Signal<Option<u32>>,
    on_change: Callback<String>,
) -> impl IntoView {
    let for_id = id.clone();
    view! {
        <label class="trim-field" for=for_id>
            <span class="field-label">{label}</span>
            <input
                id=id
                class="input input-number"
                type="number"
                inputmode="decimal"
                min="0"
                step="0.1"
                max=move || max.get().map(|d| fixed(d, 1))
                aria-describedby=note_id
                aria-invalid=move || invalid.get().to_string()
                prop:value=move || tenths.get().map(|t| tenths_text(u64::from(t))).unwrap_or_default()
                on:change:target=move |ev| on_change.run(ev.target().value())
            />
            <span class="unit" aria-hidden="true">"s"</span>
        </label>
    }
}
