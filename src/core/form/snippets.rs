//! The form's request as code a person can run elsewhere: cURL, Python
//! (`fal_client`), JavaScript (`@fal-ai/client`) and the bare input JSON.
//!
//! The key is always written as the environment variable (`$FAL_KEY`,
//! `process.env.FAL_KEY`; `fal_client` reads `FAL_KEY` itself): the form
//! never holds a key, and a snippet is exactly the kind of text that gets
//! pasted into chats and tickets. Local files appear as an upload step whose
//! result fills their place in the list, the way fal's clients do it.

use crate::core::form::state::{FormRequest, PendingUpload};
use crate::core::model::schema::{R2vInput, ENDPOINT_ID};
use crate::core::model::validation::ReferenceKind;

/// fal's public queue host; snippets always talk to fal directly.
const QUEUE_BASE: &str = "https://queue.fal.run";
/// fal's storage API, for the cURL upload step.
const STORAGE_INITIATE: &str =
    "https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3";
/// fal's clients switch to multipart uploads above this size.
const MULTIPART_THRESHOLD: u64 = 90 * 1024 * 1024;

/// One language of the API view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SnippetLanguage {
    Curl,
    Python,
    JavaScript,
    Json,
}

impl SnippetLanguage {
    /// Every language, in tab order.
    pub const ALL: [SnippetLanguage; 4] = [
        SnippetLanguage::Curl,
        SnippetLanguage::Python,
        SnippetLanguage::JavaScript,
        SnippetLanguage::Json,
    ];

    /// The tab's name.
    pub fn name(self) -> &'static str {
        match self {
            SnippetLanguage::Curl => "cURL",
            SnippetLanguage::Python => "Python",
            SnippetLanguage::JavaScript => "JavaScript",
            SnippetLanguage::Json => "JSON",
        }
    }
}

/// The request in `language`.
pub fn snippet(request: &FormRequest, language: SnippetLanguage) -> String {
    match language {
        SnippetLanguage::Curl => curl(request),
        SnippetLanguage::Python => python(request),
        SnippetLanguage::JavaScript => javascript(request),
        SnippetLanguage::Json => json(request),
    }
}

/// A value in the input: a literal, or a local file's uploaded URL.
enum Value {
    Text(String),
    Number(i64),
    Bool(bool),
    List(Vec<Value>),
    Upload(usize),
}

/// The input's fields in fal's order, with unset optionals left out exactly
/// as `R2vInput`'s serialisation does (a test holds the two together).
fn fields(request: &FormRequest) -> Vec<(&'static str, Value)> {
    let input: &R2vInput = &request.input;
    let urls = |kind: ReferenceKind, list: &[String]| {
        list.iter()
            .enumerate()
            .map(|(position, url)| {
                request
                    .uploads
                    .iter()
                    .position(|u| u.label.kind == kind && u.position == position)
                    .map_or_else(|| Value::Text(url.clone()), Value::Upload)
            })
            .collect::<Vec<_>>()
    };
    let mut fields = vec![("prompt", Value::Text(input.prompt.clone()))];
    if !input.reference_image_urls.is_empty() {
        let list = urls(ReferenceKind::Image, &input.reference_image_urls);
        fields.push(("reference_image_urls", Value::List(list)));
    }
    if !input.reference_video_urls.is_empty() {
        let list = urls(ReferenceKind::Video, &input.reference_video_urls);
        fields.push(("reference_video_urls", Value::List(list)));
    }
    if let Some(negative) = &input.negative_prompt {
        fields.push(("negative_prompt", Value::Text(negative.clone())));
    }
    fields.push((
        "aspect_ratio",
        Value::Text(input.aspect_ratio.as_str().into()),
    ));
    fields.push(("resolution", Value::Text(input.resolution.as_str().into())));
    fields.push(("duration", Value::Number(input.duration.seconds().into())));
    fields.push(("multi_shots", Value::Bool(input.multi_shots)));
    if let Some(seed) = input.seed {
        fields.push(("seed", Value::Number(seed)));
    }
    fields.push((
        "enable_safety_checker",
        Value::Bool(input.enable_safety_checker),
    ));
    fields
}

