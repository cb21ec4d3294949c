//! One set of playback controls for every run side by side: the first
//! video sets the pace, the others are moved back in step when they drift,
//! and play, pause and seek act on all of them.

use leptos::{html::Div, prelude::*};
use wasm_bindgen::JsCast;
use web_sys::HtmlVideoElement;

use crate::core::history::compare::{longest_length, position_text, seek_target, step_corrections};

/// The comparison's shared playback. `Copy`; provided by the comparison
/// to its tiles and controls.
#[derive(Clone, Copy)]
pub struct Playback {
    /// The element holding the videos, first (leading) video first.
    pub stage: NodeRef<Div>,
    /// Seconds into the leading video.
    pub position: RwSignal<f64>,
    /// The longest video's length, in seconds.
    pub length: RwSignal<f64>,
    pub playing: RwSignal<bool>,
}

impl Default for Playback {
    fn default() -> Self {
        Self {
            stage: NodeRef::new(),
            position: RwSignal::new(0.0),
            length: RwSignal::new(0.0),
            playing: RwSignal::new(false),
        }
    }
}

impl Playback {
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    fn videos(&self) -> Vec<HtmlVideoElement> {
        let Some(list) = self
            .stage
            .get_untracked()
            .and_then(|el| el.query_selector_all("video").ok())
        else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<HtmlVideoElement>().ok())
            .collect()
    }

    /// A tick of the leading video: moves the position and pulls the others
    /// back in step.
    pub fn lead_ticked(&self) {
        let all = self.videos();
        let Some((leader, others)) = all.split_first() else {
            return;
        };
        let time = leader.current_time();
        self.position.set(time);
        let states: Vec<(f64, Option<f64>)> = others
            .iter()
            .map(|v| (v.current_time(), Some(v.duration())))
            .collect();
        for (video, fix) in others.iter().zip(step_corrections(time, &states)) {
            if let Some(target) = fix {
                video.set_current_time(target);
            }
        }
    }

    /// A video learned its length.
    pub fn length_known(&self) {
        self.length
            .set(longest_length(self.videos().iter().map(|v| v.duration())));
    }

    /// "Play" while paused, "Pause" while playing.
    pub fn play_or_pause(&self) {
        if self.playing.get_untracked() {
            for video in self.videos() {
                let _ = video.pause();
            }
            self.playing.set(false);
            self.lead_ticked();
        } else {
            for video in self.videos() {
                let _ = video.play();
            }
            self.playing.set(true);
        }
    }

    /// Moves every video to `target` seconds (each no further than its end).
    pub fn seek(&self, target: f64) {
        if !target.is_finite() {
            return;
        }
        for video in self.videos() {
            video.set_current_time(seek_target(target, video.duration()));
        }
        self.position.set(target);
    }
}

/// Play/Pause, the shared position bar and the time.
#[component]
pub fn PlaybackControls() -> impl IntoView {
    let playback = Playback::expect();
    // The browser's own number, not the text: no float parser in the wasm.
    let seek = move |ev: leptos::ev::Event| {
        playback.seek(event_target::<web_sys::HtmlInputElement>(&ev).value_as_number());
    };
    view! {
        <div class="compare-controls" role="group" aria-label="Playback of all runs">
            <button type="button" class="button button-primary button-small compare-play"
                on:click=move |_| playback.play_or_pause()>
                {move || if playback.playing.get() { "Pause" } else { "Play" }}
            </button>
            <input type="range" class="compare-seek" aria-label="Position" min="0" step="0.1"
                prop:max=move || playback.length.get().max(0.1)
                prop:value=move || playback.position.get()
                on:input=seek/>
            <span class="compare-time" aria-live="off">
                {move || format!(
                    "{} / {}",
                    position_text(playback.position.get()),
                    position_text(playback.length.get())
                )}
            </span>
        </div>
    }
}
