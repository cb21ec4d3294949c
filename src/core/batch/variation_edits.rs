//! What each control of the "Variations" group does to [`Variations`]:
//! the form's boxes and fields call these, so the edits are decided (and
//! tested) here, not in the page. A swept setting's values are addressed
//! by their place in [`Axis::value_labels`], the order the boxes show:
//! by index rather than by typed value, so one view serves every setting's
//! boxes (a generic view would be compiled once per setting into the wasm).

use crate::core::batch::variations::{
    all_durations, Axis, SeedMode, Ticked, Variations, MULTI_SHOT_VALUES,
};
use crate::core::model::schema::{AspectRatio, Resolution};

impl Axis {
    /// The values this setting can take, as its boxes label them, in the
    /// model's order ("Prompt variants" is a text box: none).
    pub fn value_labels(self) -> Vec<String> {
        match self {
            Axis::AspectRatio => AspectRatio::ALL.iter().map(|a| a.as_str().into()).collect(),
            Axis::Resolution => Resolution::ALL.iter().map(|r| r.as_str().into()).collect(),
            Axis::Duration => all_durations()
                .iter()
                .map(|d| format!("{} s", d.seconds()))
                .collect(),
            Axis::MultiShot => MULTI_SHOT_VALUES
                .iter()
                .map(|on| if *on { "On" } else { "Off" }.into())
                .collect(),
            Axis::PromptVariants => Vec::new(),
        }
    }
}

impl Variations {
    /// "Seeds" as typed: anything but a whole number is 0 runs of seeds,
    /// which [`Variations::validate`] refuses at the field with what was
    /// asked, rather than silently keeping the last count.
    pub fn set_seed_count_text(&mut self, text: &str) {
        self.seed_count = text.trim().parse::<u32>().unwrap_or(0);
    }

    /// "Random" or "Counting up from Seed".
    pub fn set_seed_mode(&mut self, mode: SeedMode) {
        self.seed_mode = mode;
    }

    /// Ticks or unticks `axis` in the "Vary" list. Its ticked values are
    /// kept while it is unticked, so ticking it again restores them.
    pub fn set_axis_on(&mut self, axis: Axis, on: bool) {
        match axis {
            Axis::AspectRatio => self.aspect_ratio.on = on,
            Axis::Resolution => self.resolution.on = on,
            Axis::Duration => self.duration.on = on,
            Axis::MultiShot => self.multi_shot.on = on,
            Axis::PromptVariants => self.prompt_variants.on = on,
        }
    }

    /// Whether the `index`th value of `axis` ([`Axis::value_labels`]
    /// order) is ticked.
    pub fn is_value_ticked(&self, axis: Axis, index: usize) -> bool {
        fn at<T: Copy + PartialEq>(ticked: &Ticked<T>, all: &[T], i: usize) -> bool {
            all.get(i)
                .is_some_and(|value| ticked.values.contains(value))
        }
        match axis {
            Axis::AspectRatio => at(&self.aspect_ratio, &AspectRatio::ALL, index),
            Axis::Resolution => at(&self.resolution, &Resolution::ALL, index),
            Axis::Duration => at(&self.duration, &all_durations(), index),
            Axis::MultiShot => at(&self.multi_shot, &MULTI_SHOT_VALUES, index),
            Axis::PromptVariants => false,
        }
    }

    /// Ticks or unticks the `index`th value of `axis`: each value is held
    /// once however often it is ticked, and an index past the values (or
    /// "Prompt variants", which has text instead) changes nothing.
    pub fn tick_value(&mut self, axis: Axis, index: usize, on: bool) {
        fn at<T: Copy + PartialEq>(ticked: &mut Ticked<T>, all: &[T], i: usize, on: bool) {
            if let Some(value) = all.get(i).copied() {
                ticked.values.retain(|x| *x != value);
                if on {
                    ticked.values.push(value);
                }
            }
        }
        match axis {
            Axis::AspectRatio => at(&mut self.aspect_ratio, &AspectRatio::ALL, index, on),
            Axis::Resolution => at(&mut self.resolution, &Resolution::ALL, index, on),
            Axis::Duration => at(&mut self.duration, &all_durations(), index, on),
            Axis::MultiShot => at(&mut self.multi_shot, &MULTI_SHOT_VALUES, index, on),
            Axis::PromptVariants => {}
        }
    }

    /// "Prompt variants" as typed, one prompt per line (blank lines are
    /// kept in the text and skipped as runs).
    pub fn set_prompt_variants_text(&mut self, text: String) {
        self.prompt_variants.text = text;
    }
}

#[cfg(test)]
#[path = "variation_edits_tests.rs"]
mod tests;
