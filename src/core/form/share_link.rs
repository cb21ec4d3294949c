//! Share links: the form's settings in a URL's query, so a person can send
//! someone else (or their other device) the exact request they built.
//!
//! Only what can travel in a URL goes in: the prompts, the options and the
//! references that are web URLs. Local files cannot (they would have to be
//! uploaded first), and the fal key never does: the link is built from the
//! model input alone, which has no place for a key, and reading a link
//! looks only at the keys listed here.
//!
//! `r2v=1` marks a link and its format version, so a later format can be
//! told apart; a link from a newer studio still loads what this one knows.

use crate::core::form::state::FormRequest;
use crate::core::model::schema::{AspectRatio, DurationSeconds, R2vInput, Resolution};
use crate::core::url::is_web_url;
use crate::core::url::query_string::{build_query, parse_query, without_keys};

/// The key marking a share link; its value is the link format's version.
pub const MARKER: &str = "r2v";
/// The link format this studio writes.
pub const LINK_VERSION: u32 = 1;

const PROMPT: &str = "prompt";
const NEGATIVE_PROMPT: &str = "negative_prompt";
const ASPECT_RATIO: &str = "aspect_ratio";
const RESOLUTION: &str = "resolution";
const DURATION: &str = "duration";
const MULTI_SHOTS: &str = "multi_shots";
const SEED: &str = "seed";
const SAFETY_CHECKER: &str = "enable_safety_checker";
const IMAGE: &str = "image";
const VIDEO: &str = "video";

/// Every key a share link may carry; the rest of a query (say `embed=1`)
/// belongs to someone else and is left alone.
pub const KEYS: [&str; 11] = [
    MARKER,
    PROMPT,
    NEGATIVE_PROMPT,
    ASPECT_RATIO,
    RESOLUTION,
    DURATION,
    MULTI_SHOTS,
    SEED,
    SAFETY_CHECKER,
    IMAGE,
    VIDEO,
];

/// What "Copy share link" puts in the link, and what it had to leave out.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedSettings {
    pub input: R2vInput,
    /// References that are local files: a URL cannot carry them.
    pub left_out_files: usize,
}

impl SharedSettings {
    /// The settings of the form's current request. Local files are still
    /// empty slots in the request (they are uploaded at Generate); they are
    /// dropped and counted.
    pub fn from_request(request: &FormRequest) -> Self {
        let mut input = request.input.clone();
        input.reference_image_urls.retain(|url| !url.is_empty());
        input.reference_video_urls.retain(|url| !url.is_empty());
        Self {
            input,
            left_out_files: request.uploads.len(),
        }
    }

    /// What to tell the person next to the copied link, if anything.
    pub fn left_out_note(&self) -> Option<String> {
        match self.left_out_files {
            0 => None,
            1 => Some(
                "1 reference is a file on this device, so it is not in the link: add it again \
                 after opening the link, or add it by URL."
                    .into(),
            ),
            n => Some(format!(
                "{n} references are files on this device, so they are not in the link: add them \
                 again after opening the link, or add them by URL."
            )),
        }
    }
}

/// The query (without `?`) describing `input`. Options at fal's defaults
/// are still written, so the link means the same thing if defaults change.
pub fn share_query(input: &R2vInput) -> String {
    let version = LINK_VERSION.to_string();
    let duration = input.duration.seconds().to_string();
    let seed = input.seed.map(|s| s.to_string());
    let mut pairs: Vec<(&str, &str)> = vec![(MARKER, &version), (PROMPT, &input.prompt)];
    if let Some(negative) = input.negative_prompt.as_deref().filter(|n| !n.is_empty()) {
        pairs.push((NEGATIVE_PROMPT, negative));
    }
    pairs.extend([
        (ASPECT_RATIO, input.aspect_ratio.as_str()),
        (RESOLUTION, input.resolution.as_str()),
        (DURATION, &duration),
        (MULTI_SHOTS, flag(input.multi_shots)),
        (SAFETY_CHECKER, flag(input.enable_safety_checker)),
    ]);
    if let Some(seed) = &seed {
        pairs.push((SEED, seed));
    }
    pairs.extend(
        input
            .reference_image_urls
            .iter()
            .map(|u| (IMAGE, u.as_str())),
    );
    pairs.extend(
        input
            .reference_video_urls
            .iter()
            .map(|u| (VIDEO, u.as_str())),
    );
    build_query(pairs)
}

