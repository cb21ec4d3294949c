use super::*;
use crate::core::batch::variations::{PromptVariants, Ticked};
use crate::core::model::reference_media::LocalFile;
use crate::core::model::schema::DurationSeconds;
use crate::core::model::validation::ReferenceKind;

fn form() -> FormState {
    let mut form = FormState {
        prompt: "Image 1 walks".into(),
        seed_text: "100".into(),
        ..FormState::default()
    };
    form.references
        .add_url("https://x.org/cat.png", ReferenceKind::Image);
    form
}

/// A seed source replaying fixed numbers, as a test stands in for the
/// browser's random numbers.
fn replay(numbers: &[u32]) -> impl FnMut() -> u32 + '_ {
    let mut i = 0;
    move || {
        let n = numbers[i % numbers.len()];
        i += 1;
        n
    }
}

fn two_seeds_three_ratios() -> Variations {
    Variations {
        seed_count: 2,
        seed_mode: SeedMode::CountUp,
        aspect_ratio: Ticked {
            on: true,
            values: vec![
                AspectRatio::Square1x1,
                AspectRatio::Landscape16x9,
                AspectRatio::Portrait9x16,
            ],
        },
        ..Variations::default()
    }
}

#[test]
fn two_seeds_by_three_ratios_make_six_runs_seeds_outermost() {
    let plan = BatchPlan::new(&form(), &two_seeds_three_ratios(), &mut replay(&[1])).unwrap();
    let captions: Vec<String> = plan.runs.iter().map(PlannedRun::caption).collect();
    assert_eq!(
        captions,
        [
            "Seed 100 · 16:9",
            "Seed 100 · 9:16",
            "Seed 100 · 1:1",
            "Seed 101 · 16:9",
            "Seed 101 · 9:16",
            "Seed 101 · 1:1"
        ]
    );
    let indexes: Vec<usize> = plan.runs.iter().map(|r| r.index).collect();
    assert_eq!(indexes, [0, 1, 2, 3, 4, 5]);
    let run = &plan.runs[4];
    assert_eq!(run.request.input.seed, Some(101));
    assert_eq!(run.request.input.aspect_ratio, AspectRatio::Portrait9x16);
    assert_eq!(run.request.input.prompt, "Image 1 walks");
    assert_eq!(
        run.request.input.reference_image_urls,
        vec!["https://x.org/cat.png"]
    );
    assert_eq!(
        run.varied,
        vec![
            ("Seed".to_string(), "101".to_string()),
            ("Aspect ratio".to_string(), "9:16".to_string())
        ]
    );
    assert_eq!(run.spoken_caption(), "Seed 101, Aspect ratio 9:16");
}

#[test]
fn random_seeds_come_from_the_source_and_are_shared_across_settings() {
    let mut v = two_seeds_three_ratios();
    v.seed_mode = SeedMode::Random;
    // The top bit is dropped (seeds are 0..=2^31-1); a repeat is moved on.
    let plan = BatchPlan::new(&form(), &v, &mut replay(&[0x8000_0005, 5])).unwrap();
    let seeds: Vec<Option<i64>> = plan.runs.iter().map(|r| r.request.input.seed).collect();
    assert_eq!(
        seeds,
        [Some(5), Some(5), Some(5), Some(6), Some(6), Some(6)]
    );
}

#[test]
fn counting_up_wraps_past_the_largest_seed() {
    let mut f = form();
    f.seed_text = "2147483646".into();
    let v = Variations {
        seed_count: 3,
        seed_mode: SeedMode::CountUp,
        ..Variations::default()
    };
    let plan = BatchPlan::new(&f, &v, &mut replay(&[9])).unwrap();
    let seeds: Vec<Option<i64>> = plan.runs.iter().map(|r| r.request.input.seed).collect();
    assert_eq!(seeds, [Some(2_147_483_646), Some(2_147_483_647), Some(0)]);
}

