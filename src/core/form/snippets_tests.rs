//! Tests for `snippets.rs`: exact text for each language, the JSON kept in
//! step with `R2vInput`'s serialisation, shell quoting proven by a real
//! shell, and no key-like text anywhere.

use super::*;
use crate::core::form::state::FormState;
use crate::core::model::reference_media::LocalFile;
use crate::core::model::schema::{AspectRatio, DurationSeconds, Resolution};

fn plain_form() -> FormState {
    FormState {
        prompt: "A koala walks".into(),
        ..FormState::default()
    }
}

/// A form with every kind of value: a local image, a URL image, a local
/// video, a negative prompt, a seed and a prompt that needs quoting.
fn full_form() -> FormState {
    let mut form = FormState {
        prompt: "Image 1 says \"it's Video 1\"\nthen waves".into(),
        negative_prompt: "blur".into(),
        aspect_ratio: AspectRatio::Portrait9x16,
        resolution: Resolution::P720,
        duration: DurationSeconds::new(8).unwrap(),
        multi_shots: true,
        seed_text: "42".into(),
        safety_checker: false,
        ..FormState::default()
    };
    form.references.add_file(LocalFile {
        name: "my cat's.png".into(),
        size: 1_000,
        mime: "image/png".into(),
    });
    form.references
        .add_url("https://x.org/dog.jpg", ReferenceKind::Image);
    form.references.add_file(LocalFile {
        name: "clip.mp4".into(),
        size: 2_000,
        mime: "video/mp4".into(),
    });
    form
}

#[test]
fn curl_is_exact() {
    assert_eq!(
        snippet(&plain_form().request(), SnippetLanguage::Curl),
        r#"curl --request POST \
  --url https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video \
  --header "Authorization: Key $FAL_KEY" \
  --header "Content-Type: application/json" \
  --data '{
  "prompt": "A koala walks",
  "aspect_ratio": "16:9",
  "resolution": "1080p",
  "duration": 5,
  "multi_shots": false,
  "enable_safety_checker": true
}'
"#
    );
}

#[test]
fn curl_uploads_local_files_first() {
    let text = snippet(&full_form().request(), SnippetLanguage::Curl);
    let expected_upload = r#"IMAGE_1_UPLOAD=$(curl --silent --request POST \
  --url "https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3" \
  --header "Authorization: Key $FAL_KEY" \
  --header "Content-Type: application/json" \
  --data '{"content_type": "image/png", "file_name": "my cat'\''s.png"}')
curl --silent --request PUT \
  --url "$(echo "$IMAGE_1_UPLOAD" | jq -r .upload_url)" \
  --header 'Content-Type: image/png' \
  --data-binary '@my cat'\''s.png'
IMAGE_1_URL=$(echo "$IMAGE_1_UPLOAD" | jq -r .file_url)
"#;
    assert!(text.contains(expected_upload), "{text}");
    assert!(text.contains("VIDEO_1_URL=$(echo \"$VIDEO_1_UPLOAD\" | jq -r .file_url)"));
    assert!(text.contains(
        r#"  "reference_image_urls": [
    "'"$IMAGE_1_URL"'",
    "https://x.org/dog.jpg"
  ],"#
    ));
    assert!(
        !text.contains("in parts"),
        "no multipart note for small files"
    );
}

/// Runs the cURL snippet's body through a real shell, with the upload
/// variables set, and reads back the JSON curl would have sent.
fn body_as_the_shell_sees_it(text: &str, env: &[(&str, &str)]) -> serde_json::Value {
    let submit = &text[text.rfind("curl --request POST").unwrap()..];
    let data = &submit[submit.find("--data ").unwrap() + "--data ".len()..];
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("printf '%s' {data}"))
        .envs(env.iter().copied())
        .output()
        .expect("sh runs");
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("the shell's output is JSON")
}

#[test]
fn curl_quoting_survives_a_real_shell() {
    let form = full_form();
    let text = snippet(&form.request(), SnippetLanguage::Curl);
    let sent = body_as_the_shell_sees_it(
        &text,
        &[
            ("IMAGE_1_URL", "https://v3.fal.media/files/cat.png"),
            ("VIDEO_1_URL", "https://v3.fal.media/files/clip.mp4"),
        ],
    );
    let mut request = form.request();
    let ids: Vec<_> = request.uploads.iter().map(|u| u.reference).collect();
    request.fill_upload(ids[0], "https://v3.fal.media/files/cat.png");
    request.fill_upload(ids[1], "https://v3.fal.media/files/clip.mp4");
    let expected: serde_json::Value = serde_json::from_str(&request.input.to_json()).unwrap();
    assert_eq!(sent, expected);
    assert_eq!(sent["prompt"], "Image 1 says \"it's Video 1\"\nthen waves");
}

#[test]
fn python_is_exact() {
    assert_eq!(
        snippet(&full_form().request(), SnippetLanguage::Python),
        r#"import fal_client

# fal_client reads your key from the FAL_KEY environment variable.
# Local files go to fal storage first.
image_1_url = fal_client.upload_file("my cat's.png")
video_1_url = fal_client.upload_file("clip.mp4")

result = fal_client.subscribe(
    "fal-ai/wan/v2.7/reference-to-video",
    arguments={
        "prompt": "Image 1 says \"it's Video 1\"\nthen waves",
        "reference_image_urls": [
            image_1_url,
            "https://x.org/dog.jpg"
        ],
        "reference_video_urls": [
            video_1_url
        ],
        "negative_prompt": "blur",
        "aspect_ratio": "9:16",
        "resolution": "720p",
        "duration": 8,
        "multi_shots": True,
        "seed": 42,
        "enable_safety_checker": False
    },
    with_logs=True,
)
print(result["video"]["url"])
"#
    );
}

