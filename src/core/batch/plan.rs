//! A batch expanded into its runs: the cartesian product of the seeds and
//! the swept settings, each run a complete request of the same kind the
//! form builds for a single Generate, with its varying values as a caption.
//!
//! Order: seeds outermost, then the swept settings in [`Axis::ALL`] order,
//! the last varying fastest, so "2 seeds × 3 aspect ratios" reads as two
//! rows of three in the grid.
//!
//! Random seeds are drawn once per seed slot and shared across the swept
//! settings: comparing aspect ratios at the same seed shows what the aspect
//! ratio changes, not what the dice did.

use crate::core::batch::batch_id::{BatchId, BatchRun};
use crate::core::batch::variations::{
    all_durations, Axis, SeedMode, Variations, VariationsField, MULTI_SHOT_VALUES,
};
use crate::core::form::references::ReferenceId;
use crate::core::form::state::{FormRequest, FormState};
use crate::core::model::issues::Issues;
use crate::core::model::schema::{AspectRatio, DurationSeconds, Resolution, SEED_MAX};
use crate::core::model::validation::parse_seed;

/// Where random seeds come from: the web layer's random numbers, passed in
/// so that the core stays deterministic and tests can replay a batch.
pub trait SeedSource {
    /// 32 random bits.
    fn next_bits(&mut self) -> u32;
}

impl<F: FnMut() -> u32> SeedSource for F {
    fn next_bits(&mut self) -> u32 {
        self()
    }
}

/// One value a run takes on a varying setting.
#[derive(Debug, Clone, PartialEq)]
enum Choice {
    Seed(i64),
    AspectRatio(AspectRatio),
    Resolution(Resolution),
    Duration(DurationSeconds),
    MultiShot(bool),
    Prompt(String),
}

/// Longest prompt shown in a caption, in characters.
const CAPTION_PROMPT_CHARS: usize = 40;

impl Choice {
    fn apply(&self, request: &mut FormRequest) {
        let input = &mut request.input;
        match self {
            Choice::Seed(seed) => input.seed = Some(*seed),
            Choice::AspectRatio(v) => input.aspect_ratio = *v,
            Choice::Resolution(v) => input.resolution = *v,
            Choice::Duration(v) => input.duration = *v,
            Choice::MultiShot(v) => input.multi_shots = *v,
            Choice::Prompt(v) => input.prompt = v.clone(),
        }
    }

    /// (label, value) for the caption.
    fn caption(&self) -> (String, String) {
        let (label, value) = match self {
            Choice::Seed(seed) => ("Seed", seed.to_string()),
            Choice::AspectRatio(v) => (Axis::AspectRatio.caption_label(), v.as_str().into()),
            Choice::Resolution(v) => (Axis::Resolution.caption_label(), v.as_str().into()),
            Choice::Duration(v) => (Axis::Duration.caption_label(), format!("{} s", v.seconds())),
            Choice::MultiShot(v) => (
                Axis::MultiShot.caption_label(),
                if *v { "On" } else { "Off" }.into(),
            ),
            Choice::Prompt(v) => (Axis::PromptVariants.caption_label(), shorten(v)),
        };
        (label.to_string(), value)
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() > CAPTION_PROMPT_CHARS {
        let head: String = text.chars().take(CAPTION_PROMPT_CHARS - 1).collect();
        format!("“{}…”", head.trim_end())
    } else {
        format!("“{text}”")
    }
}

/// One run of the batch.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRun {
    /// 0-based position in the batch.
    pub index: usize,
    /// The values that vary, as (label, value), in the batch's axis order.
    pub varied: Vec<(String, String)>,
    /// The request to send: the form's, with this run's values in place.
    pub request: FormRequest,
}