fn flag(on: bool) -> &'static str {
    if on {
        "1"
    } else {
        "0"
    }
}

/// The link to this page with `input` in its query. `page_url` is where
/// the studio is open (any sub-path); its own query and fragment are
/// dropped, so the link carries nothing else from this session.
pub fn share_url(page_url: &str, input: &R2vInput) -> String {
    let end = page_url.find(['?', '#']).unwrap_or(page_url.len());
    format!("{}?{}", &page_url[..end], share_query(input))
}

/// A share link read back: the form to load, and what could not be used.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedLink {
    pub input: R2vInput,
    /// One sentence per setting that was left at its default or dropped.
    pub problems: Vec<String>,
}

/// Reads a page's query. `None` when it is not a share link (no `r2v`
/// marker), so an ordinary visit never touches the form.
pub fn read_share_query(query: &str) -> Option<OpenedLink> {
    let pairs = parse_query(query);
    let version = pairs.iter().find(|(k, _)| k == MARKER)?.1.clone();
    let mut input = R2vInput::default();
    let mut problems = Vec::new();
    if version
        .trim()
        .parse::<u32>()
        .map_or(true, |v| v > LINK_VERSION)
    {
        problems.push(
            "This link was made by a newer version of the studio: settings it does not know \
             were left out."
                .to_string(),
        );
    }
    for (key, value) in &pairs {
        match key.as_str() {
            PROMPT => input.prompt = value.clone(),
            NEGATIVE_PROMPT => {
                input.negative_prompt = (!value.is_empty()).then(|| value.clone());
            }
            ASPECT_RATIO => match AspectRatio::from_wire(value.trim()) {
                Some(ratio) => input.aspect_ratio = ratio,
                None => problems.push(format!(
                    "The aspect ratio “{value}” is not one fal offers; {} is used.",
                    input.aspect_ratio.as_str()
                )),
            },
            RESOLUTION => match Resolution::from_wire(value.trim()) {
                Some(resolution) => input.resolution = resolution,
                None => problems.push(format!(
                    "The resolution “{value}” is not one fal offers; {} is used.",
                    input.resolution.as_str()
                )),
            },
            DURATION => match value.trim().parse().ok().and_then(DurationSeconds::new) {
                Some(duration) => input.duration = duration,
                None => problems.push(format!(
                    "The duration “{value}” is not 2 to 10 seconds; {} s is used.",
                    input.duration.seconds()
                )),
            },
            MULTI_SHOTS => match read_flag(value) {
                Some(on) => input.multi_shots = on,
                None => problems.push(format!("“{value}” is not on or off, so multi-shot is off.")),
            },
            SAFETY_CHECKER => match read_flag(value) {
                Some(on) => input.enable_safety_checker = on,
                None => problems.push(format!(
                    "“{value}” is not on or off, so the safety checker is on."
                )),
            },
            SEED => match value.trim().parse::<i64>() {
                Ok(seed) => input.seed = Some(seed),
                Err(_) => problems.push(format!(
                    "The seed “{value}” is not a whole number, so the seed is random."
                )),
            },
            IMAGE | VIDEO => {
                let kind = if key == IMAGE { "image" } else { "video" };
                let list = if key == IMAGE {
                    &mut input.reference_image_urls
                } else {
                    &mut input.reference_video_urls
                };
                if is_web_url(value) {
                    list.push(value.trim().to_string());
                } else {
                    problems.push(format!(
                        "A reference {kind} “{}” is not a web address (http or https), so it \
                         was left out.",
                        shorten(value)
                    ));
                }
            }
            _ => {}
        }
    }
    Some(OpenedLink { input, problems })
}

fn read_flag(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "on" | "yes" => Some(true),
        "0" | "false" | "off" | "no" => Some(false),
        _ => None,
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text.to_string()
    }
}

/// The page's query once the share link has been applied: its own keys
/// removed (a reload then keeps the person's edits), others (`embed=1`) kept.
pub fn query_without_share(query: &str) -> String {
    without_keys(query, |key| KEYS.contains(&key))
}

#[cfg(test)]
#[path = "share_link_tests.rs"]
mod tests;