#[test]
fn javascript_is_exact() {
    assert_eq!(
        snippet(&full_form().request(), SnippetLanguage::JavaScript),
        r#"import { fal } from "@fal-ai/client";
import { readFile } from "node:fs/promises";

fal.config({ credentials: process.env.FAL_KEY });

// Local files go to fal storage first.
const image1Url = await fal.storage.upload(
  new Blob([await readFile("my cat's.png")], { type: "image/png" }),
);
const video1Url = await fal.storage.upload(
  new Blob([await readFile("clip.mp4")], { type: "video/mp4" }),
);

const result = await fal.subscribe("fal-ai/wan/v2.7/reference-to-video", {
  input: {
    prompt: "Image 1 says \"it's Video 1\"\nthen waves",
    reference_image_urls: [
      image1Url,
      "https://x.org/dog.jpg"
    ],
    reference_video_urls: [
      video1Url
    ],
    negative_prompt: "blur",
    aspect_ratio: "9:16",
    resolution: "720p",
    duration: 8,
    multi_shots: true,
    seed: 42,
    enable_safety_checker: false
  },
  logs: true,
});
console.log(result.data.video.url);
"#
    );
    let plain = snippet(&plain_form().request(), SnippetLanguage::JavaScript);
    assert!(!plain.contains("readFile"), "no file import without files");
}

#[test]
fn json_is_exactly_what_r2v_input_serialises() {
    let mut form = full_form();
    // Without uploads, the JSON view is byte for byte serde's pretty JSON,
    // which proves the field order and omission rules are the model's.
    let ids: Vec<_> = form.references.items().iter().map(|r| r.id).collect();
    form.references.remove(ids[0]);
    form.references.remove(ids[2]);
    let request = form.request();
    assert!(request.uploads.is_empty());
    assert_eq!(
        snippet(&request, SnippetLanguage::Json),
        serde_json::to_string_pretty(&request.input).unwrap() + "\n"
    );
    let plain = plain_form().request();
    assert_eq!(
        snippet(&plain, SnippetLanguage::Json),
        serde_json::to_string_pretty(&plain.input).unwrap() + "\n"
    );

    let with_uploads = snippet(&full_form().request(), SnippetLanguage::Json);
    assert!(with_uploads.contains("\"<fal storage URL of my cat's.png>\""));
    let value: serde_json::Value = serde_json::from_str(&with_uploads).unwrap();
    assert_eq!(
        value["reference_video_urls"][0],
        "<fal storage URL of clip.mp4>"
    );
}

#[test]
fn large_files_get_a_multipart_note() {
    let mut form = plain_form();
    form.references.add_file(LocalFile {
        name: "long.mp4".into(),
        size: 95 * 1024 * 1024,
        mime: "video/mp4".into(),
    });
    let text = snippet(&form.request(), SnippetLanguage::Curl);
    assert!(text.contains("over 90 MiB in parts"));
}

/// Anything that looks like a fal key: `key_id:key_secret` with long hex or
/// UUID parts, or an Authorization value that is not the variable.
fn looks_like_a_key(text: &str) -> Option<String> {
    let is_keyish = |c: char| c.is_ascii_hexdigit() || c == '-';
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':')) {
        if let Some((id, secret)) = word.split_once(':') {
            if id.len() >= 8 && secret.len() >= 16 && id.chars().all(is_keyish) {
                return Some(word.to_string());
            }
        }
        if word.len() >= 32 && word.chars().all(is_keyish) {
            return Some(word.to_string());
        }
    }
    text.match_indices("Key ")
        .map(|(i, _)| &text[i + 4..])
        .find(|rest| !rest.starts_with("$FAL_KEY"))
        .map(|rest| rest.chars().take(20).collect())
}

#[test]
fn no_snippet_contains_a_key() {
    for form in [plain_form(), full_form()] {
        let request = form.request();
        for language in SnippetLanguage::ALL {
            let text = snippet(&request, language);
            assert_eq!(looks_like_a_key(&text), None, "{language:?}: {text}");
        }
        assert!(snippet(&request, SnippetLanguage::Curl).contains("Authorization: Key $FAL_KEY"));
        assert!(snippet(&request, SnippetLanguage::JavaScript)
            .contains("fal.config({ credentials: process.env.FAL_KEY });"));
    }
    // The detector itself finds a real-looking key.
    let fake = "Authorization: Key 1b2c3d4e-aaaa-bbbb-cccc-123456789abc:0123456789abcdef0123";
    assert!(looks_like_a_key(fake).is_some());
    assert!(looks_like_a_key("fal.config({ credentials: \"abc\" })").is_none());
}

#[test]
fn languages_are_named_for_their_tabs() {
    let names: Vec<_> = SnippetLanguage::ALL.iter().map(|l| l.name()).collect();
    assert_eq!(names, vec!["cURL", "Python", "JavaScript", "JSON"]);
}
