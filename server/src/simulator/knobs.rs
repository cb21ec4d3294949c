//! Prompt words that steer one simulated job, so a person (or an e2e test
//! driving the real form) can pick an outcome without the control API:
//!
//! | word | effect |
//! |---|---|
//! | `[sim:content-policy]` | result 422 `content_policy_violation`, `loc` `["body","prompt"]` |
//! | `[sim:content-policy-image]` | same, `loc` `["body","reference_image_urls",0]` |
//! | `[sim:content-policy-video]` | same, `loc` `["body","reference_video_urls",0]` |
//! | `[sim:result-422]` | result 422 validation error on `prompt` |
//! | `[sim:result-500]` | result 500 with fal's flat error body |
//! | `[sim:queue=2s]` `[sim:run=500ms]` `[sim:position=4]` | this job's timings |
//!
//! An unknown `[sim:...]` word is refused at submit (422 on `prompt`), so a
//! typo does not silently run the happy path.

use std::time::Duration;

use serde_json::{json, Value};

use crate::units::parse_duration;

/// How a job ends.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Success,
    /// 422 `content_policy_violation` naming the flagged input.
    ContentPolicy {
        loc: Value,
    },
    /// 422 validation error after the run.
    Invalid,
    /// 500 model failure.
    ModelError,
}

/// What the prompt asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Knobs {
    pub outcome: Outcome,
    pub queue: Option<Duration>,
    pub run: Option<Duration>,
    pub queue_position: Option<u32>,
}

/// Reads every `[sim:...]` word in `prompt`.
pub fn parse_knobs(prompt: &str) -> Result<Knobs, String> {
    let mut knobs = Knobs {
        outcome: Outcome::Success,
        queue: None,
        run: None,
        queue_position: None,
    };
    let mut rest = prompt;
    while let Some(start) = rest.find("[sim:") {
        let after = &rest[start + 5..];
        let end = after
            .find(']')
            .ok_or_else(|| "a [sim:...] word is missing its closing ]".to_owned())?;
        let word = after[..end].trim();
        rest = &after[end + 1..];
        let policy = |loc: Value| Outcome::ContentPolicy { loc };
        match word.split_once('=') {
            None => {
                knobs.outcome = match word {
                    "content-policy" => policy(json!(["body", "prompt"])),
                    "content-policy-image" => policy(json!(["body", "reference_image_urls", 0])),
                    "content-policy-video" => policy(json!(["body", "reference_video_urls", 0])),
                    "result-422" => Outcome::Invalid,
                    "result-500" => Outcome::ModelError,
                    _ => return Err(unknown(word)),
                }
            }
            Some(("queue", v)) => knobs.queue = Some(parse_duration(v).map_err(|e| e.to_string())?),
            Some(("run", v)) => knobs.run = Some(parse_duration(v).map_err(|e| e.to_string())?),
            Some(("position", v)) => {
                knobs.queue_position = Some(
                    v.trim()
                        .parse()
                        .map_err(|_| format!("[sim:position={v}] needs a whole number"))?,
                )
            }
            Some(_) => return Err(unknown(word)),
        }
    }
    Ok(knobs)
}

fn unknown(word: &str) -> String {
    format!(
        "unknown simulator word [sim:{word}]; known: content-policy, content-policy-image, \
         content-policy-video, result-422, result-500, queue=<duration>, run=<duration>, \
         position=<n>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_outcomes_and_timings() {
        let k = parse_knobs("a cat [sim:content-policy-image] [sim:run=500ms] [sim:position=4]")
            .unwrap();
        assert_eq!(
            k.outcome,
            Outcome::ContentPolicy {
                loc: json!(["body", "reference_image_urls", 0])
            }
        );
        assert_eq!(k.run, Some(Duration::from_millis(500)));
        assert_eq!(k.queue_position, Some(4));
        assert_eq!(k.queue, None);
        assert_eq!(parse_knobs("plain").unwrap().outcome, Outcome::Success);
        assert_eq!(
            parse_knobs("[sim:result-500]").unwrap().outcome,
            Outcome::ModelError
        );
    }

    #[test]
    fn refuses_unknown_words() {
        assert!(parse_knobs("[sim:content-polcy]")
            .unwrap_err()
            .contains("content-polcy"));
        assert!(parse_knobs("[sim:run=fast]").is_err());
        assert!(parse_knobs("[sim:result-500").is_err());
    }
}
