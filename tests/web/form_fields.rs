//! The request form's fields: counters, messages after blur or Generate,
//! the duration pair, the seed's dice and lock, the safety confirmation and
//! what Generate hands over.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use super::form_support::*;

#[wasm_bindgen_test]
async fn counters_count_characters_live() {
    let form = fresh_form("test.form.counters").await;
    let host = &form.host;
    assert_eq!(text_at(host, ".counter"), "0 / 5000");

    // "é" is 2 bytes and "🎬" 4 in UTF-8 (2 units in UTF-16): fal counts 1 each.
    type_into(&control(host, "Prompt"), "é🎬 ok");
    settle().await;
    let counters: Vec<String> = (0..2)
        .map(|i| {
            let list = host.query_selector_all(".counter").unwrap();
            list.item(i).unwrap().text_content().unwrap()
        })
        .collect();
    assert_eq!(counters, vec!["5 / 5000", "0 / 500"]);

    type_into(&control(host, "Negative prompt"), &"n".repeat(501));
    settle().await;
    let negative = host
        .query_selector_all(".counter")
        .unwrap()
        .item(1)
        .unwrap();
    assert_eq!(negative.text_content().unwrap(), "501 / 500");
    assert!(negative
        .unchecked_into::<web_sys::Element>()
        .class_list()
        .contains("is-over"));
}

#[wasm_bindgen_test]
async fn messages_appear_after_the_field_is_left() {
    let form = fresh_form("test.form.blur").await;
    let host = &form.host;
    let prompt = control(host, "Prompt");
    assert_eq!(
        message_for(host, "Prompt"),
        "",
        "nothing before the field is visited"
    );
    assert_eq!(prompt.get_attribute("aria-invalid"), None);

    blur(&prompt);
    settle().await;
    assert_eq!(
        message_for(host, "Prompt"),
        "Describe the video you want: the prompt is required."
    );
    assert_eq!(
        prompt.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );

    type_into(&prompt, "A koala walks");
    settle().await;
    assert_eq!(message_for(host, "Prompt"), "");
    assert_eq!(prompt.get_attribute("aria-invalid"), None);

    let seed = control(host, "Seed");
    type_into(&seed, "12a");
    settle().await;
    assert_eq!(
        message_for(host, "Seed"),
        "",
        "the seed box was not left yet"
    );
    blur(&seed);
    settle().await;
    assert_eq!(
        message_for(host, "Seed"),
        "The seed must be a whole number from 0 to 2147483647, or empty for a random one."
    );
}

