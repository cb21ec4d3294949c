//! Comparing runs: which inputs differ between them, and how to keep their
//! videos in step while they play side by side.

use crate::core::history::entry::prompt_excerpt;
use crate::core::job::record::JobRecord;

/// The fewest and most runs shown side by side.
pub const MIN_RUNS: usize = 2;
pub const MAX_RUNS: usize = 4;

/// How far (seconds) a video may drift from the first before it is moved
/// back in step. Smaller makes seeks visible as stutter; larger shows as
/// motion out of step.
pub const DRIFT_TOLERANCE_SECS: f64 = 0.15;

/// Reads one input's value from a run, as shown in the table.
type ValueOf = fn(&JobRecord) -> String;

/// One input that is not the same in every run: its name and each run's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub input: &'static str,
    pub values: Vec<String>,
}

/// The inputs that differ between `runs`, in the form's order. The seed is
/// the one fal used (from the result) when the run left it random, since
/// that is what decides the video.
pub fn differing_inputs(runs: &[&JobRecord]) -> Vec<Difference> {
    let rows: [(&'static str, ValueOf); 10] = [
        ("Prompt", |r| r.input.prompt.clone()),
        ("Negative prompt", |r| {
            r.input
                .negative_prompt
                .clone()
                .unwrap_or_else(|| "—".into())
        }),
        ("Reference images", |r| list(&r.input.reference_image_urls)),
        ("Reference videos", |r| list(&r.input.reference_video_urls)),
        ("Aspect ratio", |r| r.input.aspect_ratio.as_str().into()),
        ("Resolution", |r| r.input.resolution.as_str().into()),
        ("Duration", |r| format!("{} s", r.input.duration.seconds())),
        ("Multi-shot", |r| on_off(r.input.multi_shots)),
        ("Seed", seed),
        ("Safety checker", |r| on_off(r.input.enable_safety_checker)),
    ];
    rows.iter()
        .filter_map(|(input, value)| {
            let values: Vec<String> = runs.iter().map(|r| value(r)).collect();
            let differs = values.windows(2).any(|pair| pair[0] != pair[1]);
            differs.then_some(Difference { input, values })
        })
        .collect()
}

fn list(urls: &[String]) -> String {
    if urls.is_empty() {
        "none".into()
    } else {
        urls.join("\n")
    }
}

fn on_off(on: bool) -> String {
    if on { "on" } else { "off" }.into()
}

fn seed(record: &JobRecord) -> String {
    match (record.input.seed, &record.output) {
        (Some(seed), _) => seed.to_string(),
        (None, Some(output)) => match output.seed {
            Some(seed) => format!("{seed} (random)"),
            None => "random (not in fal's answer)".into(),
        },
        (None, None) => "random".into(),
    }
}

/// Where each other video should jump so it plays in step with the first
/// (`leader`, in seconds), or `None` to leave it. A video shorter than the
/// leader's position rests at its end; an unknown length is not clamped.
pub fn step_corrections(leader: f64, others: &[(f64, Option<f64>)]) -> Vec<Option<f64>> {
    others
        .iter()
        .map(|&(time, duration)| {
            let target = match duration {
                Some(d) if d.is_finite() && d > 0.0 => leader.min(d),
                _ => leader,
            };
            ((time - target).abs() > DRIFT_TOLERANCE_SECS).then_some(target)
        })
        .collect()
}

/// Where a video goes when the shared position is moved to `target`: no
/// further than its own end when its length is known.
pub fn seek_target(target: f64, duration: f64) -> f64 {
    if duration.is_finite() {
        target.min(duration)
    } else {
        target
    }
}

/// The shared position bar's length: the longest known video length, 0
/// while none is known.
pub fn longest_length(durations: impl IntoIterator<Item = f64>) -> f64 {
    durations
        .into_iter()
        .filter(|d| d.is_finite())
        .fold(0.0, f64::max)
}

/// "Run 2: A koala surfs…": a run's caption, which also names its video.
pub fn run_label(index: usize, run: &JobRecord) -> String {
    format!(
        "Run {}: {}",
        index + 1,
        prompt_excerpt(&run.input.prompt, 80)
    )
}

/// "Run 1" … "Run n": the table's column headings.
pub fn run_headings(runs: usize) -> Vec<String> {
    (1..=runs).map(|n| format!("Run {n}")).collect()
}

/// "0:04.2 / 0:05.0" style position text for the shared controls.
pub fn position_text(seconds: f64) -> String {
    let tenths = (seconds.max(0.0) * 10.0).round() as u64;
    format!("{}:{:02}.{}", tenths / 600, (tenths / 10) % 60, tenths % 10)
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
