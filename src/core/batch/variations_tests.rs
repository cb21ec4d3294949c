use super::*;
use crate::core::model::issues::Severity;

fn form_with_seed(seed: &str) -> FormState {
    FormState {
        prompt: "Image 1 walks".into(),
        seed_text: seed.into(),
        ..FormState::default()
    }
}

fn message(issues: &Issues<VariationsField>, field: VariationsField) -> String {
    issues
        .for_field(field)
        .map(|i| i.message.clone())
        .unwrap_or_else(|| panic!("no issue for {field:?} in {issues:?}"))
}

fn ratios(values: &[AspectRatio]) -> Ticked<AspectRatio> {
    Ticked {
        on: true,
        values: values.to_vec(),
    }
}

#[test]
fn the_default_is_one_ordinary_run() {
    let v = Variations::default();
    assert_eq!(v.run_count(), 1);
    assert!(!v.is_batch());
    assert_eq!(v.validate(&form_with_seed("")).issues, vec![]);
}

#[test]
fn runs_are_seeds_times_each_ticked_setting() {
    let v = Variations {
        seed_count: 2,
        aspect_ratio: ratios(&[
            AspectRatio::Square1x1,
            AspectRatio::Landscape16x9,
            AspectRatio::Portrait9x16,
            AspectRatio::Square1x1,
        ]),
        ..Variations::default()
    };
    assert_eq!(v.run_count(), 6, "a value ticked twice counts once");
    assert!(v.is_batch());
    assert_eq!(
        v.aspect_ratio.in_order(&AspectRatio::ALL),
        vec![
            AspectRatio::Landscape16x9,
            AspectRatio::Portrait9x16,
            AspectRatio::Square1x1
        ],
        "the model's order, not the ticking order"
    );
    assert!(v.validate(&form_with_seed("")).is_sendable());
}

#[test]
fn more_than_sixteen_runs_are_refused_with_the_count() {
    let v = Variations {
        seed_count: 6,
        aspect_ratio: ratios(&[AspectRatio::Landscape16x9, AspectRatio::Portrait9x16]),
        multi_shot: Ticked {
            on: true,
            values: vec![true, false],
        },
        ..Variations::default()
    };
    assert_eq!(v.run_count(), 24);
    let issues = v.validate(&form_with_seed(""));
    assert!(!issues.is_sendable());
    assert_eq!(
        message(&issues, VariationsField::Runs),
        "This batch would make 24 runs; the most is 16."
    );
    let sixteen = Variations {
        seed_count: 8,
        ..v.clone()
    };
    let sixteen = Variations {
        multi_shot: Ticked::default(),
        ..sixteen
    };
    assert_eq!(sixteen.run_count(), 16);
    assert!(sixteen.validate(&form_with_seed("")).is_sendable());
}

#[test]
fn seed_count_outside_one_to_eight_is_refused() {
    for count in [0, 9, 400] {
        let v = Variations {
            seed_count: count,
            ..Variations::default()
        };
        assert_eq!(
            message(&v.validate(&form_with_seed("")), VariationsField::Seeds),
            format!("Choose from 1 to 8 seeds ({count} is not possible).")
        );
    }
}

#[test]
fn counting_up_needs_a_seed_and_random_says_it_ignores_one() {
    let counting = Variations {
        seed_count: 3,
        seed_mode: SeedMode::CountUp,
        ..Variations::default()
    };
    let issues = counting.validate(&form_with_seed(""));
    assert!(!issues.is_sendable());
    assert!(message(&issues, VariationsField::Seeds).starts_with("Counting up starts from"));
    assert_eq!(counting.validate(&form_with_seed("41")).issues, vec![]);

    let random = Variations {
        seed_mode: SeedMode::Random,
        ..counting
    };
    let issues = random.validate(&form_with_seed("41"));
    assert!(issues.is_sendable());
    assert_eq!(
        issues.for_field(VariationsField::Seeds).unwrap().severity,
        Severity::Warning
    );
    assert!(message(&issues, VariationsField::Seeds).contains("(41)"));
}

