//! Property tests for what a batch reads from outside (share links, stored
//! or embedded run references) and for the plan's promises whatever the
//! settings: no panic, bounded results, and what is accepted keeps its
//! checks.

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::core::batch::batch_id::{BatchRun, CAPTION_MAX_CHARS};
use crate::core::batch::plan::BatchPlan;
use crate::core::batch::share::{read_variations_query, variations_query};
use crate::core::batch::variations::{
    all_durations, PromptVariants, SeedMode, Ticked, Variations, MULTI_SHOT_VALUES, RUNS_MAX,
    SEEDS_MAX,
};
use crate::core::batch::wire::{variations_from_json, VariationsWire};
use crate::core::form::state::FormState;
use crate::core::model::schema::{AspectRatio, Resolution, PROMPT_MAX_CHARS, SEED_MAX};

fn subset<T: Copy + std::fmt::Debug + 'static>(all: Vec<T>) -> impl Strategy<Value = Ticked<T>> {
    let n = all.len();
    (any::<bool>(), prop::collection::vec(0..n, 0..n + 2)).prop_map(move |(on, picks)| Ticked {
        on,
        values: picks.into_iter().map(|i| all[i]).collect(),
    })
}

fn any_variations() -> impl Strategy<Value = Variations> {
    (
        0u32..12,
        any::<bool>(),
        subset(AspectRatio::ALL.to_vec()),
        subset(Resolution::ALL.to_vec()),
        subset(all_durations()),
        subset(MULTI_SHOT_VALUES.to_vec()),
        (any::<bool>(), "(\\PC{0,30}\n){0,5}"),
    )
        .prop_map(
            |(seeds, count_up, ar, res, dur, multi, (on, text))| Variations {
                seed_count: seeds,
                seed_mode: if count_up {
                    SeedMode::CountUp
                } else {
                    SeedMode::Random
                },
                aspect_ratio: ar,
                resolution: res,
                duration: dur,
                multi_shot: multi,
                prompt_variants: PromptVariants { on, text },
            },
        )
}

