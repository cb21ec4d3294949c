//! The variations in a share link, beside the form's own keys
//! ([`crate::core::form::share_link`]): a link can carry how a batch was
//! set up, never its results or any key.
//!
//! A link is text from anyone, so reading it is bounded and checked: an
//! overlong query is not read at all, at most [`RUNS_MAX`] values per list,
//! seeds only 1 to 8, prompts only within fal's length, and every value
//! dropped is named in a sentence the person sees. Only ticked settings
//! are written, so reading one back ticks exactly those.

use crate::core::batch::variations::{
    all_durations, PromptVariants, SeedMode, Ticked, Variations, MULTI_SHOT_VALUES, RUNS_MAX,
    SEEDS_MAX,
};
use crate::core::model::schema::{AspectRatio, DurationSeconds, Resolution, PROMPT_MAX_CHARS};
use crate::core::model::validation::char_count;
use crate::core::url::query_string::{build_query, parse_query};

/// Longest query read for variations: 16 prompts of 5000 characters,
/// percent-encoded, fit; anything longer was not made by this studio.
pub const QUERY_MAX_BYTES: usize = 16 * 5_000 * 9 + 4_096;

/// Most sentences about what was left out: a hostile link with thousands of
/// bad values gets a short list, not a page of them.
const PROBLEMS_SHOWN: usize = 8;

const SEEDS: &str = "v_seeds";
const SEED_MODE: &str = "v_seed_mode";
const ASPECT_RATIO: &str = "v_aspect_ratio";
const RESOLUTION: &str = "v_resolution";
const DURATION: &str = "v_duration";
const MULTI_SHOT: &str = "v_multi_shot";
const PROMPT: &str = "v_prompt";

/// Every key the variations use, for removing them from the page's query
/// once applied (as `share_link::query_without_share` does for its own).
pub const KEYS: [&str; 7] = [
    SEEDS,
    SEED_MODE,
    ASPECT_RATIO,
    RESOLUTION,
    DURATION,
    MULTI_SHOT,
    PROMPT,
];

/// The query pairs (without `?`) for `variations`, to append to the form's
/// share query with `&`; empty for a single run.
pub fn variations_query(variations: &Variations) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if variations.seed_count > 1 {
        pairs.push((SEEDS, variations.seed_count.to_string()));
        let mode = match variations.seed_mode {
            SeedMode::Random => "random",
            SeedMode::CountUp => "count",
        };
        pairs.push((SEED_MODE, mode.to_string()));
    }
    let list = |values: Vec<String>| values.join(",");
    if variations.aspect_ratio.on {
        let values = variations.aspect_ratio.in_order(&AspectRatio::ALL);
        pairs.push((
            ASPECT_RATIO,
            list(values.iter().map(|v| v.as_str().into()).collect()),
        ));
    }
    if variations.resolution.on {
        let values = variations.resolution.in_order(&Resolution::ALL);
        pairs.push((
            RESOLUTION,
            list(values.iter().map(|v| v.as_str().into()).collect()),
        ));
    }
    if variations.duration.on {
        let values = variations.duration.in_order(&all_durations());
        pairs.push((
            DURATION,
            list(values.iter().map(|v| v.seconds().to_string()).collect()),
        ));
    }
    if variations.multi_shot.on {
        let values = variations.multi_shot.in_order(&MULTI_SHOT_VALUES);
        pairs.push((
            MULTI_SHOT,
            list(values.iter().map(|v| u8::from(*v).to_string()).collect()),
        ));
    }
    if variations.prompt_variants.on {
        for prompt in variations.prompt_variants.prompts() {
            pairs.push((PROMPT, prompt.to_string()));
        }
        if variations.prompt_variants.prompts().is_empty() {
            pairs.push((PROMPT, String::new()));
        }
    }
    build_query(pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

/// Variations read from a link, and a sentence for each thing left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedVariations {
    pub variations: Variations,
    pub problems: Vec<String>,
}

