//! The finished video and what can be done with it.

use leptos::{html, prelude::*, task::spawn_local};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::HtmlVideoElement;

use super::JobActions;
use crate::core::job::result_info::{
    download_file_name, off_schema_note, playable_url, rewritten_prompt, video_facts,
};
use crate::core::media::playback::{PlaybackFailure, H264_MP4};
use crate::core::model::schema::{R2vInput, R2vOutput};
use crate::ui::common::EditAndRerun;
use crate::web::{copy_text::copy_text, download::download, early_player};

/// The player, its facts, and Download / Copy link / Reuse seed / Edit and rerun.
#[component]
pub fn ResultView(
    output: R2vOutput,
    /// What was sent, for the facts fal leaves out and for rerunning.
    input: R2vInput,
    /// For the download's file name.
    request_id: String,
    actions: JobActions,
) -> impl IntoView {
    let (w, h) = match (output.video.width, output.video.height) {
        (Some(w), Some(h)) if w > 0 && h > 0 => (w, h),
        _ => input.aspect_ratio.proportions(),
    };
    let excerpt: String = input.prompt.chars().take(80).collect();
    let label = format!("Generated video: {excerpt}");
    let facts = video_facts(&output, &input);
    let rewritten = rewritten_prompt(&output, &input).map(str::to_owned);
    let file_name = download_file_name(&output, &request_id);
    let seed = output.seed;
    let schema_note = off_schema_note(&output);
    let copied = RwSignal::new(None::<bool>);
    let failure = RwSignal::new(None::<PlaybackFailure>);

    let player = match playable_url(&output).map(str::to_owned) {
        Some(url) => {
            let (copy_url, save_url) = (url.clone(), url.clone());
            let copy = move |_| {
                let url = copy_url.clone();
                spawn_local(async move {
                    let ok = copy_text(&url).await.is_ok();
                    copied.try_set(Some(ok));
                });
            };
            let save = move |_| {
                let (url, name) = (save_url.clone(), file_name.clone());
                spawn_local(async move { download(&url, &name).await });
            };
            // The player itself was started when fal's answer arrived
            // (web::early_player), so it is already loading: adopt it.
            let slot = NodeRef::<html::Div>::new();
            Effect::new(move |_| {
                let Some(slot) = slot.get() else { return };
                if slot.first_element_child().is_some() {
                    return;
                }
                if let Some(video) = early_player::take(&url) {
                    video.set_class_name("result-video");
                    let _ = video.set_attribute("aria-label", &label);
                    // Through the CSSOM: a `style` attribute would be an
                    // inline style, which the Content-Security-Policy refuses.
                    let _ = web_sys::HtmlElement::style(&video)
                        .set_property("aspect-ratio", &format!("{w} / {h}"));
                    let _ = slot.append_child(&video);
                    watch_for_failure(&video, failure);
                }
            });
            view! {
                <div class="result-player" node_ref=slot hidden=move || failure.with(Option::is_some)></div>
                <p class="result-unplayable" role="status">{move || failure.get().map(PlaybackFailure::message)}</p>
                <div class="result-actions">
                    <button type="button" class="button button-primary" on:click=save>"Download"</button>
                    <button type="button" class="button button-secondary" on:click=copy>"Copy link"</button>
                    <span class="copy-status" role="status">
                        {move || match copied.get() {
                            Some(true) => "Link copied",
                            Some(false) => "Copying was blocked: use the player's menu instead",
                            None => "",
                        }}
                    </span>
                </div>
            }
            .into_any()
        }
        None => view! {
            <p class="job-trouble" role="alert">
                "fal returned a video address that is not a web link, so it is not played here for your safety."
            </p>
        }
        .into_any(),
    };
    let rerun_input = input.clone();

    view! {
        <div class="result">
            <p class="result-title">"Video ready"</p>
            {schema_note.map(|note| view! { <p class="job-note result-off-schema" role="status">{note}</p> })}
            {player}
            <dl class="result-facts">
                {facts.into_iter().map(|(name, value)| view! {
                    <div class="result-fact"><dt>{name}</dt><dd>{value}</dd></div>
                }).collect_view()}
            </dl>
            {rewritten.map(|prompt| view! {
                <div class="result-rewritten">
                    <p class="field-hint">"fal rewrote your prompt as:"</p>
                    <blockquote>{prompt}</blockquote>
                </div>
            })}
            <div class="result-actions">
                {seed.map(|seed| view! {
                    <button type="button" class="button button-secondary" on:click=move |_| actions.reuse_seed.run(seed)>
                        "Reuse seed"
                    </button>
                })}
                <EditAndRerun input=rerun_input rerun=actions.edit_and_rerun/>
            </div>
        </div>
    }
}

/// Sets `failure` when the player gives up on its video: at once if it
/// already has (the early player may have failed before this view took it),
/// or on its `error` event.
fn watch_for_failure(video: &HtmlVideoElement, failure: RwSignal<Option<PlaybackFailure>>) {
    let read = |video: &HtmlVideoElement| {
        video.error().and_then(|error| {
            PlaybackFailure::from_media_error(error.code(), &video.can_play_type(H264_MP4))
        })
    };
    if let Some(now) = read(video) {
        failure.set(Some(now));
        return;
    }
    // Called at most once. It holds no reference to the player (the event
    // brings it), so an element that never fails is not kept alive by it.
    let on_error = Closure::once_into_js(move |event: web_sys::Event| {
        if let Some(video) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlVideoElement>().ok())
        {
            let _ = failure.try_set(read(&video));
        }
    });
    video.set_onerror(Some(on_error.unchecked_ref()));
}
