//! The variations as JSON, for a page that embeds the studio (its
//! `set_inputs` command) and for anything stored: a small, explicit shape
//! with fal's wire values, so a host page writes what the model documents.
//!
//! ```json
//! {"seeds": 2, "seed_mode": "count_up",
//!  "vary": {"aspect_ratio": ["16:9", "1:1"], "prompt_variants": ["Image 1 walks"]}}
//! ```
//!
//! It comes from another page, so reading is bounded and strict: unknown
//! keys are refused (a misspelt "vary" must not silently mean "nothing"),
//! lists hold at most [`RUNS_MAX`] entries, prompts are single lines within
//! fal's length. What is merely unwise (a 17-run batch, a third setting) is
//! accepted here and reported by [`Variations::validate`] next to its
//! control, like anything typed.

use serde::{Deserialize, Serialize};

use crate::core::batch::variations::{
    all_durations, PromptVariants, SeedMode, Ticked, Variations, MULTI_SHOT_VALUES, RUNS_MAX,
    SEEDS_MAX,
};
use crate::core::model::schema::{AspectRatio, DurationSeconds, Resolution, PROMPT_MAX_CHARS};
use crate::core::model::validation::char_count;

/// How seeds are chosen, as written in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeedModeWire {
    #[default]
    Random,
    CountUp,
}

/// The swept settings; a key present means the setting is ticked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VaryWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<Vec<AspectRatio>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Vec<Resolution>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Vec<DurationSeconds>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_shots: Option<Vec<bool>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_variants: Option<Vec<String>>,
}

/// The variations as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariationsWire {
    #[serde(default = "one_seed")]
    pub seeds: u32,
    #[serde(default)]
    pub seed_mode: SeedModeWire,
    #[serde(default)]
    pub vary: VaryWire,
}

fn one_seed() -> u32 {
    1
}

impl From<&Variations> for VariationsWire {
    fn from(v: &Variations) -> Self {
        let on = |ticked: bool| ticked.then_some(());
        Self {
            seeds: v.seed_count,
            seed_mode: match v.seed_mode {
                SeedMode::Random => SeedModeWire::Random,
                SeedMode::CountUp => SeedModeWire::CountUp,
            },
            vary: VaryWire {
                aspect_ratio: on(v.aspect_ratio.on)
                    .map(|_| v.aspect_ratio.in_order(&AspectRatio::ALL)),
                resolution: on(v.resolution.on).map(|_| v.resolution.in_order(&Resolution::ALL)),
                duration: on(v.duration.on).map(|_| v.duration.in_order(&all_durations())),
                multi_shots: on(v.multi_shot.on).map(|_| v.multi_shot.in_order(&MULTI_SHOT_VALUES)),
                prompt_variants: on(v.prompt_variants.on).map(|_| {
                    v.prompt_variants
                        .prompts()
                        .into_iter()
                        .map(str::to_string)
                        .collect()
                }),
            },
        }
    }
}

impl TryFrom<VariationsWire> for Variations {
    type Error = String;

    /// Refuses what no person could have set: out-of-range seeds, overlong
    /// lists, prompts with line breaks or beyond fal's length.
    fn try_from(wire: VariationsWire) -> Result<Self, String> {
        if !(1..=SEEDS_MAX).contains(&wire.seeds) {
            return Err(format!("seeds must be 1 to {SEEDS_MAX}"));
        }
        let vary = wire.vary;
        let lengths = [
            vary.aspect_ratio.as_ref().map(Vec::len),
            vary.resolution.as_ref().map(Vec::len),
            vary.duration.as_ref().map(Vec::len),
            vary.multi_shots.as_ref().map(Vec::len),
            vary.prompt_variants.as_ref().map(Vec::len),
        ];
        if lengths.into_iter().flatten().any(|n| n > RUNS_MAX) {
            return Err(format!("a list in vary has more than {RUNS_MAX} entries"));
        }
        let prompts = vary.prompt_variants.as_ref();
        if let Some(bad) = prompts.and_then(|list| {
            list.iter()
                .position(|p| p.contains(['\n', '\r']) || char_count(p) > PROMPT_MAX_CHARS)
        }) {
            return Err(format!(
                "prompt_variants[{bad}] must be one line of at most {PROMPT_MAX_CHARS} characters"
            ));
        }
        fn ticked<T>(values: Option<Vec<T>>) -> Ticked<T> {
            match values {
                Some(values) => Ticked { on: true, values },
                None => Ticked::default(),
            }
        }
        Ok(Variations {
            seed_count: wire.seeds,
            seed_mode: match wire.seed_mode {
                SeedModeWire::Random => SeedMode::Random,
                SeedModeWire::CountUp => SeedMode::CountUp,
            },
            aspect_ratio: ticked(vary.aspect_ratio),
            resolution: ticked(vary.resolution),
            duration: ticked(vary.duration),
            multi_shot: ticked(vary.multi_shots),
            prompt_variants: PromptVariants {
                on: prompts.is_some(),
                text: prompts.map(|p| p.join("\n")).unwrap_or_default(),
            },
        })
    }
}

/// Reads variations from another page's JSON, or says why not.
pub fn variations_from_json(value: serde_json::Value) -> Result<Variations, String> {
    let wire: VariationsWire = serde_json::from_value(value).map_err(|e| e.to_string())?;
    Variations::try_from(wire)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_documented_shape_reads_and_writes_back() {
        let value = json!({"seeds": 2, "seed_mode": "count_up",
            "vary": {"aspect_ratio": ["1:1", "16:9"], "prompt_variants": ["Image 1 walks", "Image 1 runs"]}});
        let v = variations_from_json(value).unwrap();
        assert_eq!(v.seed_count, 2);
        assert_eq!(v.seed_mode, SeedMode::CountUp);
        assert_eq!(v.run_count(), 8);
        assert_eq!(
            v.prompt_variants.prompts(),
            vec!["Image 1 walks", "Image 1 runs"]
        );
        assert!(!v.duration.on);
        assert_eq!(
            serde_json::to_value(VariationsWire::from(&v)).unwrap(),
            json!({"seeds": 2, "seed_mode": "count_up",
                "vary": {"aspect_ratio": ["16:9", "1:1"], "prompt_variants": ["Image 1 walks", "Image 1 runs"]}})
        );
        assert_eq!(
            variations_from_json(json!({})).unwrap(),
            Variations::default()
        );
    }

    #[test]
    fn unwise_batches_are_read_and_left_to_the_field_checks() {
        let v = variations_from_json(json!({"seeds": 8, "vary": {
            "aspect_ratio": ["16:9", "1:1", "9:16"], "resolution": ["720p"], "duration": [2, "5"]}}))
        .unwrap();
        assert_eq!(v.run_count(), 48);
        assert!(!v.validate(&Default::default()).is_sendable());
    }

    #[test]
    fn what_no_person_could_set_is_refused() {
        for bad in [
            json!({"seeds": 0}),
            json!({"seeds": 9}),
            json!({"seeds": -1}),
            json!({"seed": 2}),
            json!({"vary": {"aspect": ["16:9"]}}),
            json!({"vary": {"aspect_ratio": ["21:9"]}}),
            json!({"vary": {"duration": [11]}}),
            json!({"vary": {"multi_shots": ["yes"]}}),
            json!({"vary": {"resolution": vec!["720p"; 17]}}),
            json!({"vary": {"prompt_variants": ["two\nlines"]}}),
            json!({"vary": {"prompt_variants": ["x".repeat(5_001)]}}),
            json!("seeds=2"),
        ] {
            assert!(variations_from_json(bad.clone()).is_err(), "{bad}");
        }
    }
}