impl PlannedRun {
    /// The caption under the run's player: "Seed 7 · 9:16".
    pub fn caption(&self) -> String {
        self.varied
            .iter()
            .map(|(label, value)| match label.as_str() {
                // A bare number or "On" would not say what it is.
                "Seed" | "Multi-shot" => format!("{label} {}", value.to_lowercase()),
                _ => value.clone(),
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The caption with each value named, for screen readers and tooltips:
    /// "Seed 7, Aspect ratio 9:16".
    pub fn spoken_caption(&self) -> String {
        self.varied
            .iter()
            .map(|(label, value)| format!("{label} {value}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Every run of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchPlan {
    pub runs: Vec<PlannedRun>,
}

impl BatchPlan {
    /// The runs of `variations` applied to `form`, or the problems that stop
    /// it (the same ones [`Variations::validate`] reports as errors).
    pub fn new(
        form: &FormState,
        variations: &Variations,
        seeds: &mut dyn SeedSource,
    ) -> Result<Self, Issues<VariationsField>> {
        let issues = variations.validate(form);
        if !issues.is_sendable() {
            return Err(issues);
        }
        let base = form.request();
        let mut dimensions: Vec<Vec<Choice>> = Vec::new();
        if variations.seed_count > 1 {
            let start = parse_seed(&form.seed_text).ok().flatten();
            dimensions.push(
                seed_values(variations.seed_mode, start, variations.seed_count, seeds)
                    .into_iter()
                    .map(Choice::Seed)
                    .collect(),
            );
        }
        for axis in variations.axes_on() {
            dimensions.push(axis_choices(variations, axis));
        }
        let mut runs = vec![PlannedRun {
            index: 0,
            varied: Vec::new(),
            request: base,
        }];
        for dimension in &dimensions {
            runs = runs
                .into_iter()
                .flat_map(|run| {
                    dimension.iter().map(move |choice| {
                        let mut next = run.clone();
                        choice.apply(&mut next.request);
                        next.varied.push(choice.caption());
                        next
                    })
                })
                .collect();
        }
        for (index, run) in runs.iter_mut().enumerate() {
            run.index = index;
        }
        Ok(Self { runs })
    }

    /// Puts an uploaded file's URL in every run: references upload once
    /// for the whole batch. False when no run was waiting for it.
    pub fn fill_upload(&mut self, reference: ReferenceId, url: &str) -> bool {
        let mut filled = false;
        for run in &mut self.runs {
            filled |= run.request.fill_upload(reference, url);
        }
        filled
    }

    /// True once every run's files have their URLs.
    pub fn is_ready(&self) -> bool {
        self.runs.iter().all(|r| r.request.is_ready())
    }

    /// Each run's reference for its history record and embed events.
    pub fn batch_runs(&self, id: &BatchId) -> Vec<BatchRun> {
        self.runs
            .iter()
            .map(|run| BatchRun {
                batch_id: id.clone(),
                index: run.index,
                total: self.runs.len(),
                caption: run.caption(),
            })
            .collect()
    }
}

/// The seeds of the seed slots. Random seeds are redrawn past a repeat
/// (counting on from it), so no two slots share a seed; counting up wraps
/// past the largest seed to 0.
fn seed_values(
    mode: SeedMode,
    start: Option<i64>,
    count: u32,
    source: &mut dyn SeedSource,
) -> Vec<i64> {
    let modulus = i64::from(SEED_MAX) + 1;
    let mut seeds: Vec<i64> = Vec::new();
    match (mode, start) {
        (SeedMode::CountUp, Some(start)) => {
            seeds.extend((0..i64::from(count)).map(|i| (start + i).rem_euclid(modulus)));
        }
        _ => {
            for _ in 0..count {
                let mut seed = i64::from(source.next_bits() & SEED_MAX);
                while seeds.contains(&seed) {
                    seed = (seed + 1).rem_euclid(modulus);
                }
                seeds.push(seed);
            }
        }
    }
    seeds
}

fn axis_choices(variations: &Variations, axis: Axis) -> Vec<Choice> {
    match axis {
        Axis::AspectRatio => variations
            .aspect_ratio
            .in_order(&AspectRatio::ALL)
            .into_iter()
            .map(Choice::AspectRatio)
            .collect(),
        Axis::Resolution => variations
            .resolution
            .in_order(&Resolution::ALL)
            .into_iter()
            .map(Choice::Resolution)
            .collect(),
        Axis::Duration => variations
            .duration
            .in_order(&all_durations())
            .into_iter()
            .map(Choice::Duration)
            .collect(),
        Axis::MultiShot => variations
            .multi_shot
            .in_order(&MULTI_SHOT_VALUES)
            .into_iter()
            .map(Choice::MultiShot)
            .collect(),
        Axis::PromptVariants => variations
            .prompt_variants
            .prompts()
            .into_iter()
            .map(|p| Choice::Prompt(p.to_string()))
            .collect(),
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
