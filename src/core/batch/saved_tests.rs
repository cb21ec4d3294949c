use super::*;
use serde_json::json;

/// A group as a person leaves it mid-edit: some of it not valid yet.
fn mid_edit() -> Variations {
    Variations {
        seed_count: 9,
        seed_mode: SeedMode::CountUp,
        aspect_ratio: Ticked {
            on: true,
            values: vec![AspectRatio::Square1x1, AspectRatio::Landscape16x9],
        },
        resolution: Ticked {
            on: false,
            values: vec![Resolution::P720],
        },
        duration: Ticked {
            on: true,
            values: vec![
                DurationSeconds::new(2).unwrap(),
                DurationSeconds::new(10).unwrap(),
            ],
        },
        multi_shot: Ticked {
            on: true,
            values: vec![true],
        },
        prompt_variants: PromptVariants {
            on: true,
            text: format!(
                "Image 1 walks\n\n  Image 1 runs  \n{}",
                "x".repeat(PROMPT_MAX_CHARS + 1)
            ),
        },
    }
}

#[test]
fn a_group_comes_back_as_typed_including_what_is_not_valid_yet() {
    for v in [Variations::default(), mid_edit()] {
        let text = variations_to_saved_json(&v);
        assert_eq!(variations_from_saved_json(&text), Some(v));
    }
}

#[test]
fn the_documented_shape_reads() {
    let text = json!({"version": 1, "seeds": 2, "seed_mode": "count_up",
        "aspect_ratio": {"on": true, "values": ["16:9", "1:1"]},
        "resolution": {"on": false, "values": []},
        "duration": {"on": false, "values": [5]},
        "multi_shots": {"on": false, "values": []},
        "prompt_variants": {"on": true, "text": "Image 1 walks\nImage 1 runs"}})
    .to_string();
    let v = variations_from_saved_json(&text).unwrap();
    assert_eq!(v.run_count(), 8);
    assert_eq!(v.duration.values, vec![DurationSeconds::new(5).unwrap()]);
    assert!(!v.duration.on);
}

#[test]
fn anything_else_in_storage_gives_the_default_group() {
    let good = serde_json::from_str::<Value>(&variations_to_saved_json(&mid_edit())).unwrap();
    let with = |key: &str, value: Value| {
        let mut v = good.clone();
        v[key] = value;
        v.to_string()
    };
    for bad in [
        String::new(),
        "not json".into(),
        "[]".into(),
        with("version", json!(2)),
        with("seeds", json!(-1)),
        with("seeds", json!(1000)),
        with("seeds", json!("2")),
        with("seed_mode", json!("sometimes")),
        with("aspect_ratio", json!({"on": true, "values": ["21:9"]})),
        with("aspect_ratio", json!({"on": "yes", "values": []})),
        with("duration", json!({"on": true, "values": [11]})),
        with("duration", json!({"on": true, "values": [256 + 5]})),
        with(
            "multi_shots",
            json!({"on": true, "values": vec![true; RUNS_MAX + 1]}),
        ),
        with("prompt_variants", json!({"on": true})),
        with(
            "prompt_variants",
            json!({"on": true, "text": "x".repeat(SAVED_VARIATIONS_MAX_BYTES + 1)}),
        ),
    ] {
        assert_eq!(variations_from_saved_json(&bad), None, "{bad:.200}");
    }
}

#[test]
fn a_value_ticked_twice_is_kept_once() {
    let mut value =
        serde_json::from_str::<Value>(&variations_to_saved_json(&Variations::default())).unwrap();
    value["resolution"] = json!({"on": true, "values": ["720p", "720p", "1080p"]});
    let v = variations_from_saved_json(&value.to_string()).unwrap();
    assert_eq!(
        v.resolution.values,
        vec![Resolution::P720, Resolution::P1080]
    );
}
