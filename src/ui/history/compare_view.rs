//! Runs side by side: their videos under one set of controls
//! ([`Playback`]), and below, the inputs that differ.

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::{either::Either, prelude::*};

use super::compare_playback::{Playback, PlaybackControls};
use crate::core::history::compare::{differing_inputs, run_headings, run_label, Difference};
use crate::core::history::entry::video_url;
use crate::core::job::record::JobRecord;
use crate::ui::common::SmallButton;
use crate::ui::on_demand::{on_demand, on_demand_view};

/// Comparisons made so far on this page: the History panel's and a batch's
/// can be open together, and each title's id must name only its own.
static OPENED: AtomicUsize = AtomicUsize::new(0);

/// [`CompareView`] with its code loaded on demand: fetched the first time
/// a comparison opens (the History panel's, or a batch's "Compare").
#[component]
pub fn CompareOnDemand(
    /// The runs side by side, in order.
    runs: Vec<JobRecord>,
    /// "Close".
    on_close: Callback<()>,
) -> impl IntoView {
    let unavailable = move || {
        view! {
            <div class="compare" role="alert">
                <p class="job-trouble">
                    "The comparison did not load from the site (the connection failed). \
                     Close it and open it again to retry."
                </p>
                <SmallButton label="Close" on_press=on_close/>
            </div>
        }
        .into_any()
    };
    on_demand_view(compare_view(runs, on_close), unavailable)
}

on_demand! {
    part = compare;
    /// The comparison's code, behind its one door.
    async fn compare_view(runs: Vec<JobRecord>, on_close: Callback<()>) -> AnyView {
        view! { <CompareView runs on_close/> }.into_any()
    }
}

/// The comparison of `runs` (two to four finished jobs with a video).
#[component]
pub fn CompareView(
    /// The runs, in the order they were chosen.
    runs: Vec<JobRecord>,
    /// "Close comparison": whoever opened it closes it (the History
    /// panel, or a batch's results).
    on_close: Callback<()>,
) -> impl IntoView {
    let playback = Playback::default();
    provide_context(playback);
    let refs: Vec<&JobRecord> = runs.iter().collect();
    let differences = differing_inputs(&refs);
    let headings = run_headings(runs.len());
    let title = format!("Comparing {} runs", runs.len());
    let title_id = format!("compare-title-{}", OPENED.fetch_add(1, Ordering::Relaxed));
    let labelled_by = title_id.clone();
    let many = runs.len() > 2;
    let tiles = runs
        .into_iter()
        .enumerate()
        .map(|(index, run)| view! { <CompareTile index run/> })
        .collect_view();
    view! {
        <section class="compare" aria-labelledby=labelled_by>
            <div class="compare-head">
                <h3 id=title_id class="compare-title">{title}</h3>
                <SmallButton label="Close comparison"
                    on_press=on_close/>
            </div>
            <div class="compare-stage" class:compare-stage-many=many node_ref=playback.stage>{tiles}</div>
            <PlaybackControls/>
            <DifferingInputs differences headings/>
        </section>
    }
}

/// One run's video and caption; the first one leads the others.
#[component]
fn CompareTile(
    /// Where the run stands in the comparison, from 0.
    index: usize,
    run: JobRecord,
) -> impl IntoView {
    let playback = Playback::expect();
    let url = video_url(&run).unwrap_or_default().to_owned();
    let label = run_label(index, &run);
    let lead = index == 0;
    view! {
        <figure class="compare-tile">
            <video class="compare-video" src=url muted playsinline preload="auto"
                aria-label=label.clone()
                on:timeupdate=move |_| if lead { playback.lead_ticked() }
                on:seeked=move |_| if lead { playback.lead_ticked() }
                on:loadedmetadata=move |_| playback.length_known()
                on:ended=move |_| if lead { playback.playing.set(false) }></video>
            <figcaption>{label}</figcaption>
        </figure>
    }
}

/// The table of inputs that differ, or a line saying none do.
#[component]
fn DifferingInputs(
    differences: Vec<Difference>,
    /// "Run 1", "Run 2", …
    headings: Vec<String>,
) -> impl IntoView {
    if differences.is_empty() {
        return Either::Left(view! {
            <p class="field-hint">"These runs used the same inputs; only fal's random choices differ."</p>
        });
    }
    Either::Right(view! {
        <table class="compare-table">
            <caption>"Inputs that differ"</caption>
            <thead>
                <tr>
                    <th scope="col">"Input"</th>
                    {headings.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
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
}