#[test]
fn one_seed_keeps_the_form_seed_and_varies_nothing_else() {
    let plan = BatchPlan::new(&form(), &Variations::default(), &mut replay(&[3])).unwrap();
    assert_eq!(plan.runs.len(), 1);
    assert_eq!(plan.runs[0].request, form().request());
    assert_eq!(plan.runs[0].caption(), "");
}

#[test]
fn every_axis_sets_its_field() {
    let v = Variations {
        duration: Ticked {
            on: true,
            values: vec![
                DurationSeconds::new(8).unwrap(),
                DurationSeconds::new(2).unwrap(),
            ],
        },
        multi_shot: Ticked {
            on: true,
            values: vec![true, false],
        },
        ..Variations::default()
    };
    let plan = BatchPlan::new(&form(), &v, &mut replay(&[0])).unwrap();
    let got: Vec<(u8, bool, String)> = plan
        .runs
        .iter()
        .map(|r| {
            (
                r.request.input.duration.seconds(),
                r.request.input.multi_shots,
                r.caption(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (2, false, "2 s · Multi-shot off".to_string()),
            (2, true, "2 s · Multi-shot on".to_string()),
            (8, false, "8 s · Multi-shot off".to_string()),
            (8, true, "8 s · Multi-shot on".to_string()),
        ]
    );
    let v = Variations {
        resolution: Ticked {
            on: true,
            values: vec![Resolution::P1080, Resolution::P720],
        },
        prompt_variants: PromptVariants {
            on: true,
            text: "Image 1 walks on a long misty beach at dawn with a red scarf\nImage 1 runs"
                .into(),
        },
        ..Variations::default()
    };
    let plan = BatchPlan::new(&form(), &v, &mut replay(&[0])).unwrap();
    let captions: Vec<String> = plan.runs.iter().map(PlannedRun::caption).collect();
    assert_eq!(
        captions,
        [
            "720p · “Image 1 walks on a long misty beach at…”",
            "720p · “Image 1 runs”",
            "1080p · “Image 1 walks on a long misty beach at…”",
            "1080p · “Image 1 runs”"
        ]
    );
    assert_eq!(plan.runs[1].request.input.prompt, "Image 1 runs");
    assert_eq!(plan.runs[1].request.input.resolution, Resolution::P720);
}

#[test]
fn a_refused_batch_gives_its_problems_and_no_runs() {
    let mut v = two_seeds_three_ratios();
    v.seed_count = 8;
    let issues = BatchPlan::new(&form(), &v, &mut replay(&[0])).unwrap_err();
    assert_eq!(
        issues.for_field(VariationsField::Runs).unwrap().message,
        "This batch would make 24 runs; the most is 16."
    );
}

#[test]
fn a_file_uploads_once_and_fills_every_run() {
    let mut f = form();
    let clip = f.references.add_file(LocalFile {
        name: "clip.mp4".into(),
        size: 10,
        mime: "video/mp4".into(),
    });
    let mut plan = BatchPlan::new(&f, &two_seeds_three_ratios(), &mut replay(&[0])).unwrap();
    assert!(!plan.is_ready());
    assert!(plan.runs.iter().all(|r| r.request.uploads.len() == 1));
    assert!(plan.fill_upload(clip, "https://v3.fal.media/files/clip.mp4"));
    assert!(plan.is_ready());
    assert!(!plan.fill_upload(clip, "https://again"));
    assert!(plan.runs.iter().all(
        |r| r.request.input.reference_video_urls == vec!["https://v3.fal.media/files/clip.mp4"]
    ));
}

#[test]
fn each_run_knows_its_place_in_the_batch() {
    let plan = BatchPlan::new(&form(), &two_seeds_three_ratios(), &mut replay(&[0])).unwrap();
    let id = BatchId::from_random(42);
    let runs = plan.batch_runs(&id);
    assert_eq!(runs.len(), 6);
    assert_eq!(runs[5].index, 5);
    assert_eq!(runs[5].total, 6);
    assert_eq!(runs[5].caption, "Seed 101 · 1:1");
    assert_eq!(runs[5].batch_id, id);
}