/// How one language writes the input object.
struct Style {
    indent: &'static str,
    quote_keys: bool,
    true_word: &'static str,
    false_word: &'static str,
    /// Writes a string literal (cURL must also escape it for the shell).
    text: fn(&str) -> String,
    upload: fn(&PendingUpload) -> String,
}

/// A JSON string literal, which is also a valid Python and JavaScript one.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("strings always serialise")
}

fn render_value(value: &Value, request: &FormRequest, style: &Style, depth: usize) -> String {
    match value {
        Value::Text(text) => (style.text)(text),
        Value::Number(n) => n.to_string(),
        Value::Bool(true) => style.true_word.into(),
        Value::Bool(false) => style.false_word.into(),
        Value::Upload(index) => (style.upload)(&request.uploads[*index]),
        Value::List(items) => {
            let inner = style.indent.repeat(depth + 1);
            let lines: Vec<String> = items
                .iter()
                .map(|item| format!("{inner}{}", render_value(item, request, style, depth + 1)))
                .collect();
            format!("[\n{}\n{}]", lines.join(",\n"), style.indent.repeat(depth))
        }
    }
}

/// The input object, its first line unindented and the rest at `depth`.
fn render_object(request: &FormRequest, style: &Style, depth: usize) -> String {
    let inner = style.indent.repeat(depth + 1);
    let lines: Vec<String> = fields(request)
        .iter()
        .map(|(key, value)| {
            let key = if style.quote_keys {
                (style.text)(key)
            } else {
                (*key).to_string()
            };
            let value = render_value(value, request, style, depth + 1);
            format!("{inner}{key}: {value}")
        })
        .collect();
    format!(
        "{{\n{}\n{}}}",
        lines.join(",\n"),
        style.indent.repeat(depth)
    )
}

/// "image_1", "video_2": the upload's name in variables.
fn variable_stem(upload: &PendingUpload) -> String {
    let kind = match upload.label.kind {
        ReferenceKind::Image => "image",
        ReferenceKind::Video => "video",
    };
    format!("{kind}_{}", upload.label.number)
}

fn python_variable(upload: &PendingUpload) -> String {
    format!("{}_url", variable_stem(upload))
}

fn javascript_variable(upload: &PendingUpload) -> String {
    let kind = match upload.label.kind {
        ReferenceKind::Image => "image",
        ReferenceKind::Video => "video",
    };
    format!("{kind}{}Url", upload.label.number)
}

fn shell_variable(upload: &PendingUpload) -> String {
    format!("{}_URL", variable_stem(upload).to_ascii_uppercase())
}

/// `text` as one single-quoted shell word.
fn shell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn any_multipart(request: &FormRequest) -> bool {
    request
        .uploads
        .iter()
        .any(|u| u.file.size > MULTIPART_THRESHOLD)
}

