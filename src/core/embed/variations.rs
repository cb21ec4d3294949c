//! The `variations` of an embedding page's `set_inputs`: the same
//! "Variations" group the form has, as JSON. Another page's data, so it is
//! read strictly: unknown keys, a seed count outside 1 to 8, more values
//! than a batch can have, or a value the model does not offer are refused
//! with a sentence the host's developer can act on. The form then checks the
//! whole batch as it checks a person's (the 16-run limit among it).
//!
//! ```json
//! "variations": {
//!   "seeds": 2, "seed_mode": "random" | "count_up",
//!   "aspect_ratio": ["16:9", "9:16"], "resolution": ["720p"],
//!   "duration": [5, 10], "multi_shots": [false, true],
//!   "prompts": ["A koala surfs", "A koala skis"]
//! }
//! ```

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::core::batch::variations::{
    PromptVariants, SeedMode, Ticked, Variations, RUNS_MAX, SEEDS_MAX,
};
use crate::core::model::schema::PROMPT_MAX_CHARS;
use crate::core::model::validation::char_count;

/// Every key `variations` accepts.
pub const VARIATION_KEYS: [&str; 7] = [
    "seeds",
    "seed_mode",
    "aspect_ratio",
    "resolution",
    "duration",
    "multi_shots",
    "prompts",
];

/// Reads `variations` (absent or null: a single run).
pub fn read_variations(value: Option<&Value>) -> Result<Variations, String> {
    let object = match value {
        None | Some(Value::Null) => return Ok(Variations::default()),
        Some(Value::Object(object)) => object,
        Some(_) => return Err("\"variations\" must be an object".to_owned()),
    };
    if let Some(unknown) = object
        .keys()
        .find(|k| !VARIATION_KEYS.contains(&k.as_str()))
    {
        return Err(format!(
            "variations has no field {unknown:?}; the fields are {}",
            VARIATION_KEYS.join(", ")
        ));
    }
    let mut variations = Variations::default();
    if let Some(seeds) = object.get("seeds") {
        let count = seeds
            .as_u64()
            .filter(|n| (1..=u64::from(SEEDS_MAX)).contains(n))
            .ok_or_else(|| {
                format!("variations.seeds must be a whole number from 1 to {SEEDS_MAX}")
            })?;
        variations.seed_count = count as u32;
    }
    variations.seed_mode = match object.get("seed_mode").map(Value::as_str) {
        None | Some(Some("random")) => SeedMode::Random,
        Some(Some("count_up")) => SeedMode::CountUp,
        Some(_) => return Err("variations.seed_mode is \"random\" or \"count_up\"".to_owned()),
    };
    variations.aspect_ratio = ticked(object, "aspect_ratio")?;
    variations.resolution = ticked(object, "resolution")?;
    variations.duration = ticked(object, "duration")?;
    variations.multi_shot = ticked(object, "multi_shots")?;
    if let Some(prompts) = list(object, "prompts")? {
        let mut lines = Vec::new();
        for (number, prompt) in prompts.iter().enumerate().map(|(i, p)| (i + 1, p)) {
            let text = prompt
                .as_str()
                .filter(|t| !t.contains('\n') && !t.trim().is_empty())
                .ok_or_else(|| format!("variations.prompts[{number}] must be one line of text"))?;
            if char_count(text) > PROMPT_MAX_CHARS {
                return Err(format!(
                    "variations.prompts[{number}] is longer than {PROMPT_MAX_CHARS} characters"
                ));
            }
            lines.push(text.trim().to_owned());
        }
        variations.prompt_variants = PromptVariants {
            on: true,
            text: lines.join("\n"),
        };
    }
    Ok(variations)
}

/// The list under `key`, at most [`RUNS_MAX`] long, if given.
fn list<'a>(object: &'a Map<String, Value>, key: &str) -> Result<Option<&'a Vec<Value>>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(values)) if values.len() <= RUNS_MAX => Ok(Some(values)),
        Some(Value::Array(_)) => Err(format!(
            "variations.{key} lists more than {RUNS_MAX} values; a batch has at most {RUNS_MAX} runs"
        )),
        Some(_) => Err(format!("variations.{key} must be a list")),
    }
}

