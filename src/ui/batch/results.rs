//! "Batch results": every run of a batch side by side, each with its
//! status, its player and, as its caption, the values that vary. "Play
//! all" starts the players together from the start; "Cancel all" and each
//! run's "Cancel" stop runs; "Use these settings" loads one run into the
//! form; "Compare" opens the comparison with the batch's finished runs.
//! The players load their videos one at a time ([`PlayerTurns`]).

use leptos::{html, prelude::*};
use wasm_bindgen::JsCast;

use super::live_batch::{LiveBatch, RunSlot};
use crate::core::batch::player_turns::{PlayerTurns, TURN_LIMIT};
use crate::core::job::display::{batch_run_status, BATCH_RUN_NEVER_SENT, BATCH_RUN_SUBMIT_UNKNOWN};
use crate::core::job::record::JobRecord;
use crate::core::job::result_info::playable_url;
use crate::core::job::state::{Job, JobState};
use crate::ui::common::show_loaded_form;
use crate::ui::form::handle::use_form_handle;
use crate::ui::history::CompareOnDemand;
use crate::ui::job::running_job::RunningJob;
use crate::ui::on_demand::on_demand;

on_demand! {
    part = jobs;
    /// The grid, whose code comes with the jobs' own (a batch on the page
    /// is running or has run).
    pub async fn batch_results_view(batch: LiveBatch) -> AnyView {
        view! { <BatchResults batch/> }.into_any()
    }
}

/// The grid of a batch.
#[component]
pub fn BatchResults(batch: LiveBatch) -> impl IntoView {
    let grid = NodeRef::<html::Ul>::new();
    let comparing = RwSignal::new(false);
    let turns = RwSignal::new(PlayerTurns::default());
    let finished = Memo::new(move |_| finished_runs(batch));
    let running = move || batch.is_running();
    let progress = move || {
        let (done, total) = batch.progress();
        format!("{done} of {total} runs ended")
    };
    let play_all = move |_| {
        if let Some(grid) = grid.get() {
            play_in_step(&grid);
        }
    };
    let captions = batch.captions.get_value();
    let tiles = batch
        .runs
        .get_value()
        .into_iter()
        .zip(captions)
        .enumerate()
        .map(|(index, (slot, caption))| view! { <RunTile batch index place=slot caption turns/> })
        .collect_view();
    view! {
        <section class="batch" aria-labelledby="batch-title">
            <div class="batch-head">
                <h3 id="batch-title" class="batch-title">"Batch results"</h3>
                <p class="batch-progress">{progress}</p>
            </div>
            <div class="batch-actions">
                <button type="button" class="button button-secondary"
                    aria-disabled=move || finished.with(Vec::is_empty).then_some("true")
                    on:click=play_all>"Play all"</button>
                <button type="button" class="button button-secondary"
                    aria-disabled=move || (!running()).then_some("true")
                    on:click=move |_| batch.cancel_all()>"Cancel all"</button>
                <button type="button" class="button button-secondary"
                    aria-disabled=move || finished.with(|f| f.len() < 2).then_some("true")
                    aria-pressed=move || comparing.get().to_string()
                    on:click=move |_| {
                        if finished.with_untracked(|f| f.len() >= 2) {
                            comparing.update(|c| *c = !*c);
                        }
                    }>"Compare"</button>
            </div>
            {move || comparing.get().then(|| view! {
                <CompareOnDemand runs=finished.get_untracked()
                    on_close=Callback::new(move |()| comparing.set(false))/>
            })}
            <ul class="batch-grid" node_ref=grid>{tiles}</ul>
        </section>
    }
}

/// The records of the runs with a video, in grid order (tracked).
fn finished_runs(batch: LiveBatch) -> Vec<JobRecord> {
    batch
        .jobs()
        .into_iter()
        .filter(|running| {
            running
                .job
                .with(|j| matches!(j.state, JobState::Completed(_)))
        })
        .map(|running| running.record.get())
        .filter(|record| record.output.is_some())
        .collect()
}

/// Every player in the grid from its start, all started in the same task
/// so they run in step.
fn play_in_step(grid: &web_sys::HtmlUListElement) {
    let Ok(videos) = grid.query_selector_all("video") else {
        return;
    };
    let players: Vec<web_sys::HtmlVideoElement> = (0..videos.length())
        .filter_map(|i| videos.item(i))
        .filter_map(|node| node.dyn_into().ok())
        .collect();
    for video in &players {
        let _ = video.pause();
        video.set_current_time(0.0);
    }
    for video in &players {
        let _ = video.play();
    }
}

