//! Tests for [`super`]: the exact loop text, and each loop run for real
//! (sh with jq, python3, node) against a stand-in for fal's client that
//! prints what it was asked to send, compared with the plan's own inputs.

use std::path::Path;
use std::process::Command;

use super::*;
use crate::core::batch::variations::{PromptVariants, SeedMode, Ticked, Variations};
use crate::core::form::state::FormState;
use crate::core::model::reference_media::LocalFile;
use crate::core::model::schema::AspectRatio;
use crate::core::model::validation::ReferenceKind;

const IMAGE_URL: &str = "https://v3.fal.media/files/cat.png";

fn form(with_file: bool) -> FormState {
    let mut form = FormState {
        prompt: "Image 1 says \"it's\" hi".into(),
        seed_text: "7".into(),
        ..FormState::default()
    };
    if with_file {
        form.references.add_file(LocalFile {
            name: "my cat's.png".into(),
            size: 1_000,
            mime: "image/png".into(),
        });
    } else {
        form.references
            .add_url("https://x.org/dog.jpg", ReferenceKind::Image);
    }
    form
}

fn plan(with_file: bool) -> BatchPlan {
    let v = Variations {
        seed_count: 2,
        seed_mode: SeedMode::CountUp,
        aspect_ratio: Ticked {
            on: true,
            values: vec![AspectRatio::Landscape16x9, AspectRatio::Square1x1],
        },
        ..Variations::default()
    };
    BatchPlan::new(&form(with_file), &v, &mut || 0).unwrap()
}

/// Each run's input as fal should receive it, the file's URL filled in.
fn expected(plan: &BatchPlan) -> Vec<serde_json::Value> {
    plan.runs
        .iter()
        .map(|run| {
            let mut request = run.request.clone();
            if let Some(upload) = request.uploads.first().map(|u| u.reference) {
                request.fill_upload(upload, IMAGE_URL);
            }
            serde_json::from_str(&request.input.to_json()).unwrap()
        })
        .collect()
}

fn printed_inputs(output: std::process::Output) -> Vec<serde_json::Value> {
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("wan-batch-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn python_is_exact() {
    assert_eq!(
        batch_snippet(&plan(false), SnippetLanguage::Python),
        r#"import fal_client

# fal_client reads your key from the FAL_KEY environment variable.

# What every run shares; each run below sets its own values over it.
base = {
    "prompt": "Image 1 says \"it's\" hi",
    "reference_image_urls": [
        "https://x.org/dog.jpg"
    ],
    "aspect_ratio": "16:9",
    "resolution": "1080p",
    "duration": 5,
    "multi_shots": False,
    "enable_safety_checker": True
}
runs = [
    {"aspect_ratio": "16:9", "seed": 7},
    {"aspect_ratio": "1:1", "seed": 7},
    {"aspect_ratio": "16:9", "seed": 8},
    {"aspect_ratio": "1:1", "seed": 8},
]

for run in runs:
    result = fal_client.subscribe(
        "fal-ai/wan/v2.7/reference-to-video",
        arguments={**base, **run},
        with_logs=True,
    )
    print(run, result["video"]["url"])
"#
    );
}

#[test]
fn curl_loop_sends_each_run_through_a_real_shell_and_jq() {
    let plan = plan(true);
    let text = batch_snippet(&plan, SnippetLanguage::Curl);
    assert!(
        text.contains("IMAGE_1_URL=$(echo"),
        "the upload step: {text}"
    );
    // The upload step's own calls are cut: the loop starts at BASE.
    let looped = &text[text.find("BASE=").unwrap()..];
    let script = format!(
        "curl() {{ while [ \"$1\" != --data ]; do shift; done; printf '%s\\n' \"$2\" | jq -c .; }}\n{looped}"
    );
    let output = Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("IMAGE_1_URL", IMAGE_URL)
        .output()
        .expect("sh runs");
    assert_eq!(printed_inputs(output), expected(&plan));
}

#[test]
fn python_loop_runs_with_fal_client_standing_in() {
    let plan = plan(true);
    let dir = temp_dir("py");
    std::fs::write(
        dir.join("fal_client.py"),
        "import json\n\
         def upload_file(name):\n    return 'https://v3.fal.media/files/cat.png'\n\
         def subscribe(endpoint, arguments, with_logs):\n    \
         print(json.dumps(arguments))\n    return {'video': {'url': 'u'}}\n",
    )
    .unwrap();
    let script = batch_snippet(&plan, SnippetLanguage::Python).replace("print(run,", "(run,");
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .env("PYTHONPATH", &dir)
        .output()
        .expect("python3 runs");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(printed_inputs(output), expected(&plan));
}

#[test]
fn javascript_loop_runs_with_the_client_standing_in() {
    let plan = plan(true);
    let dir = temp_dir("js");
    let client = dir.join("node_modules/@fal-ai/client");
    std::fs::create_dir_all(&client).unwrap();
    std::fs::write(
        client.join("package.json"),
        r#"{"name":"@fal-ai/client","type":"module","main":"index.js"}"#,
    )
    .unwrap();
    std::fs::write(
        client.join("index.js"),
        "export const fal = { config() {}, storage: { async upload() { \
         return 'https://v3.fal.media/files/cat.png'; } }, \
         async subscribe(endpoint, { input }) { process.stdout.write(JSON.stringify(input) + '\\n'); \
         return { data: { video: { url: 'u' } } }; } };\n",
    )
    .unwrap();
    std::fs::write(dir.join("my cat's.png"), b"png").unwrap();
    let script = batch_snippet(&plan, SnippetLanguage::JavaScript)
        .replace("console.log(run, result.data.video.url);", "");
    std::fs::write(dir.join("batch.mjs"), script).unwrap();
    let output = Command::new("node")
        .arg("batch.mjs")
        .current_dir(Path::new(&dir))
        .output()
        .expect("node runs");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(printed_inputs(output), expected(&plan));
}

#[test]
fn json_lists_every_run_complete() {
    let plan = plan(false);
    let text = batch_snippet(&plan, SnippetLanguage::Json);
    let list: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(list, expected(&plan));
}

#[test]
fn prompt_variants_are_listed_per_run_and_one_run_is_the_single_snippet() {
    let v = Variations {
        prompt_variants: PromptVariants {
            on: true,
            text: "Image 1 walks\nImage 1 runs".into(),
        },
        ..Variations::default()
    };
    let plan = BatchPlan::new(&form(false), &v, &mut || 0).unwrap();
    let js = batch_snippet(&plan, SnippetLanguage::JavaScript);
    assert!(
        js.contains("  {prompt: \"Image 1 walks\"},\n  {prompt: \"Image 1 runs\"},\n"),
        "{js}"
    );
    assert!(js.contains("  seed: 7,\n"), "the seed is shared: {js}");

    let one = BatchPlan::new(&form(false), &Variations::default(), &mut || 0).unwrap();
    for language in SnippetLanguage::ALL {
        assert_eq!(
            batch_snippet(&one, language),
            snippet(&form(false).request(), language)
        );
    }
}

#[test]
fn no_language_carries_a_key() {
    for language in SnippetLanguage::ALL {
        let text = batch_snippet(&plan(true), language);
        for (at, _) in text.match_indices("Key ") {
            assert!(text[at..].starts_with("Key $FAL_KEY"), "{text}");
        }
        assert!(!text.contains("bench-secret") && !text.to_lowercase().contains("secret"));
    }
}