/// Reads the variations in a page's query; `None` when it has none.
pub fn read_variations_query(query: &str) -> Option<OpenedVariations> {
    if query.len() > QUERY_MAX_BYTES {
        let has_keys = KEYS.iter().any(|k| query.contains(k));
        return has_keys.then(|| OpenedVariations {
            variations: Variations::default(),
            problems: vec![
                "This link is too long to be one the studio made, so its variations were left \
                 out."
                    .to_string(),
            ],
        });
    }
    let pairs: Vec<(String, String)> = parse_query(query)
        .into_iter()
        .filter(|(k, _)| KEYS.contains(&k.as_str()))
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let mut v = Variations::default();
    let mut problems = Vec::new();
    let mut prompts: Vec<String> = Vec::new();
    for (key, value) in &pairs {
        match key.as_str() {
            SEEDS => match value.trim().parse::<u32>() {
                Ok(n) if (1..=SEEDS_MAX).contains(&n) => v.seed_count = n,
                _ => problems.push(format!(
                    "“{}” is not 1 to {SEEDS_MAX} seeds, so one seed is used.",
                    shorten(value)
                )),
            },
            SEED_MODE => match value.trim() {
                "random" => v.seed_mode = SeedMode::Random,
                "count" => v.seed_mode = SeedMode::CountUp,
                other => problems.push(format!(
                    "“{}” is not a way of choosing seeds, so they are random.",
                    shorten(other)
                )),
            },
            ASPECT_RATIO => {
                v.aspect_ratio = ticked(value, "aspect ratio", &mut problems, |s| {
                    AspectRatio::from_wire(s)
                })
            }
            RESOLUTION => {
                v.resolution = ticked(value, "resolution", &mut problems, |s| {
                    Resolution::from_wire(s)
                })
            }
            DURATION => {
                v.duration = ticked(value, "duration", &mut problems, |s| {
                    s.parse().ok().and_then(DurationSeconds::new)
                })
            }
            MULTI_SHOT => {
                v.multi_shot = ticked(value, "multi-shot value", &mut problems, |s| match s {
                    "0" => Some(false),
                    "1" => Some(true),
                    _ => None,
                })
            }
            _ => {
                v.prompt_variants.on = true;
                // One prompt per line: a line break inside one would split it.
                let prompt = value.split_whitespace().collect::<Vec<_>>().join(" ");
                if prompt.is_empty() {
                    continue;
                }
                if prompts.len() >= RUNS_MAX {
                    problems.push(format!(
                        "The link has more than {RUNS_MAX} prompt variants; the rest were left out."
                    ));
                } else if char_count(&prompt) > PROMPT_MAX_CHARS {
                    problems.push(format!(
                        "A prompt variant longer than {PROMPT_MAX_CHARS} characters was left out."
                    ));
                } else {
                    prompts.push(prompt);
                }
            }
        }
    }
    problems.dedup();
    if problems.len() > PROBLEMS_SHOWN {
        let more = problems.len() - (PROBLEMS_SHOWN - 1);
        problems.truncate(PROBLEMS_SHOWN - 1);
        problems.push(format!("{more} more values in the link were left out."));
    }
    v.prompt_variants = PromptVariants {
        on: v.prompt_variants.on,
        text: prompts.join("\n"),
    };
    Some(OpenedVariations {
        variations: v,
        problems,
    })
}

/// A ticked setting from a comma-separated list; unknown values are named
/// once each and dropped, and at most [`RUNS_MAX`] are looked at.
fn ticked<T: PartialEq>(
    list: &str,
    noun: &str,
    problems: &mut Vec<String>,
    parse: impl Fn(&str) -> Option<T>,
) -> Ticked<T> {
    let mut values = Vec::new();
    for item in list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .take(RUNS_MAX)
    {
        match parse(item) {
            Some(value) if !values.contains(&value) => values.push(value),
            Some(_) => {}
            None => problems.push(format!(
                "The {noun} “{}” is not one fal offers, so it was left out.",
                shorten(item)
            )),
        }
    }
    Ticked { on: true, values }
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_round_trips_through_its_query() {
        let v = Variations {
            seed_count: 3,
            seed_mode: SeedMode::CountUp,
            duration: Ticked {
                on: true,
                values: vec![
                    DurationSeconds::new(8).unwrap(),
                    DurationSeconds::new(2).unwrap(),
                ],
            },
            prompt_variants: PromptVariants {
                on: true,
                text: "Image 1 walks & waves\n\nVideo 1 #2, 100%".into(),
            },
            ..Variations::default()
        };
        let query = variations_query(&v);
        assert_eq!(
            query,
            "v_seeds=3&v_seed_mode=count&v_duration=2%2C8&v_prompt=Image%201%20walks%20%26%20waves\
             &v_prompt=Video%201%20%232%2C%20100%25"
        );
        let back = read_variations_query(&format!("r2v=1&prompt=x&{query}")).unwrap();
        assert_eq!(back.problems, Vec::<String>::new());
        assert_eq!(back.variations.seed_count, 3);
        assert_eq!(
            back.variations.duration.values,
            v.duration.in_order(&all_durations())
        );
        assert_eq!(
            back.variations.prompt_variants.prompts(),
            v.prompt_variants.prompts()
        );
        assert!(!back.variations.aspect_ratio.on);
        assert_eq!(variations_query(&Variations::default()), "");
        assert_eq!(read_variations_query("r2v=1&prompt=x"), None);
    }

    #[test]
    fn bad_values_are_dropped_and_named() {
        let opened = read_variations_query(
            "v_seeds=99&v_seed_mode=dice&v_aspect_ratio=16:9,21:9,16:9&v_multi_shot=2",
        )
        .unwrap();
        let v = &opened.variations;
        assert_eq!(v.seed_count, 1);
        assert_eq!(v.aspect_ratio.values, vec![AspectRatio::Landscape16x9]);
        assert!(v.multi_shot.on && v.multi_shot.values.is_empty());
        assert_eq!(
            opened.problems,
            vec![
                "“99” is not 1 to 8 seeds, so one seed is used.",
                "“dice” is not a way of choosing seeds, so they are random.",
                "The aspect ratio “21:9” is not one fal offers, so it was left out.",
                "The multi-shot value “2” is not one fal offers, so it was left out.",
            ]
        );
    }
}
