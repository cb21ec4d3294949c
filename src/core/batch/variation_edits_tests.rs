//! Tests for [`super`]: each control of the "Variations" group changes
//! what the person sees it change, and the run count and checks follow.

use crate::core::batch::variations::{Axis, SeedMode, Variations, VariationsField};
use crate::core::form::state::FormState;
use crate::core::model::schema::{AspectRatio, DurationSeconds, Resolution};

#[test]
fn the_boxes_are_labelled_in_the_models_order() {
    assert_eq!(
        Axis::AspectRatio.value_labels(),
        ["16:9", "9:16", "1:1", "4:3", "3:4"]
    );
    assert_eq!(Axis::Resolution.value_labels(), ["720p", "1080p"]);
    let durations = Axis::Duration.value_labels();
    assert_eq!(durations.first().map(String::as_str), Some("2 s"));
    assert_eq!(durations.last().map(String::as_str), Some("10 s"));
    assert_eq!(Axis::MultiShot.value_labels(), ["Off", "On"]);
    assert!(Axis::PromptVariants.value_labels().is_empty());
}

#[test]
fn ticking_a_value_sweeps_it_once_and_unticking_removes_it() {
    let mut v = Variations::default();
    v.set_axis_on(Axis::AspectRatio, true);
    v.tick_value(Axis::AspectRatio, 1, true);
    v.tick_value(Axis::AspectRatio, 0, true);
    v.tick_value(Axis::AspectRatio, 1, true);
    assert_eq!(
        v.aspect_ratio.in_order(&AspectRatio::ALL),
        [AspectRatio::Landscape16x9, AspectRatio::Portrait9x16],
        "ticked twice is still one value"
    );
    assert!(v.is_value_ticked(Axis::AspectRatio, 0));
    assert!(v.is_value_ticked(Axis::AspectRatio, 1));
    assert!(!v.is_value_ticked(Axis::AspectRatio, 2));
    assert_eq!(v.run_count(), 2);
    v.tick_value(Axis::AspectRatio, 0, false);
    assert!(!v.is_value_ticked(Axis::AspectRatio, 0));
    assert_eq!(v.run_count(), 1);
    // Past the last box, and "Prompt variants" (text, no boxes): nothing.
    let before = v.clone();
    v.tick_value(Axis::AspectRatio, 5, true);
    v.tick_value(Axis::PromptVariants, 0, true);
    assert_eq!(v, before);
    assert!(!v.is_value_ticked(Axis::AspectRatio, 5));
}

#[test]
fn each_setting_ticks_its_own_values() {
    let mut v = Variations::default();
    v.tick_value(Axis::Resolution, 1, true);
    v.tick_value(Axis::Duration, 3, true);
    v.tick_value(Axis::MultiShot, 1, true);
    assert_eq!(v.resolution.values, [Resolution::P1080]);
    assert_eq!(v.duration.values, [DurationSeconds::new(5).unwrap()]);
    assert_eq!(v.multi_shot.values, [true]);
    assert!(v.aspect_ratio.values.is_empty());
    assert!(v.is_value_ticked(Axis::Duration, 3));
    assert!(!v.is_value_ticked(Axis::Duration, 2));
}

#[test]
fn unticking_a_setting_keeps_its_values_for_next_time() {
    let mut v = Variations::default();
    v.set_axis_on(Axis::Resolution, true);
    v.tick_value(Axis::Resolution, 0, true);
    v.tick_value(Axis::Resolution, 1, true);
    assert_eq!(v.axes_on(), [Axis::Resolution]);
    assert_eq!(v.run_count(), 2);
    v.set_axis_on(Axis::Resolution, false);
    assert!(!v.is_batch());
    assert_eq!(v.run_count(), 1);
    v.set_axis_on(Axis::Resolution, true);
    assert_eq!(v.run_count(), 2, "the ticked values came back");
    for axis in Axis::ALL {
        v.set_axis_on(axis, true);
        assert!(v.is_on(axis), "{axis:?}");
    }
}

#[test]
fn the_seeds_count_is_read_as_typed_and_refused_at_the_field_when_not_a_count() {
    let form = FormState::default();
    let mut v = Variations::default();
    v.set_seed_count_text(" 3 ");
    assert_eq!(v.seed_count, 3);
    assert_eq!(v.run_count(), 3);
    assert!(v
        .validate(&form)
        .for_field(VariationsField::Seeds)
        .is_none());
    for typed in ["", "two", "-1", "2.5"] {
        v.set_seed_count_text(typed);
        assert_eq!(v.seed_count, 0, "{typed:?}");
        let issues = v.validate(&form);
        let issue = issues.for_field(VariationsField::Seeds).unwrap();
        assert_eq!(
            issue.message,
            "Choose from 1 to 8 seeds (0 is not possible)."
        );
    }
    v.set_seed_count_text("9");
    assert!(v
        .validate(&form)
        .for_field(VariationsField::Seeds)
        .is_some());
}

#[test]
fn the_seed_mode_is_what_was_chosen() {
    let mut v = Variations::default();
    assert_eq!(v.seed_mode, SeedMode::Random);
    v.set_seed_mode(SeedMode::CountUp);
    assert_eq!(v.seed_mode, SeedMode::CountUp);
    v.set_seed_mode(SeedMode::Random);
    assert_eq!(v.seed_mode, SeedMode::Random);
}

#[test]
fn prompt_variants_text_is_kept_as_typed_and_each_line_is_a_run() {
    let mut v = Variations::default();
    v.set_axis_on(Axis::PromptVariants, true);
    v.set_prompt_variants_text("@Image1 surfs\n\n  @Image1 skis  \n".into());
    assert_eq!(
        v.prompt_variants.text,
        "@Image1 surfs\n\n  @Image1 skis  \n"
    );
    assert_eq!(
        v.prompt_variants.prompts(),
        ["@Image1 surfs", "@Image1 skis"]
    );
    assert_eq!(v.run_count(), 2);
    v.set_seed_count_text("2");
    assert_eq!(v.run_count(), 4);
    v.set_prompt_variants_text(String::new());
    assert_eq!(v.run_count(), 0);
    assert!(v
        .validate(&FormState::default())
        .for_field(VariationsField::Axis(Axis::PromptVariants))
        .is_some());
}