#[wasm_bindgen_test]
async fn generate_on_an_invalid_form_sends_nothing_and_says_why() {
    let form = fresh_form("test.form.invalid").await;
    let host = &form.host;
    let generate = control(host, "Generate");
    assert_eq!(
        generate.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    let reason_id = generate.get_attribute("aria-describedby").unwrap();
    let reason = text_at(host, &format!("[id='{reason_id}']"));
    assert_eq!(
        reason,
        "Not ready: Describe the video you want: the prompt is required."
    );
    let summary = host.query_selector(".summary").unwrap().unwrap();
    assert!(summary.has_attribute("hidden"), "no summary before a press");

    type_into(&control(host, "Seed"), "-1");
    settle().await;
    let reason_now = || text_at(host, &format!("[id='{reason_id}']"));
    assert_eq!(
        reason_now(),
        "Not ready: Describe the video you want: the prompt is required. (and 1 more problem)"
    );
    generate.click();
    settle().await;
    assert!(
        form.submissions.with_untracked(Vec::is_empty),
        "nothing sent"
    );
    assert!(!summary.has_attribute("hidden"));
    let listed = summary.text_content().unwrap();
    assert!(
        listed.contains("Prompt: Describe the video you want"),
        "{listed}"
    );
    assert!(listed.contains("Seed: The seed must be"), "{listed}");
    // Every field's message shows after a press, visited or not.
    assert!(message_for(host, "Seed").starts_with("The seed must be"));
    assert_eq!(reason_now(), "Not ready: fix the 2 problems listed above.");
}

#[wasm_bindgen_test]
async fn generate_hands_over_the_request_and_uses_an_unlocked_seed_once() {
    let form = fresh_form("test.form.generate").await;
    let host = &form.host;
    type_into(&control(host, "Prompt"), "A koala walks");
    control(host, "720p").click();
    control(host, "3:4").click();
    press(host, "Multi-shot");
    type_into(&control(host, "Seed"), "42");
    settle().await;
    let generate = control(host, "Generate");
    assert_eq!(generate.get_attribute("aria-disabled"), None);
    generate.click();
    settle().await;

    let input = form
        .submissions
        .with_untracked(|s| s.last().map(|s| s.request.input.clone()))
        .expect("one submission");
    assert_eq!(input.prompt, "A koala walks");
    assert_eq!(input.resolution.as_str(), "720p");
    assert_eq!(input.aspect_ratio.as_str(), "3:4");
    assert!(input.multi_shots);
    assert_eq!(input.seed, Some(42));
    assert!(input.enable_safety_checker);
    assert_eq!(value_of(host, "Seed"), "", "an unlocked seed is used once");

    type_into(&control(host, "Seed"), "7");
    press(host, "Lock seed");
    settle().await;
    assert_eq!(
        control(host, "Lock seed")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    control(host, "Generate").click();
    settle().await;
    assert_eq!(form.submissions.with_untracked(Vec::len), 2);
    assert_eq!(value_of(host, "Seed"), "7", "a locked seed stays");
}

#[wasm_bindgen_test]
async fn the_dice_rolls_a_seed_in_range() {
    let form = fresh_form("test.form.dice").await;
    let host = &form.host;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..5 {
        press(host, "Random seed");
        settle().await;
        let seed: i64 = value_of(host, "Seed").parse().expect("a whole number");
        assert!((0..=2_147_483_647).contains(&seed), "{seed}");
        seen.insert(seed);
    }
    assert!(seen.len() > 1, "five rolls gave one value: {seen:?}");
}

#[wasm_bindgen_test]
async fn duration_slider_and_number_stay_in_step() {
    let form = fresh_form("test.form.duration").await;
    let host = &form.host;
    let slider = control(host, "Duration");
    let number = control(host, "Duration in seconds");
    assert_eq!(value_of(host, "Duration"), "5");
    assert_eq!(value_of(host, "Duration in seconds"), "5");

    type_into(&slider, "8");
    settle().await;
    assert_eq!(value_of(host, "Duration in seconds"), "8");
    assert_eq!(
        text_at(host, ".cost-arithmetic"),
        "8 s output × $0.10 = $0.80"
    );

    type_into(&number, "3");
    settle().await;
    assert_eq!(value_of(host, "Duration"), "3");
    assert_eq!(text_at(host, ".cost-total"), "$0.30");

    type_into(&number, "12");
    blur(&number);
    settle().await;
    assert_eq!(
        value_of(host, "Duration"),
        "3",
        "the slider keeps the last valid value"
    );
    assert_eq!(
        message_for(host, "Duration in seconds"),
        "\u{201c}12\u{201d} is not a duration fal offers: use a whole number of seconds from 2 to 10."
    );
    type_into(&slider, "10");
    settle().await;
    assert_eq!(value_of(host, "Duration in seconds"), "10");
    assert_eq!(message_for(host, "Duration in seconds"), "");
}

#[wasm_bindgen_test]
async fn turning_the_safety_checker_off_asks_first() {
    let form = fresh_form("test.form.safety").await;
    let host = &form.host;
    let switch = control(host, "Safety checker");
    let dialog = host.query_selector("[role=alertdialog]").unwrap().unwrap();
    assert_eq!(
        switch.get_attribute("aria-checked").as_deref(),
        Some("true")
    );
    assert!(dialog.has_attribute("hidden"));

    switch.click();
    settle().await;
    assert!(!dialog.has_attribute("hidden"), "a press asks first");
    assert_eq!(
        switch.get_attribute("aria-checked").as_deref(),
        Some("true")
    );
    assert_eq!(
        accessible_name(host, &dialog.clone().unchecked_into()),
        "Turn off the safety checker?"
    );
    press(host, "Keep on");
    settle().await;
    assert!(dialog.has_attribute("hidden"));
    assert_eq!(
        switch.get_attribute("aria-checked").as_deref(),
        Some("true")
    );

    switch.click();
    settle().await;
    press(host, "Turn off");
    settle().await;
    assert_eq!(
        switch.get_attribute("aria-checked").as_deref(),
        Some("false")
    );
    assert!(dialog.has_attribute("hidden"));

    switch.click();
    settle().await;
    assert_eq!(
        switch.get_attribute("aria-checked").as_deref(),
        Some("true"),
        "turning it back on needs no confirmation"
    );
    assert!(dialog.has_attribute("hidden"));
}