fn curl(request: &FormRequest) -> String {
    let mut out = String::new();
    if !request.uploads.is_empty() {
        out.push_str("# Local files go to fal storage first (this uses jq to read the answers).\n");
        if any_multipart(request) {
            out.push_str(
                "# fal's own clients upload files over 90 MiB in parts; a single PUT is shown.\n",
            );
        }
        for upload in &request.uploads {
            let file = &upload.file;
            let variable = shell_variable(upload);
            let answer = format!("{}_UPLOAD", variable_stem(upload).to_ascii_uppercase());
            let body = format!(
                "{{\"content_type\": {}, \"file_name\": {}}}",
                quoted(&file.mime),
                quoted(&file.name)
            );
            out.push_str(&format!(
                "{answer}=$(curl --silent --request POST \\\n  \
                 --url \"{STORAGE_INITIATE}\" \\\n  \
                 --header \"Authorization: Key $FAL_KEY\" \\\n  \
                 --header \"Content-Type: application/json\" \\\n  \
                 --data {})\n\
                 curl --silent --request PUT \\\n  \
                 --url \"$(echo \"${answer}\" | jq -r .upload_url)\" \\\n  \
                 --header {} \\\n  \
                 --data-binary {}\n\
                 {variable}=$(echo \"${answer}\" | jq -r .file_url)\n\n",
                shell_quoted(&body),
                shell_quoted(&format!("Content-Type: {}", file.mime)),
                shell_quoted(&format!("@{}", file.name)),
            ));
        }
    }
    let style = Style {
        indent: "  ",
        quote_keys: true,
        true_word: "true",
        false_word: "false",
        // The body is one single-quoted shell word: a quote inside a string
        // closes it, adds an escaped quote and reopens it.
        text: |t| quoted(t).replace('\'', r"'\''"),
        // An uploaded URL closes the word, splices the variable, reopens.
        upload: |u| format!("\"'\"${}\"'\"", shell_variable(u)),
    };
    let body = render_object(request, &style, 0);
    out.push_str(&format!(
        "curl --request POST \\\n  \
         --url {QUEUE_BASE}/{ENDPOINT_ID} \\\n  \
         --header \"Authorization: Key $FAL_KEY\" \\\n  \
         --header \"Content-Type: application/json\" \\\n  \
         --data '{body}'\n"
    ));
    out
}

fn python(request: &FormRequest) -> String {
    let mut out = String::from(
        "import fal_client\n\n# fal_client reads your key from the FAL_KEY environment variable.\n",
    );
    if !request.uploads.is_empty() {
        out.push_str("# Local files go to fal storage first.\n");
        for upload in &request.uploads {
            out.push_str(&format!(
                "{} = fal_client.upload_file({})\n",
                python_variable(upload),
                quoted(&upload.file.name)
            ));
        }
    }
    let style = Style {
        indent: "    ",
        quote_keys: true,
        true_word: "True",
        false_word: "False",
        text: quoted,
        upload: python_variable,
    };
    out.push_str(&format!(
        "\nresult = fal_client.subscribe(\n    {},\n    arguments={},\n    with_logs=True,\n)\n\
         print(result[\"video\"][\"url\"])\n",
        quoted(ENDPOINT_ID),
        render_object(request, &style, 1)
    ));
    out
}

fn javascript(request: &FormRequest) -> String {
    let mut out = String::from("import { fal } from \"@fal-ai/client\";\n");
    if !request.uploads.is_empty() {
        out.push_str("import { readFile } from \"node:fs/promises\";\n");
    }
    out.push_str("\nfal.config({ credentials: process.env.FAL_KEY });\n");
    if !request.uploads.is_empty() {
        out.push_str("\n// Local files go to fal storage first.\n");
        for upload in &request.uploads {
            out.push_str(&format!(
                "const {} = await fal.storage.upload(\n  new Blob([await readFile({})], {{ type: {} }}),\n);\n",
                javascript_variable(upload),
                quoted(&upload.file.name),
                quoted(&upload.file.mime)
            ));
        }
    }
    let style = Style {
        indent: "  ",
        quote_keys: false,
        true_word: "true",
        false_word: "false",
        text: quoted,
        upload: javascript_variable,
    };
    out.push_str(&format!(
        "\nconst result = await fal.subscribe({}, {{\n  input: {},\n  logs: true,\n}});\n\
         console.log(result.data.video.url);\n",
        quoted(ENDPOINT_ID),
        render_object(request, &style, 1)
    ));
    out
}

/// The placeholder the JSON view shows where an upload's URL will go.
pub fn upload_placeholder(upload: &PendingUpload) -> String {
    format!("<fal storage URL of {}>", upload.file.name)
}

fn json(request: &FormRequest) -> String {
    let style = Style {
        indent: "  ",
        quote_keys: true,
        true_word: "true",
        false_word: "false",
        text: quoted,
        upload: |u| quoted(&upload_placeholder(u)),
    };
    render_object(request, &style, 0) + "\n"
}

#[cfg(test)]
#[path = "snippets_tests.rs"]
mod tests;
