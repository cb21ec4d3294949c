//! Submit-time validation: the app's own `R2vInput` rules, answered the way
//! fal (FastAPI/pydantic) answers a bad body: 422 with
//! `{"detail":[{"loc":["body","<field>",...],"msg":...,"type":...}]}`.

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use wan_r2v_studio::core::model::schema::{AspectRatio, DurationSeconds, R2vInput, Resolution};
use wan_r2v_studio::core::model::validation::Field;

use super::knobs::{parse_knobs, Knobs};

/// Either the input and its prompt words, or fal's 422 `detail` list.
pub fn check_submit(body: &[u8]) -> Result<(R2vInput, Knobs), Value> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        json!([{ "loc": ["body"], "msg": format!("JSON decode error: {e}"), "type": "json_invalid" }])
    })?;
    let Some(object) = value.as_object() else {
        return Err(
            json!([{ "loc": ["body"], "msg": "Input should be a valid dictionary", "type": "dict_type" }]),
        );
    };
    let mut detail = Vec::new();
    if !object.contains_key("prompt") {
        detail
            .push(json!({ "loc": ["body", "prompt"], "msg": "Field required", "type": "missing" }));
    }
    let mut field = |name: &str, ok: bool, msg: &str, kind: &str| {
        if object.contains_key(name) && !ok {
            detail.push(
                json!({ "loc": ["body", name], "msg": msg, "type": kind, "input": object[name] }),
            );
        }
    };
    let fits = |name: &str, check: fn(&Value) -> bool| object.get(name).is_none_or(check);
    field(
        "prompt",
        fits("prompt", is::<String>),
        "Input should be a valid string",
        "string_type",
    );
    field(
        "negative_prompt",
        fits("negative_prompt", is::<Option<String>>),
        "Input should be a valid string",
        "string_type",
    );
    for name in ["reference_image_urls", "reference_video_urls"] {
        field(
            name,
            fits(name, is::<Vec<String>>),
            "Input should be a valid list of strings",
            "list_type",
        );
    }
    field(
        "aspect_ratio",
        fits("aspect_ratio", is::<AspectRatio>),
        "Input should be '16:9', '9:16', '1:1', '4:3' or '3:4'",
        "enum",
    );
    field(
        "resolution",
        fits("resolution", is::<Resolution>),
        "Input should be '720p' or '1080p'",
        "enum",
    );
    field(
        "duration",
        fits("duration", is::<DurationSeconds>),
        "Input should be 2, 3, 4, 5, 6, 7, 8, 9 or 10",
        "enum",
    );
    for name in ["multi_shots", "enable_safety_checker"] {
        field(
            name,
            fits(name, is::<bool>),
            "Input should be a valid boolean",
            "bool_type",
        );
    }
    field(
        "seed",
        fits("seed", is::<Option<i64>>),
        "Input should be a valid integer",
        "int_type",
    );
    if !detail.is_empty() {
        return Err(Value::Array(detail));
    }
    let input: R2vInput = serde_json::from_value(value)
        .map_err(|e| json!([{ "loc": ["body"], "msg": e.to_string(), "type": "value_error" }]))?;
    let detail: Vec<Value> = input
        .validate()
        .errors()
        .map(
            |issue| json!({ "loc": loc(issue.field), "msg": issue.message, "type": "value_error" }),
        )
        .collect();
    if !detail.is_empty() {
        return Err(Value::Array(detail));
    }
    let knobs = parse_knobs(&input.prompt)
        .map_err(|msg| json!([{ "loc": ["body", "prompt"], "msg": msg, "type": "value_error" }]))?;
    Ok((input, knobs))
}

fn is<T: DeserializeOwned>(value: &Value) -> bool {
    serde_json::from_value::<T>(value.clone()).is_ok()
}

/// pydantic's `loc` for a core validation field.
fn loc(field: Field) -> Value {
    match field {
        Field::Prompt => json!(["body", "prompt"]),
        Field::NegativePrompt => json!(["body", "negative_prompt"]),
        Field::ReferenceImage(i) => json!(["body", "reference_image_urls", i]),
        Field::ReferenceVideo(i) => json!(["body", "reference_video_urls", i]),
        Field::References => json!(["body"]),
        Field::Seed => json!(["body", "seed"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locs(body: &str) -> Vec<Value> {
        check_submit(body.as_bytes())
            .unwrap_err()
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["loc"].clone())
            .collect()
    }

    #[test]
    fn accepts_a_valid_input_and_reads_its_words() {
        let (input, knobs) =
            check_submit(br#"{"prompt":"Image 1 waves [sim:run=1s]","duration":"7","extra":1}"#)
                .unwrap();
        assert_eq!(input.duration.seconds(), 7);
        assert_eq!(knobs.run, Some(std::time::Duration::from_secs(1)));
    }

    #[test]
    fn names_the_offending_field_like_fal() {
        assert_eq!(locs("{}"), vec![json!(["body", "prompt"])]);
        assert_eq!(locs(r#"{"prompt":""}"#), vec![json!(["body", "prompt"])]);
        assert_eq!(
            locs(r#"{"prompt":"p","duration":11}"#),
            vec![json!(["body", "duration"])]
        );
        assert_eq!(
            locs(r#"{"prompt":"p","resolution":"4k"}"#),
            vec![json!(["body", "resolution"])]
        );
        assert_eq!(
            locs(r#"{"prompt":"p","reference_video_urls":["ftp://x/v.mp4"]}"#),
            vec![json!(["body", "reference_video_urls", 0])]
        );
        assert_eq!(
            locs(r#"{"prompt":"p","seed":-1}"#),
            vec![json!(["body", "seed"])]
        );
        assert_eq!(
            locs(r#"{"prompt":"p [sim:nope]"}"#),
            vec![json!(["body", "prompt"])]
        );
        assert_eq!(locs("[1]"), vec![json!(["body"])]);
        assert_eq!(locs("not json"), vec![json!(["body"])]);
        let too_long = format!(r#"{{"prompt":"{}"}}"#, "x".repeat(5001));
        assert_eq!(locs(&too_long), vec![json!(["body", "prompt"])]);
    }
}
