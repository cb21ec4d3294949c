//! The "Variations" group as kept between visits, so a reload loses nothing
//! the person set up: prompt variants are typed text like the prompt.
//!
//! Unlike the embedding shape ([`super::wire`]), this keeps the group as
//! typed, including what is not valid yet (nine seeds, a 5,001-character
//! variant, three settings ticked) and the values ticked under a setting
//! that is switched off: the checks report those next to their controls
//! after the reload exactly as before it. Written and read by hand through
//! `serde_json::Value` (derived code for this shape would cost more wasm
//! than the logic), versioned so a later change can read old saves on
//! purpose.
//!
//! ```json
//! {"version": 1, "seeds": 2, "seed_mode": "count_up",
//!  "aspect_ratio": {"on": true, "values": ["16:9", "1:1"]},
//!  "prompt_variants": {"on": true, "text": "Image 1 walks\nImage 1 runs"}}
//! ```
//!
//! Storage is this origin's, but another tab, an older build or a person
//! with the developer tools can write anything there: reading is bounded
//! and anything it does not recognise gives the default group.

use serde_json::{json, Map, Value};

use super::variations::{PromptVariants, SeedMode, Ticked, Variations, RUNS_MAX};
use crate::core::model::schema::{AspectRatio, DurationSeconds, Resolution, PROMPT_MAX_CHARS};

/// The version written by this build.
pub const SAVED_VARIATIONS_VERSION: u64 = 1;

/// Most bytes read back. Generous for anything typed (a screenful of
/// variants, each up to fal's prompt length, with JSON escapes), small
/// enough that a corrupted value cannot stall the page.
pub const SAVED_VARIATIONS_MAX_BYTES: usize = 8 * RUNS_MAX * PROMPT_MAX_CHARS;

/// Largest seed count kept as typed; beyond it the field could only have
/// been written by something other than a person.
const SEEDS_KEPT_MAX: u64 = 999;

/// The group as JSON text for storage.
pub fn variations_to_saved_json(v: &Variations) -> String {
    fn ticked<T>(t: &Ticked<T>, wire: impl Fn(&T) -> Value) -> Value {
        json!({"on": t.on, "values": t.values.iter().map(wire).collect::<Vec<_>>()})
    }
    json!({
        "version": SAVED_VARIATIONS_VERSION,
        "seeds": v.seed_count,
        "seed_mode": match v.seed_mode {
            SeedMode::Random => "random",
            SeedMode::CountUp => "count_up",
        },
        "aspect_ratio": ticked(&v.aspect_ratio, |a| json!(a.as_str())),
        "resolution": ticked(&v.resolution, |r| json!(r.as_str())),
        "duration": ticked(&v.duration, |d| json!(d.seconds())),
        "multi_shots": ticked(&v.multi_shot, |m| json!(m)),
        "prompt_variants": {"on": v.prompt_variants.on, "text": v.prompt_variants.text},
    })
    .to_string()
}

/// The group saved by [`variations_to_saved_json`]; `None` (start from the
/// default group) for anything else: too long, not JSON of this shape, or
/// another version.
pub fn variations_from_saved_json(text: &str) -> Option<Variations> {
    if text.len() > SAVED_VARIATIONS_MAX_BYTES {
        return None;
    }
    let value: Value = serde_json::from_str(text).ok()?;
    let object = value.as_object()?;
    if object.get("version")?.as_u64()? != SAVED_VARIATIONS_VERSION {
        return None;
    }
    let seeds = object.get("seeds")?.as_u64()?;
    let prompts = object.get("prompt_variants")?.as_object()?;
    let prompt_text = prompts.get("text")?.as_str()?;
    if prompt_text.len() > SAVED_VARIATIONS_MAX_BYTES {
        return None;
    }
    Some(Variations {
        seed_count: u32::try_from(seeds)
            .ok()
            .filter(|&s| u64::from(s) <= SEEDS_KEPT_MAX)?,
        seed_mode: match object.get("seed_mode")?.as_str()? {
            "random" => SeedMode::Random,
            "count_up" => SeedMode::CountUp,
            _ => return None,
        },
        aspect_ratio: ticked(object, "aspect_ratio", |v| {
            v.as_str().and_then(AspectRatio::from_wire)
        })?,
        resolution: ticked(object, "resolution", |v| {
            v.as_str().and_then(Resolution::from_wire)
        })?,
        duration: ticked(object, "duration", |v| {
            v.as_u64()
                .and_then(|s| u8::try_from(s).ok())
                .and_then(DurationSeconds::new)
        })?,
        multi_shot: ticked(object, "multi_shots", Value::as_bool)?,
        prompt_variants: PromptVariants {
            on: prompts.get("on")?.as_bool()?,
            text: prompt_text.to_owned(),
        },
    })
}

/// One swept setting: `{"on": bool, "values": [...]}` with every value one
/// this model offers, each once, and no more than the setting has.
fn ticked<T: PartialEq>(
    object: &Map<String, Value>,
    key: &str,
    read: impl Fn(&Value) -> Option<T>,
) -> Option<Ticked<T>> {
    let setting = object.get(key)?.as_object()?;
    let listed = setting.get("values")?.as_array()?;
    if listed.len() > RUNS_MAX {
        return None;
    }
    let mut values = Vec::with_capacity(listed.len());
    for value in listed {
        let value = read(value)?;
        if !values.contains(&value) {
            values.push(value);
        }
    }
    Some(Ticked {
        on: setting.get("on")?.as_bool()?,
        values,
    })
}

#[cfg(test)]
#[path = "saved_tests.rs"]
mod tests;