/// A swept setting: ticked with the listed values, each one the model offers.
fn ticked<T: DeserializeOwned + PartialEq>(
    object: &Map<String, Value>,
    key: &str,
) -> Result<Ticked<T>, String> {
    let Some(values) = list(object, key)? else {
        return Ok(Ticked::default());
    };
    let mut read = Vec::new();
    for value in values {
        let one: T = serde_json::from_value(value.clone())
            .map_err(|_| format!("variations.{key}: {value} is not a value the model offers"))?;
        if !read.contains(&one) {
            read.push(one);
        }
    }
    Ok(Ticked {
        on: true,
        values: read,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::batch::variations::Axis;
    use crate::core::form::state::FormState;
    use crate::core::model::schema::AspectRatio;
    use serde_json::json;

    #[test]
    fn a_host_sets_up_a_batch_as_a_person_would() {
        let v = read_variations(Some(&json!({
            "seeds": 2, "seed_mode": "count_up",
            "aspect_ratio": ["16:9", "9:16", "1:1", "9:16"],
        })))
        .unwrap();
        assert_eq!(v.seed_count, 2);
        assert_eq!(v.seed_mode, SeedMode::CountUp);
        assert_eq!(v.axes_on(), vec![Axis::AspectRatio]);
        assert_eq!(
            v.aspect_ratio.values.len(),
            3,
            "a repeated value counts once"
        );
        assert_eq!(v.aspect_ratio.values[1], AspectRatio::Portrait9x16);
        assert_eq!(v.run_count(), 6);

        let prompts =
            read_variations(Some(&json!({"prompts": ["A koala surfs", "A koala skis"]}))).unwrap();
        assert_eq!(
            prompts.prompt_variants.prompts(),
            vec!["A koala surfs", "A koala skis"]
        );
        assert_eq!(read_variations(None).unwrap(), Variations::default());
        assert_eq!(
            read_variations(Some(&Value::Null)).unwrap(),
            Variations::default()
        );
    }

    #[test]
    fn a_batch_over_the_limit_reads_and_the_form_refuses_it_with_its_count() {
        let v = read_variations(Some(&json!({
            "seeds": 8, "prompts": ["A koala surfs", "A koala skis", "A koala sails"]
        })))
        .unwrap();
        let issues = v.validate(&FormState::default());
        assert!(!issues.is_sendable());
        assert!(issues
            .errors()
            .any(|i| i.message == "This batch would make 24 runs; the most is 16."));
        // A list that alone is longer than any batch is not read at all.
        let prompts: Vec<String> = (1..=17).map(|n| format!("Prompt {n}")).collect();
        let error = read_variations(Some(&json!({ "prompts": prompts }))).unwrap_err();
        assert!(error.contains("more than 16 values"), "{error}");
    }

    #[test]
    fn what_a_host_gets_wrong_is_refused_with_the_reason() {
        let cases = [
            (json!([1]), "must be an object"),
            (json!({"seed": 2}), "no field \"seed\""),
            (json!({"seeds": 9}), "from 1 to 8"),
            (json!({"seeds": 0}), "from 1 to 8"),
            (json!({"seeds": "2"}), "from 1 to 8"),
            (json!({"seed_mode": "up"}), "\"random\" or \"count_up\""),
            (json!({"aspect_ratio": "16:9"}), "must be a list"),
            (
                json!({"aspect_ratio": ["16:10"]}),
                "not a value the model offers",
            ),
            (json!({"duration": [99]}), "not a value the model offers"),
            (
                json!({"resolution": vec!["720p"; 17]}),
                "more than 16 values",
            ),
            (json!({"prompts": ["one\ntwo"]}), "one line of text"),
            (json!({"prompts": ["  "]}), "one line of text"),
            (json!({"prompts": ["x".repeat(5_001)]}), "longer than"),
        ];
        for (value, expected) in cases {
            let error = read_variations(Some(&value)).unwrap_err();
            assert!(error.contains(expected), "{value}: {error}");
        }
    }
}
