use super::*;
use crate::core::job::test_support::RecordBuilder;
use crate::core::model::schema::{AspectRatio, R2vInput};

fn run(input: R2vInput, output_seed: Option<i64>) -> JobRecord {
    let r = RecordBuilder::new("job", 0).input(input).cost(50, "");
    match output_seed {
        Some(seed) => r.output("https://x/o.mp4", seed),
        None => r,
    }
    .build()
}

fn base() -> R2vInput {
    R2vInput {
        prompt: "A koala surfs".into(),
        ..R2vInput::default()
    }
}

#[test]
fn only_differing_inputs_are_listed_in_form_order() {
    let a = run(base(), Some(11));
    let b = run(
        R2vInput {
            aspect_ratio: AspectRatio::Square1x1,
            reference_image_urls: vec!["https://x/a.png".into()],
            ..base()
        },
        Some(22),
    );
    let rows = differing_inputs(&[&a, &b]);
    let names: Vec<&str> = rows.iter().map(|d| d.input).collect();
    assert_eq!(names, ["Reference images", "Aspect ratio", "Seed"]);
    assert_eq!(rows[0].values, ["none", "https://x/a.png"]);
    assert_eq!(rows[1].values, ["16:9", "1:1"]);
    assert_eq!(rows[2].values, ["11 (random)", "22 (random)"]);
}

#[test]
fn identical_runs_differ_in_nothing() {
    let a = run(
        R2vInput {
            seed: Some(5),
            ..base()
        },
        Some(5),
    );
    assert!(differing_inputs(&[&a, &a.clone(), &a.clone()]).is_empty());
}

#[test]
fn a_difference_in_any_run_of_three_shows_every_value() {
    let a = run(base(), None);
    let c = run(
        R2vInput {
            enable_safety_checker: false,
            negative_prompt: Some("blur".into()),
            ..base()
        },
        None,
    );
    let rows = differing_inputs(&[&a, &a.clone(), &c]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].input, "Negative prompt");
    assert_eq!(rows[0].values, ["—", "—", "blur"]);
    assert_eq!(rows[1].input, "Safety checker");
    assert_eq!(rows[1].values, ["on", "on", "off"]);
}

#[test]
fn videos_out_of_step_are_moved_to_the_leader() {
    let fixes = step_corrections(2.0, &[(2.05, Some(4.0)), (2.5, Some(4.0)), (0.0, None)]);
    assert_eq!(fixes, [None, Some(2.0), Some(2.0)]);
}

#[test]
fn a_shorter_video_rests_at_its_end() {
    assert_eq!(
        step_corrections(6.0, &[(3.0, Some(4.0)), (4.0, Some(4.0))]),
        [Some(4.0), None]
    );
    // A length the browser does not know yet is not used.
    assert_eq!(step_corrections(1.0, &[(0.0, Some(f64::NAN))]), [Some(1.0)]);
}

#[test]
fn positions_read_as_minutes_seconds_tenths() {
    assert_eq!(position_text(0.0), "0:00.0");
    assert_eq!(position_text(4.24), "0:04.2");
    assert_eq!(position_text(65.96), "1:06.0");
    assert_eq!(position_text(-1.0), "0:00.0");
}

#[test]
fn a_seek_past_a_shorter_video_stops_at_its_end() {
    assert_eq!(seek_target(3.0, 5.0), 3.0);
    assert_eq!(seek_target(7.5, 5.0), 5.0);
    // Length not known yet (NaN) or a live stream (infinite): not clamped.
    assert_eq!(seek_target(7.5, f64::NAN), 7.5);
    assert_eq!(seek_target(7.5, f64::INFINITY), 7.5);
}

#[test]
fn the_position_bar_is_as_long_as_the_longest_known_video() {
    assert_eq!(longest_length([4.0, f64::NAN, 6.5, f64::INFINITY]), 6.5);
    assert_eq!(longest_length([f64::NAN]), 0.0);
    assert_eq!(longest_length([]), 0.0);
}

#[test]
fn runs_are_numbered_in_the_order_chosen() {
    let r = run(
        R2vInput {
            prompt: "A koala\nsurfs".into(),
            ..base()
        },
        Some(1),
    );
    assert_eq!(run_label(1, &r), "Run 2: A koala surfs");
    assert_eq!(run_headings(3), ["Run 1", "Run 2", "Run 3"]);
}