/// Query text with the variations' keys and values that look nearly right.
fn any_query() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("v_seeds"),
        Just("v_seed_mode"),
        Just("v_aspect_ratio"),
        Just("v_resolution"),
        Just("v_duration"),
        Just("v_multi_shot"),
        Just("v_prompt"),
        Just("r2v"),
        Just("%"),
    ];
    let value = prop_oneof![
        "[0-9,:p%+ ]{0,20}",
        "\\PC{0,40}",
        Just("16:9,9:16,1:1,4:3,3:4,16:9".to_string()),
        Just("-1".to_string()),
        Just("4294967296".to_string()),
        Just("count".to_string()),
    ];
    prop::collection::vec((key, value), 0..40).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any query reads without panic into variations inside their bounds.
    #[test]
    fn any_query_reads_into_bounded_variations(query in any_query()) {
        if let Some(opened) = read_variations_query(&query) {
            let v = opened.variations;
            prop_assert!((1..=SEEDS_MAX).contains(&v.seed_count));
            prop_assert!(v.aspect_ratio.values.len() <= AspectRatio::ALL.len());
            prop_assert!(v.resolution.values.len() <= Resolution::ALL.len());
            prop_assert!(v.duration.values.len() <= all_durations().len());
            prop_assert!(v.multi_shot.values.len() <= 2);
            let prompts = v.prompt_variants.prompts();
            prop_assert!(prompts.len() <= RUNS_MAX);
            prop_assert!(prompts.iter().all(|p| p.chars().count() <= PROMPT_MAX_CHARS));
            prop_assert!(opened.problems.len() <= 8);
        }
    }

    /// Every setting a person can make comes back from its link as it was
    /// meant: the same ticked settings, values in order, the same prompts.
    #[test]
    fn variations_round_trip_through_a_link(v in any_variations()) {
        let mut v = v;
        v.seed_count = v.seed_count.clamp(1, SEEDS_MAX);
        v.prompt_variants.text = v.prompt_variants.prompts()
            .iter()
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        let query = variations_query(&v);
        let back = read_variations_query(&query);
        if !v.is_batch() {
            prop_assert_eq!(back, None);
            return Ok(());
        }
        let back = back.unwrap();
        prop_assert_eq!(back.problems, Vec::<String>::new());
        let b = back.variations;
        prop_assert_eq!(b.seed_count, v.seed_count);
        if v.seed_count > 1 {
            prop_assert_eq!(b.seed_mode, v.seed_mode);
        }
        prop_assert_eq!(b.axes_on(), v.axes_on());
        for axis in v.axes_on() {
            prop_assert_eq!(b.value_count(axis), v.value_count(axis));
        }
        if v.aspect_ratio.on {
            prop_assert_eq!(b.aspect_ratio.values, v.aspect_ratio.in_order(&AspectRatio::ALL));
        }
        if v.prompt_variants.on {
            prop_assert_eq!(b.prompt_variants.prompts(), v.prompt_variants.prompts());
        }
    }

    /// Whatever the settings and the random numbers, a plan is refused or
    /// has exactly the counted runs, at most 16, with seeds fal accepts.
    #[test]
    fn plans_keep_their_promises(v in any_variations(), bits in any::<u32>(), seed in prop::option::of(0u32..=SEED_MAX)) {
        let form = FormState {
            prompt: "Image 1 walks".into(),
            seed_text: seed.map(|s| s.to_string()).unwrap_or_default(),
            ..FormState::default()
        };
        let mut n = bits;
        let mut source = move || { n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345); n };
        match BatchPlan::new(&form, &v, &mut source) {
            Err(issues) => prop_assert!(!issues.is_sendable()),
            Ok(plan) => {
                prop_assert_eq!(plan.runs.len(), v.run_count());
                prop_assert!(plan.runs.len() <= RUNS_MAX && !plan.runs.is_empty());
                for (i, run) in plan.runs.iter().enumerate() {
                    prop_assert_eq!(run.index, i);
                    let input = &run.request.input;
                    prop_assert!(input.seed.is_none_or(|s| (0..=i64::from(SEED_MAX)).contains(&s)));
                    prop_assert!(!input.prompt.trim().is_empty());
                    prop_assert!(run.caption().chars().count() <= CAPTION_MAX_CHARS);
                }
                let ids = plan.batch_runs(&crate::core::batch::batch_id::BatchId::from_random(1));
                let json = serde_json::to_value(&ids).unwrap();
                prop_assert_eq!(serde_json::from_value::<Vec<BatchRun>>(json).unwrap(), ids);
            }
        }
    }

    /// Variations from another page's JSON are read within their bounds or
    /// refused; what is read writes back to the same variations.
    #[test]
    fn any_variations_json_is_read_within_bounds_or_refused(
        seeds in prop_oneof![any::<i64>().prop_map(Value::from), (0i64..10).prop_map(Value::from)],
        mode in prop_oneof![Just(json!("random")), Just(json!("count_up")), "\\PC{0,8}".prop_map(Value::from)],
        ratios in prop::collection::vec(prop_oneof![Just(json!("16:9")), Just(json!("1:1")), "\\PC{0,5}".prop_map(Value::from)], 0..20),
        prompts in prop::collection::vec("\\PC{0,12}\n?", 0..20),
        extra in prop::option::of("[a-z]{1,6}"),
    ) {
        let mut value = json!({"seeds": seeds, "seed_mode": mode,
            "vary": {"aspect_ratio": ratios, "prompt_variants": prompts}});
        if let Some(key) = extra {
            value[key] = json!(1);
        }
        if let Ok(v) = variations_from_json(value) {
            prop_assert!((1..=SEEDS_MAX).contains(&v.seed_count));
            prop_assert!(v.aspect_ratio.values.len() <= RUNS_MAX);
            prop_assert!(v.prompt_variants.prompts().len() <= RUNS_MAX);
            let again = serde_json::to_value(VariationsWire::from(&v)).unwrap();
            let back = variations_from_json(again).unwrap();
            prop_assert_eq!(back.run_count(), v.run_count());
            prop_assert_eq!(back.axes_on(), v.axes_on());
        }
    }

    /// A run reference from storage or another page is read or refused,
    /// never trusted beyond its checks.
    #[test]
    fn any_run_reference_is_read_or_refused(
        id in prop_oneof![Just(json!("b-00ff")), "\\PC{0,50}".prop_map(Value::from), Just(json!(7))],
        index in prop_oneof![any::<i64>().prop_map(Value::from), Just(json!(0)), Just(json!("1"))],
        total in prop_oneof![any::<i64>().prop_map(Value::from), (0i64..20).prop_map(Value::from)],
        caption in prop_oneof!["\\PC{0,20}", "x{290,310}"],
    ) {
        let value = json!({"batch_id": id, "index": index, "total": total, "caption": caption});
        if let Ok(run) = serde_json::from_value::<BatchRun>(value) {
            prop_assert!(run.index < run.total && run.total <= RUNS_MAX);
            prop_assert!(run.caption.chars().count() <= CAPTION_MAX_CHARS);
            prop_assert!(run.batch_id.as_str().len() <= 40);
        }
    }
}

#[test]
fn thousands_of_bad_values_give_a_short_list() {
    let query = "v_aspect_ratio=21:9&".repeat(5_000) + "v_seeds=0";
    let opened = read_variations_query(&query).unwrap();
    assert_eq!(opened.problems.len(), 2, "{:?}", opened.problems);
    let query = (0..40)
        .map(|i| format!("v_duration={i}"))
        .collect::<Vec<_>>()
        .join("&");
    let opened = read_variations_query(&query).unwrap();
    assert_eq!(opened.problems.len(), 8);
    assert_eq!(
        opened.problems[7],
        "24 more values in the link were left out."
    );
}

#[test]
fn an_overlong_link_is_not_read() {
    let query = format!("v_seeds=2&v_prompt={}", "a".repeat(800_000));
    let opened = read_variations_query(&query).unwrap();
    assert_eq!(opened.variations, Variations::default());
    assert_eq!(opened.problems.len(), 1);
    assert_eq!(read_variations_query(&"x".repeat(800_000)), None);
}