#[test]
fn a_third_setting_is_refused_on_the_vary_list() {
    let v = Variations {
        aspect_ratio: ratios(&[AspectRatio::Landscape16x9, AspectRatio::Square1x1]),
        resolution: Ticked {
            on: true,
            values: Resolution::ALL.to_vec(),
        },
        duration: Ticked {
            on: true,
            values: vec![
                DurationSeconds::new(2).unwrap(),
                DurationSeconds::new(4).unwrap(),
            ],
        },
        ..Variations::default()
    };
    let issues = v.validate(&form_with_seed(""));
    assert_eq!(
        message(&issues, VariationsField::Vary),
        "Vary at most 2 settings at once; 3 are ticked (Aspect ratio, Resolution, Duration). \
         Untick one."
    );
    let mut two = v.clone();
    two.duration.on = false;
    assert!(two.validate(&form_with_seed("")).is_sendable());
    assert_eq!(two.duration.values.len(), 2, "unticking keeps the values");
}

#[test]
fn a_setting_with_nothing_ticked_is_refused_and_one_value_warned() {
    let mut v = Variations {
        resolution: Ticked {
            on: true,
            values: vec![],
        },
        ..Variations::default()
    };
    let issues = v.validate(&form_with_seed(""));
    assert_eq!(
        message(&issues, VariationsField::Axis(Axis::Resolution)),
        "Tick at least one resolution to vary, or untick Resolution."
    );
    v.resolution.values = vec![Resolution::P720];
    let issues = v.validate(&form_with_seed(""));
    assert!(issues.is_sendable());
    assert!(message(&issues, VariationsField::Axis(Axis::Resolution)).starts_with("Only one"));
}

#[test]
fn prompt_variants_are_lines_without_blanks_each_within_fal_limit() {
    let mut v = Variations {
        prompt_variants: PromptVariants {
            on: true,
            text: "Image 1 walks\n\n   \r\n  Image 1 runs, Video 1 behind  \n".into(),
        },
        ..Variations::default()
    };
    assert_eq!(
        v.prompt_variants.prompts(),
        vec!["Image 1 walks", "Image 1 runs, Video 1 behind"]
    );
    assert_eq!(v.run_count(), 2);
    assert_eq!(v.validate(&form_with_seed("")).issues, vec![]);

    v.prompt_variants.text = format!("short\n{}", "é".repeat(5_012));
    assert_eq!(
        message(
            &v.validate(&form_with_seed("")),
            VariationsField::Axis(Axis::PromptVariants)
        ),
        "Prompt 2 is 5012 characters; fal accepts at most 5000. Remove 12."
    );
    v.prompt_variants.text = "\n \n".into();
    assert!(message(
        &v.validate(&form_with_seed("")),
        VariationsField::Axis(Axis::PromptVariants)
    )
    .starts_with("Write at least one prompt"));
}

#[test]
fn fields_the_batch_replaces_do_not_block_the_form() {
    let mut form = form_with_seed("");
    form.prompt.clear();
    form.type_duration("12");
    let mut v = Variations::default();
    let only = |v: &Variations| {
        form_issues_for_batch(form.validate(), v)
            .errors()
            .map(|i| i.field)
            .collect::<Vec<_>>()
    };
    assert_eq!(only(&v), vec![FormField::Prompt, FormField::Duration]);
    v.prompt_variants = PromptVariants {
        on: true,
        text: "a\nb".into(),
    };
    assert_eq!(only(&v), vec![FormField::Duration]);
    v.duration = Ticked {
        on: true,
        values: vec![DurationSeconds::new(3).unwrap()],
    };
    assert_eq!(only(&v), vec![]);
}

#[test]
fn the_runs_line_counts_the_runs_and_says_when_a_varied_setting_has_no_value() {
    let mut v = Variations::default();
    assert_eq!(v.runs_line(), "Generate makes 1 run.");
    v.seed_count = 3;
    assert_eq!(v.runs_line(), "Generate makes 3 runs.");
    v.aspect_ratio = ratios(&[]);
    assert_eq!(v.run_count(), 0);
    assert_eq!(
        v.runs_line(),
        "No runs until every setting you vary has a value."
    );
    v.aspect_ratio = ratios(&[AspectRatio::Landscape16x9, AspectRatio::Square1x1]);
    assert_eq!(v.runs_line(), "Generate makes 6 runs.");
}