/// One run: caption, status, player, and what can be done with it.
#[component]
fn RunTile(
    batch: LiveBatch,
    index: usize,
    place: RunSlot,
    caption: String,
    turns: RwSignal<PlayerTurns>,
) -> impl IntoView {
    let caption_id = format!("batch-run-{index}-caption");
    let number = format!("Run {}", index + 1);
    let label = format!("{number}: {caption}");
    let body = match place {
        RunSlot::Job(running) => view! {
            <LiveRun batch index running label caption_id=caption_id.clone() turns/>
        }
        .into_any(),
        RunSlot::NeverSent => view! {
            <p class="batch-status">{BATCH_RUN_NEVER_SENT}</p>
        }
        .into_any(),
        RunSlot::Unknown => view! {
            <p class="batch-status">{BATCH_RUN_SUBMIT_UNKNOWN}</p>
        }
        .into_any(),
    };
    let tile_label = caption_id.clone();
    view! {
        <li class="batch-tile" aria-labelledby=tile_label>
            <p class="batch-caption" id=caption_id>
                <span class="batch-run-number">{number}</span>
                " "
                <span>{caption}</span>
            </p>
            {body}
        </li>
    }
}

/// A run this page has a job for.
#[component]
fn LiveRun(
    batch: LiveBatch,
    index: usize,
    running: RunningJob,
    label: String,
    caption_id: String,
    turns: RwSignal<PlayerTurns>,
) -> impl IntoView {
    let form = use_form_handle();
    let video = Memo::new(move |_| {
        running.job.with(|j| match &j.state {
            JobState::Completed(output) => playable_url(output).map(str::to_owned),
            _ => None,
        })
    });
    // Joins the queue once, when the run's video exists.
    Effect::new(move |_| {
        if video.with(Option::is_some) {
            turns.update(|t| t.ready(index));
        }
    });
    let end_turn = move || turns.update(|t| t.turn_ended(index));
    // A memo, so other players' turns do not redraw this one.
    let my_turn = Memo::new(move |_| turns.with(|t| t.may_load(index)));
    // Out of the layout until its first frame (or its failure): the
    // controls' loading spinner and state changes cost no style and layout
    // while eight players load.
    let shown = RwSignal::new(false);
    let loaded = move || {
        shown.set(true);
        end_turn();
    };
    // The browser's controls only once someone reaches for this player (a
    // pointer over it, focus, a press), and from then on: built for eight
    // players as they arrive, the controls' own elements (timeline, volume,
    // the loading spinner's animation) were most of the style and layout
    // work while a batch finished. "Play all" needs none.
    let reached = RwSignal::new(false);
    let reach = move || reached.set(true);
    let player = move || {
        let url = video.get()?;
        if !my_turn.get() {
            return None;
        }
        set_timeout(end_turn, TURN_LIMIT);
        Some(view! {
            <video class="batch-video" class:is-loading=move || !shown.get()
                src=url muted playsinline preload="auto" tabindex="0"
                controls=move || reached.get()
                aria-label=label.clone()
                on:pointerenter=move |_| reach()
                on:focus=move |_| reach()
                on:click=move |_| reach()
                on:loadeddata=move |_| loaded()
                on:error=move |_| loaded()></video>
        })
    };
    let status = move || running.job.with(batch_run_status);
    let can_cancel = move || running.job.with(Job::can_cancel);
    let use_settings = move |_| {
        let input = running.record.with_untracked(|r| r.input.clone());
        form.use_run_settings(&input);
        show_loaded_form(form);
    };
    // Holds the player's place, in the run's shape, until its first frame.
    let shape = running.record.with_untracked(|r| {
        format!(
            "batch-video-placeholder ratio-{}",
            r.input.aspect_ratio.as_str().replace(':', "x")
        )
    });
    let waiting = move || video.with(Option::is_some) && !shown.get();
    let describe = caption_id.clone();
    view! {
        <p class="batch-status" class:is-done=move || video.with(Option::is_some)>{status}</p>
        {move || waiting().then(|| view! {
            <div class=shape.clone() aria-hidden="true">"Loading the video…"</div>
        })}
        {player}
        <div class="batch-run-actions">
            <button type="button" class="button button-secondary button-small"
                hidden=move || !can_cancel()
                aria-describedby=caption_id
                on:click=move |_| batch.cancel(index)>"Cancel"</button>
            <button type="button" class="button button-secondary button-small"
                aria-describedby=describe
                on:click=use_settings>"Use these settings"</button>
        </div>
    }
}
