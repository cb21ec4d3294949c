//! The API view of a batch: the same runs as a loop, in each language the
//! single-run view offers ([`crate::core::form::snippets`]).
//!
//! The loop is built from the single-run snippet of the first run, so the
//! upload steps, the quoting and the key handling are that module's, not a
//! second copy: the settings every run shares become `base`, and each run
//! lists only the values it sets over it. The key stays an environment
//! variable, as in every snippet.

use crate::core::batch::plan::BatchPlan;
use crate::core::form::snippets::{snippet, SnippetLanguage};
use crate::core::form::state::FormRequest;
use crate::core::model::schema::{R2vInput, ENDPOINT_ID};

/// The comment above `base`, worded per language's comment mark.
const SHARED: &str = "What every run shares; each run below sets its own values over it.";

/// The batch in `language`; a single run is the single-run snippet.
pub fn batch_snippet(plan: &BatchPlan, language: SnippetLanguage) -> String {
    let Some(first) = plan.runs.first() else {
        return String::new();
    };
    if plan.runs.len() == 1 {
        return snippet(&first.request, language);
    }
    if language == SnippetLanguage::Json {
        return json_list(plan);
    }
    let keys = varying_keys(plan);
    let mut base = first.request.clone();
    if keys.contains(&"seed") {
        // Each run sets its own; the base would only mislead.
        base.input.seed = None;
    }
    let single = snippet(&base, language);
    let runs: Vec<Vec<(&str, RunValue)>> = plan
        .runs
        .iter()
        .map(|run| {
            keys.iter()
                .map(|key| (*key, value_of(&run.request.input, key)))
                .collect()
        })
        .collect();
    let looped = match language {
        SnippetLanguage::Curl => curl_loop(&single, &runs),
        SnippetLanguage::Python => python_loop(&single, &runs),
        SnippetLanguage::JavaScript => javascript_loop(&single, &runs),
        SnippetLanguage::Json => None,
    };
    // The single-run text always has these markers (a test holds them);
    // were it ever to change, each run's own snippet is still correct.
    looped.unwrap_or_else(|| {
        plan.runs
            .iter()
            .map(|run| snippet(&run.request, language))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// A value a run sets over the base.
enum RunValue {
    Text(String),
    Number(i64),
    Bool(bool),
}

/// The input fields that differ between runs, in fal's field order.
fn varying_keys(plan: &BatchPlan) -> Vec<&'static str> {
    let inputs: Vec<&R2vInput> = plan.runs.iter().map(|r| &r.request.input).collect();
    let differs = |key: &str| {
        let first = value_text(inputs[0], key);
        inputs.iter().any(|i| value_text(i, key) != first)
    };
    [
        "prompt",
        "aspect_ratio",
        "resolution",
        "duration",
        "multi_shots",
        "seed",
    ]
    .into_iter()
    .filter(|key| differs(key))
    .collect()
}

fn value_of(input: &R2vInput, key: &str) -> RunValue {
    match key {
        "prompt" => RunValue::Text(input.prompt.clone()),
        "aspect_ratio" => RunValue::Text(input.aspect_ratio.as_str().into()),
        "resolution" => RunValue::Text(input.resolution.as_str().into()),
        "duration" => RunValue::Number(input.duration.seconds().into()),
        "multi_shots" => RunValue::Bool(input.multi_shots),
        _ => input
            .seed
            .map_or(RunValue::Text(String::new()), RunValue::Number),
    }
}

fn value_text(input: &R2vInput, key: &str) -> String {
    match value_of(input, key) {
        RunValue::Text(t) => t,
        RunValue::Number(n) => n.to_string(),
        RunValue::Bool(b) => b.to_string(),
    }
}

/// One run's values as an object literal on one line.
fn run_object(run: &[(&str, RunValue)], quote_keys: bool, words: (&str, &str)) -> String {
    let fields: Vec<String> = run
        .iter()
        .map(|(key, value)| {
            let key = if quote_keys {
                quoted(key)
            } else {
                key.to_string()
            };
            let value = match value {
                RunValue::Text(t) => quoted(t),
                RunValue::Number(n) => n.to_string(),
                RunValue::Bool(true) => words.0.to_string(),
                RunValue::Bool(false) => words.1.to_string(),
            };
            format!("{key}: {value}")
        })
        .collect();
    format!("{{{}}}", fields.join(", "))
}

/// A JSON string literal, also a valid Python and JavaScript one.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("strings always serialise")
}

/// The text between `start` (excluded) and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = from + text[from..].find(end)?;
    Some(&text[from..to])
}

