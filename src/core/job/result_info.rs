//! What the result view says about a finished video, and the checks before
//! it is played or downloaded.

use crate::core::model::byte_size::format_bytes;
use crate::core::model::fixed_decimals::fixed;
use crate::core::model::schema::{R2vInput, R2vOutput};
use crate::core::url::is_web_url;

/// The video URL, only if it is an http(s) URL: anything else (a
/// `javascript:` or `data:` URL in a tampered answer) is never played.
pub fn playable_url(output: &R2vOutput) -> Option<&str> {
    let url = output.video.url.trim();
    is_web_url(url).then_some(url)
}

/// What was wrong with a result that did not match the schema, said next
/// to its video: it is still the paid video, shown as fal sent it.
pub fn off_schema_note(output: &R2vOutput) -> Option<String> {
    let off = output.off_schema.as_ref()?;
    Some(format!(
        "fal's answer did not match the model's schema ({}). The video is shown as fal sent \
         it, and the answer is kept with this job in the history.",
        off.problems.join("; ")
    ))
}

/// A download name people can sort and recognise:
/// `wan-r2v-<first 8 of request id>-seed<seed>.<ext>`.
pub fn download_file_name(output: &R2vOutput, request_id: &str) -> String {
    let short: String = request_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let ext = match output.video.content_type.as_deref() {
        Some("video/webm") => "webm",
        Some("video/quicktime") => "mov",
        _ => output
            .video
            .file_name
            .as_deref()
            .and_then(|n| n.rsplit_once('.'))
            .map(|(_, e)| e.to_ascii_lowercase())
            .filter(|e| ["mp4", "webm", "mov"].contains(&e.as_str()))
            .map_or("mp4", |e| match e.as_str() {
                "webm" => "webm",
                "mov" => "mov",
                _ => "mp4",
            }),
    };
    let seed = output
        .seed
        .map_or_else(String::new, |seed| format!("-seed{seed}"));
    if short.is_empty() {
        format!("wan-r2v{seed}.{ext}")
    } else {
        format!("wan-r2v-{short}{seed}.{ext}")
    }
}

/// Facts about the video, as label/value pairs; fal's own numbers first,
/// what was asked for where fal says nothing.
pub fn video_facts(output: &R2vOutput, input: &R2vInput) -> Vec<(&'static str, String)> {
    let v = &output.video;
    let resolution = match (v.width, v.height) {
        (Some(w), Some(h)) => format!("{w}×{h}"),
        _ => format!("{} (requested)", input.resolution.as_str()),
    };
    let duration = match v.duration {
        Some(d) => format!("{} s", fixed(d, 1)),
        None => format!("{} s (requested)", input.duration.seconds()),
    };
    let mut facts = vec![("Resolution", resolution), ("Duration", duration)];
    if let Some(size) = v.file_size {
        facts.push(("File size", format_bytes(size)));
    }
    facts.push((
        "Seed",
        output
            .seed
            .map_or_else(|| "not in fal's answer".into(), |s| s.to_string()),
    ));
    facts
}

/// fal's rewrite of the prompt, when it differs from what was sent.
pub fn rewritten_prompt<'a>(output: &'a R2vOutput, input: &R2vInput) -> Option<&'a str> {
    output
        .actual_prompt
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != input.prompt.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn output(video: serde_json::Value) -> R2vOutput {
        serde_json::from_value(
            json!({"video": video, "seed": 1234, "actual_prompt": "A cat, Image 1, waves."}),
        )
        .unwrap()
    }

    #[test]
    fn only_web_urls_are_playable() {
        assert_eq!(
            playable_url(&output(json!({"url": "https://v3.fal.media/files/o.mp4"}))),
            Some("https://v3.fal.media/files/o.mp4")
        );
        for bad in [
            "javascript:alert(1)",
            "data:video/mp4;base64,AA",
            "file:///x.mp4",
            "",
        ] {
            assert_eq!(playable_url(&output(json!({ "url": bad }))), None, "{bad}");
        }
    }

    #[test]
    fn download_names_carry_request_and_seed() {
        let o = output(json!({"url": "https://x/o", "content_type": "video/mp4"}));
        assert_eq!(
            download_file_name(&o, "764cabcf-b745-4b3e"),
            "wan-r2v-764cabcf-seed1234.mp4"
        );
        let o = output(json!({"url": "https://x/o", "file_name": "clip.WEBM"}));
        assert_eq!(
            download_file_name(&o, "ab/../cd"),
            "wan-r2v-abcd-seed1234.webm"
        );
        let o = output(json!({"url": "https://x/o"}));
        assert_eq!(download_file_name(&o, ""), "wan-r2v-seed1234.mp4");
    }

    #[test]
    fn facts_prefer_fals_numbers() {
        let input = R2vInput {
            prompt: "A cat waves".into(),
            ..R2vInput::default()
        };
        let o = output(
            json!({"url": "https://x/o", "width": 1920, "height": 1080, "duration": 5.04, "file_size": 4_404_019}),
        );
        let facts = video_facts(&o, &input);
        assert_eq!(facts[0], ("Resolution", "1920×1080".into()));
        assert_eq!(facts[1], ("Duration", "5.0 s".into()));
        assert_eq!(facts[2], ("File size", "4.4 MB".into()));
        assert_eq!(facts[3], ("Seed", "1234".into()));
        let bare = video_facts(&output(json!({"url": "https://x/o"})), &input);
        assert_eq!(bare[0].1, "1080p (requested)");
        assert_eq!(bare[1].1, "5 s (requested)");
    }

    #[test]
    fn a_rewritten_prompt_is_shown_only_when_it_differs() {
        let input = R2vInput {
            prompt: "A cat waves".into(),
            ..R2vInput::default()
        };
        let o = output(json!({"url": "https://x/o"}));
        assert_eq!(rewritten_prompt(&o, &input), Some("A cat, Image 1, waves."));
        let same = R2vInput {
            prompt: "A cat, Image 1, waves.".into(),
            ..R2vInput::default()
        };
        assert_eq!(rewritten_prompt(&o, &same), None);
    }
}
