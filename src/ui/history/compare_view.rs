//! Runs side by side: one set of controls (play, pause, seek) drives every
//! video, the first one sets the pace and the others are moved back in
//! step when they drift; below, the inputs that differ.

use leptos::{either::Either, html::Div, prelude::*};
use wasm_bindgen::JsCast;
use web_sys::HtmlVideoElement;

use super::small_button::SmallButton;
use crate::core::history::compare::{differing_inputs, position_text, step_corrections};
use crate::core::history::entry::{prompt_excerpt, video_url};
use crate::core::job::record::JobRecord;

/// The comparison of `runs` (two to four finished jobs with a video).
#[component]
pub fn CompareView(
    /// The runs, in the order they were chosen.
    runs: Vec<JobRecord>,
    /// "Close comparison".
    on_close: Callback<()>,
) -> impl IntoView {
    let stage = NodeRef::<Div>::new();
    let position = RwSignal::new(0.0_f64);
    let length = RwSignal::new(0.0_f64);
    let playing = RwSignal::new(false);
    let videos = move || -> Vec<HtmlVideoElement> {
        stage
            .get()
            .map(|el| {
                let list = el.query_selector_all("video").ok();
                list.map_or_else(Vec::new, |list| {
                    (0..list.length())
                        .filter_map(|i| list.item(i))
                        .filter_map(|n| n.dyn_into::<HtmlVideoElement>().ok())
                        .collect()
                })
            })
            .unwrap_or_default()
    };
    // The first video leads: each of its ticks moves the position and pulls
    // the others back in step.
    let on_lead_tick = move || {
        let all = videos();
        let Some((leader, others)) = all.split_first() else {
            return;
        };
        let time = leader.current_time();
        position.set(time);
        let states: Vec<(f64, Option<f64>)> = others
            .iter()
            .map(|v| (v.current_time(), Some(v.duration())))
            .collect();
        for (video, fix) in others.iter().zip(step_corrections(time, &states)) {
            if let Some(target) = fix {
                video.set_current_time(target);
            }
        }
    };
    let on_metadata = move || {
        let longest = videos()
            .iter()
            .map(|v| v.duration())
            .filter(|d| d.is_finite())
            .fold(0.0, f64::max);
        length.set(longest);
    };
    // One button: "Play" while paused, "Pause" while playing.
    let play_or_pause = move |_| {
        if playing.get_untracked() {
            for video in videos() {
                let _ = video.pause();
            }
            playing.set(false);
            on_lead_tick();
        } else {
            for video in videos() {
                let _ = video.play();
            }
            playing.set(true);
        }
    };
    let seek = move |ev: leptos::ev::Event| {
        // The browser's own number, not the text: no float parser in the wasm.
        let target = event_target::<web_sys::HtmlInputElement>(&ev).value_as_number();
        if !target.is_finite() {
            return;
        }
        for video in videos() {
            let duration = video.duration();
            let clamped = if duration.is_finite() {
                target.min(duration)
            } else {
                target
            };
            video.set_current_time(clamped);
        }
        position.set(target);
    };
    let many = runs.len() > 2;
    let refs: Vec<&JobRecord> = runs.iter().collect();
    let differences = differing_inputs(&refs);
    let headers: Vec<String> = (1..=runs.len()).map(|n| format!("Run {n}")).collect();
    let tiles = runs
        .iter()
        .enumerate()
        .map(|(index, run)| {
            let url = video_url(run).unwrap_or_default().to_owned();
            let label = format!(
                "Run {}: {}",
                index + 1,
                prompt_excerpt(&run.input.prompt, 80)
            );
            let lead = index == 0;
            view! {
                <figure class="compare-tile">
                    <video class="compare-video" src=url muted playsinline preload="auto"
                        aria-label=label.clone()
                        on:timeupdate=move |_| if lead { on_lead_tick() }
                        on:seeked=move |_| if lead { on_lead_tick() }
                        on:loadedmetadata=move |_| on_metadata()
                        on:ended=move |_| if lead { playing.set(false) }></video>
                    <figcaption>{label}</figcaption>
                </figure>
            }
        })
        .collect_view();

    view! {
        <section class="compare" aria-labelledby="compare-title">
            <div class="compare-head">
                <h3 id="compare-title" class="compare-title">{format!("Comparing {} runs", runs.len())}</h3>
                <SmallButton label="Close comparison" on_press=on_close/>
            </div>
            <div class="compare-stage" class:compare-stage-many=many node_ref=stage>{tiles}</div>
            <div class="compare-controls" role="group" aria-label="Playback of all runs">
                <button type="button" class="button button-primary button-small compare-play" on:click=play_or_pause>
                    {move || if playing.get() { "Pause" } else { "Play" }}
                </button>
                <input type="range" class="compare-seek" aria-label="Position" min="0" step="0.1"
                    prop:max=move || length.get().max(0.1)
                    prop:value=move || position.get()
                    on:input=seek/>
                <span class="compare-time" aria-live="off">
                    {move || format!("{} / {}", position_text(position.get()), position_text(length.get()))}
                </span>
            </div>
            {if differences.is_empty() {
                Either::Left(view! { <p class="field-hint">"These runs used the same inputs; only fal's random choices differ."</p> })
            } else {
                Either::Right(view! {
                    <table class="compare-table">
                        <caption>"Inputs that differ"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Input"</th>
                                {headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {differences.into_iter().map(|d| view! {
                                <tr>
                                    <th scope="row">{d.input}</th>
                                    {d.values.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })
            }}
        </section>
    }
}