/// `object` written at `depth` with `indent`, moved out to depth 0.
fn dedent(object: &str, indent: &str) -> String {
    object
        .lines()
        .map(|line| line.strip_prefix(indent).unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

fn python_loop(single: &str, runs: &[Vec<(&str, RunValue)>]) -> Option<String> {
    let call = "\nresult = fal_client.subscribe(";
    let prefix = &single[..single.find(call)?];
    let object = between(single, "    arguments=", ",\n    with_logs=True,")?;
    let lines: Vec<String> = runs
        .iter()
        .map(|run| format!("    {},\n", run_object(run, true, ("True", "False"))))
        .collect();
    Some(format!(
        "{prefix}\n# {SHARED}\nbase = {}\nruns = [\n{}]\n\nfor run in runs:\n    \
         result = fal_client.subscribe(\n        {},\n        arguments={{**base, **run}},\n        \
         with_logs=True,\n    )\n    print(run, result[\"video\"][\"url\"])\n",
        dedent(object, "    "),
        lines.concat(),
        quoted(ENDPOINT_ID),
    ))
}

fn javascript_loop(single: &str, runs: &[Vec<(&str, RunValue)>]) -> Option<String> {
    let call = "\nconst result = await fal.subscribe(";
    let prefix = &single[..single.find(call)?];
    let object = between(single, "  input: ", ",\n  logs: true,")?;
    let lines: Vec<String> = runs
        .iter()
        .map(|run| format!("  {},\n", run_object(run, false, ("true", "false"))))
        .collect();
    Some(format!(
        "{prefix}\n// {SHARED}\nconst base = {};\nconst runs = [\n{}];\n\n\
         for (const run of runs) {{\n  const result = await fal.subscribe({}, {{\n    \
         input: {{ ...base, ...run }},\n    logs: true,\n  }});\n  \
         console.log(run, result.data.video.url);\n}}\n",
        dedent(object, "  "),
        lines.concat(),
        quoted(ENDPOINT_ID),
    ))
}

fn curl_loop(single: &str, runs: &[Vec<(&str, RunValue)>]) -> Option<String> {
    let submit = single.rfind("curl --request POST \\\n  --url https://queue.fal.run/")?;
    let prefix = &single[..submit];
    // Already one single-quoted shell word's contents, uploads spliced in.
    let object = between(&single[submit..], "--data '", "}'\n")?;
    let words: Vec<String> = runs
        .iter()
        .map(|run| {
            let json = run_object(run, true, ("true", "false"));
            format!("  '{}'", json.replace('\'', r"'\''"))
        })
        .collect();
    Some(format!(
        "{prefix}# {SHARED}\n# jq merges the two for each run.\nBASE='{object}}}'\n\
         for RUN in \\\n{}; do\n  curl --request POST \\\n    \
         --url https://queue.fal.run/{ENDPOINT_ID} \\\n    \
         --header \"Authorization: Key $FAL_KEY\" \\\n    \
         --header \"Content-Type: application/json\" \\\n    \
         --data \"$(jq -n --argjson base \"$BASE\" --argjson run \"$RUN\" '$base + $run')\"\n\
         done\n",
        words.join(" \\\n"),
    ))
}

/// The JSON view: every run's complete input, in run order.
fn json_list(plan: &BatchPlan) -> String {
    let items: Vec<String> = plan
        .runs
        .iter()
        .map(|run| indent_json(&run.request))
        .collect();
    format!("[\n{}\n]\n", items.join(",\n"))
}

fn indent_json(request: &FormRequest) -> String {
    snippet(request, SnippetLanguage::Json)
        .trim_end()
        .lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
#[path = "snippets_tests.rs"]
mod tests;
