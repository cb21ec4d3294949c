//! The "Variations" group of the form: how many seeds, and which settings
//! to sweep over which ticked values. Held as typed, including what is not
//! valid yet (a ninth seed, a third setting, an empty list), so each
//! problem is reported next to its control instead of silently dropped.
//!
//! Each swept setting keeps its ticked values while it is unticked, so
//! unticking and ticking again does not lose the person's choice.

use crate::core::form::state::FormState;
use crate::core::form::validation::FormField;
use crate::core::model::issues::{Issue, Issues};
use crate::core::model::schema::{AspectRatio, DurationSeconds, Resolution, PROMPT_MAX_CHARS};
use crate::core::model::validation::{char_count, parse_seed};

/// Most seeds per setting: eight is already a screenful to compare.
pub const SEEDS_MAX: u32 = 8;
/// Most runs in one batch: the grid, the submit pacing and the status
/// streams are sized for it, and it caps what one click can spend.
pub const RUNS_MAX: usize = 16;
/// Most settings swept at once: a third makes a grid nobody can read.
pub const AXES_MAX: usize = 2;

/// How the seeds of a batch are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeedMode {
    /// A fresh random seed per seed slot (drawn by the web layer).
    #[default]
    Random,
    /// The Seed field's value, then the next ones: reproducible.
    CountUp,
}

/// A setting that can be swept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Axis {
    AspectRatio,
    Resolution,
    Duration,
    MultiShot,
    PromptVariants,
}

impl Axis {
    /// Every axis, in the order the form shows them and runs are captioned.
    pub const ALL: [Axis; 5] = [
        Axis::AspectRatio,
        Axis::Resolution,
        Axis::Duration,
        Axis::MultiShot,
        Axis::PromptVariants,
    ];

    /// The control's name in the "Vary" list.
    pub fn name(self) -> &'static str {
        match self {
            Axis::AspectRatio => "Aspect ratio",
            Axis::Resolution => "Resolution",
            Axis::Duration => "Duration",
            Axis::MultiShot => "Multi-shot",
            Axis::PromptVariants => "Prompt variants",
        }
    }

    /// The label of this axis's value in a run's caption.
    pub fn caption_label(self) -> &'static str {
        match self {
            Axis::PromptVariants => "Prompt",
            other => other.name(),
        }
    }
}

/// A swept setting: whether it is ticked, and the values ticked under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticked<T> {
    pub on: bool,
    pub values: Vec<T>,
}

impl<T> Default for Ticked<T> {
    fn default() -> Self {
        Self {
            on: false,
            values: Vec::new(),
        }
    }
}

impl<T: PartialEq + Copy> Ticked<T> {
    /// The ticked values in `order` (the model's order), each once, however
    /// they were ticked: the grid reads the same every time.
    pub fn in_order(&self, order: &[T]) -> Vec<T> {
        order
            .iter()
            .copied()
            .filter(|v| self.values.contains(v))
            .collect()
    }
}

/// "Prompt variants": one prompt per line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PromptVariants {
    pub on: bool,
    pub text: String,
}

impl PromptVariants {
    /// The prompts, one per non-blank line, trimmed: a trailing newline or
    /// a spacer line is not a run.
    pub fn prompts(&self) -> Vec<&str> {
        self.text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// Every duration fal offers, shortest first.
pub fn all_durations() -> Vec<DurationSeconds> {
    (DurationSeconds::MIN..=DurationSeconds::MAX)
        .filter_map(DurationSeconds::new)
        .collect()
}

/// Multi-shot's two values, off first.
pub const MULTI_SHOT_VALUES: [bool; 2] = [false, true];

/// The "Variations" group as the person set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variations {
    /// "Seeds": runs of the same settings with different seeds.
    pub seed_count: u32,
    pub seed_mode: SeedMode,
    pub aspect_ratio: Ticked<AspectRatio>,
    pub resolution: Ticked<Resolution>,
    pub duration: Ticked<DurationSeconds>,
    pub multi_shot: Ticked<bool>,
    pub prompt_variants: PromptVariants,
}

impl Default for Variations {
    /// One seed, nothing swept: an ordinary single run.
    fn default() -> Self {
        Self {
            seed_count: 1,
            seed_mode: SeedMode::default(),
            aspect_ratio: Ticked::default(),
            resolution: Ticked::default(),
            duration: Ticked::default(),
            multi_shot: Ticked::default(),
            prompt_variants: PromptVariants::default(),
        }
    }
}

/// The control a variations problem is shown next to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VariationsField {
    Seeds,
    /// The "Vary" list as a whole (too many settings ticked).
    Vary,
    /// One swept setting's values.
    Axis(Axis),
    /// The group's run count, where the total is shown.
    Runs,
}

impl Variations {
    /// Whether `axis` is ticked.
    pub fn is_on(&self, axis: Axis) -> bool {
        match axis {
            Axis::AspectRatio => self.aspect_ratio.on,
            Axis::Resolution => self.resolution.on,
            Axis::Duration => self.duration.on,
            Axis::MultiShot => self.multi_shot.on,
            Axis::PromptVariants => self.prompt_variants.on,
        }
    }

    /// The ticked settings, in [`Axis::ALL`] order.
    pub fn axes_on(&self) -> Vec<Axis> {
        Axis::ALL.into_iter().filter(|a| self.is_on(*a)).collect()
    }

    /// How many distinct values `axis` sweeps over.
    pub fn value_count(&self, axis: Axis) -> usize {
        match axis {
            Axis::AspectRatio => self.aspect_ratio.in_order(&AspectRatio::ALL).len(),
            Axis::Resolution => self.resolution.in_order(&Resolution::ALL).len(),
            Axis::Duration => self.duration.in_order(&all_durations()).len(),
            Axis::MultiShot => self.multi_shot.in_order(&MULTI_SHOT_VALUES).len(),
            Axis::PromptVariants => self.prompt_variants.prompts().len(),
        }
    }

    /// The number of runs this would make: seeds × each ticked setting's
    /// values (an empty setting counts as none; it is reported anyway).
    pub fn run_count(&self) -> usize {
        self.axes_on()
            .into_iter()
            .fold(self.seed_count.max(1) as usize, |n, axis| {
                n.saturating_mul(self.value_count(axis))
            })
    }

    /// True when Generate makes more than one run.
    pub fn is_batch(&self) -> bool {
        self.seed_count > 1 || !self.axes_on().is_empty()
    }

    /// The line under "Variations" when no refusal stands there: how many
    /// runs Generate makes. No count while a setting being varied has no
    /// value: "0 runs" read as if the batch were empty by choice, when one
    /// control just needs a value.
    pub fn runs_line(&self) -> String {
        match self.run_count() {
            0 => "No runs until every setting you vary has a value.".into(),
            runs if self.is_batch() => format!("Generate makes {runs} runs."),
            _ => "Generate makes 1 run.".into(),
        }
    }

    /// Every problem with the variations, given the form they apply to
    /// (its Seed field is where counting up starts).
    pub fn validate(&self, form: &FormState) -> Issues<VariationsField> {
        let mut issues = Vec::new();
        issues.extend(self.check_seeds(form));
        let axes = self.axes_on();
        if axes.len() > AXES_MAX {
            let names: Vec<&str> = axes.iter().map(|a| a.name()).collect();
            issues.push(Issue::error(
                VariationsField::Vary,
                format!(
                    "Vary at most {AXES_MAX} settings at once; {} are ticked ({}). Untick one.",
                    axes.len(),
                    names.join(", ")
                ),
            ));
        }
        for axis in axes {
            issues.extend(self.check_axis(axis));
        }
        let runs = self.run_count();
        if runs > RUNS_MAX {
            issues.push(Issue::error(
                VariationsField::Runs,
                format!("This batch would make {runs} runs; the most is {RUNS_MAX}."),
            ));
        }
        Issues { issues }
    }

    fn check_seeds(&self, form: &FormState) -> Option<Issue<VariationsField>> {
        let field = VariationsField::Seeds;
        if !(1..=SEEDS_MAX).contains(&self.seed_count) {
            return Some(Issue::error(
                field,
                format!(
                    "Choose from 1 to {SEEDS_MAX} seeds ({} is not possible).",
                    self.seed_count
                ),
            ));
        }
        if self.seed_count == 1 {
            return None;
        }
        let form_seed = parse_seed(&form.seed_text).ok().flatten();
        match (self.seed_mode, form_seed) {
            (SeedMode::CountUp, None) => Some(Issue::error(
                field,
                "Counting up starts from the Seed field, which is empty: enter a seed there, \
                 or choose random seeds.",
            )),
            (SeedMode::Random, Some(seed)) => Some(Issue::warning(
                field,
                format!(
                    "Random seeds do not use the Seed field ({seed}); choose counting up to \
                     start from it."
                ),
            )),
            _ => None,
        }
    }

    fn check_axis(&self, axis: Axis) -> Vec<Issue<VariationsField>> {
        let field = VariationsField::Axis(axis);
        let what = match axis {
            Axis::AspectRatio => "aspect ratio",
            Axis::Resolution => "resolution",
            Axis::Duration => "duration",
            Axis::MultiShot => "multi-shot setting (on or off)",
            // Lines of text, not ticked values: checked on their own terms.
            Axis::PromptVariants => return self.check_prompt_variants(),
        };
        match self.value_count(axis) {
            0 => vec![Issue::error(
                field,
                format!(
                    "Tick at least one {what} to vary, or untick {}.",
                    axis.name()
                ),
            )],
            1 => vec![Issue::warning(
                field,
                format!(
                    "Only one {what} is ticked, so every run uses it: tick another to compare."
                ),
            )],
            _ => Vec::new(),
        }
    }

    fn check_prompt_variants(&self) -> Vec<Issue<VariationsField>> {
        let field = VariationsField::Axis(Axis::PromptVariants);
        let prompts = self.prompt_variants.prompts();
        if prompts.is_empty() {
            return vec![Issue::error(
                field,
                "Write at least one prompt, one per line, or untick Prompt variants.",
            )];
        }
        let mut issues = Vec::new();
        for (number, prompt) in prompts.iter().enumerate().map(|(i, p)| (i + 1, p)) {
            let count = char_count(prompt);
            if count > PROMPT_MAX_CHARS {
                issues.push(Issue::error(
                    field,
                    format!(
                        "Prompt {number} is {count} characters; fal accepts at most \
                         {PROMPT_MAX_CHARS}. Remove {}.",
                        count - PROMPT_MAX_CHARS
                    ),
                ));
            }
        }
        if prompts.len() == 1 {
            issues.push(Issue::warning(
                field,
                "Only one prompt is written, so every run uses it: add another line to compare.",
            ));
        }
        issues
    }
}

/// The form's own problems for a batch: a field the batch replaces is not
/// sent, so its problems do not block (an empty Prompt with prompt
/// variants ticked, a half-typed Duration with durations swept).
pub fn form_issues_for_batch(
    issues: Issues<FormField>,
    variations: &Variations,
) -> Issues<FormField> {
    let replaced = |field: FormField| match field {
        FormField::Prompt => variations.prompt_variants.on,
        FormField::Duration => variations.duration.on,
        _ => false,
    };
    Issues {
        issues: issues
            .issues
            .into_iter()
            .filter(|i| !replaced(i.field))
            .collect(),
    }
}

#[cfg(test)]
#[path = "variations_tests.rs"]
mod tests;
