//! The form's handle, as the rest of the page uses it: "Edit and rerun" and
//! share links fill the form, "Reuse seed" locks a seed, fal's objections
//! land next to their fields, and an embedding page presses Generate.

use leptos::prelude::*;
use wan_r2v_studio::core::fal::classify::classify;
use wan_r2v_studio::core::fal::http::HttpResponse;
use wan_r2v_studio::core::form::validation::FormField;
use wan_r2v_studio::core::model::schema::{AspectRatio, DurationSeconds, R2vInput, Resolution};
use wan_r2v_studio::ui::form::handle::GenerateOutcome;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use super::form_support::{
    control, form_while, fresh_form, input, labels, local_storage, message_for, settle, type_into,
    value_of, wait_until,
};

fn past_input() -> R2vInput {
    R2vInput {
        prompt: "Image 1 waves at Video 1".into(),
        reference_image_urls: vec!["http://127.0.0.1:9/wave.png".into()],
        reference_video_urls: vec!["http://127.0.0.1:9/sea.mp4".into()],
        negative_prompt: Some("blur".into()),
        aspect_ratio: AspectRatio::Portrait9x16,
        resolution: Resolution::P720,
        duration: DurationSeconds::new(8).unwrap(),
        multi_shots: true,
        seed: Some(7),
        enable_safety_checker: true,
    }
}

fn focused_id() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

/// The text of `selector` in the `index`th reference of the list.
fn ref_text(host: &web_sys::HtmlElement, index: u32, selector: &str) -> String {
    host.query_selector_all(".ref-item")
        .unwrap()
        .item(index)
        .unwrap()
        .unchecked_into::<web_sys::Element>()
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
}

/// The line under the `index`th reference's name ("127.0.0.1 · length unknown").
fn ref_details(host: &web_sys::HtmlElement, index: u32) -> String {
    ref_text(host, index, ".ref-details")
}

#[wasm_bindgen_test]
async fn set_inputs_fills_every_field_and_focus_is_asked_for_separately() {
    let mounted = fresh_form("test.form.handle.set-inputs").await;
    let host = &mounted.host;
    mounted.form.set_inputs(&past_input());
    settle().await;
    assert_eq!(value_of(host, "Prompt"), "Image 1 waves at Video 1");
    assert_eq!(value_of(host, "Negative prompt"), "blur");
    assert!(input(host, "9:16").checked());
    assert!(input(host, "720p").checked());
    assert_eq!(value_of(host, "Duration in seconds"), "8");
    assert_eq!(value_of(host, "Seed"), "7");
    assert_eq!(
        control(host, "Lock seed")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    assert_eq!(labels(host), vec!["Image 1", "Video 1"]);
    let prompt_id = control(host, "Prompt").id();
    assert_ne!(focused_id(), prompt_id, "set_inputs leaves focus alone");

    mounted.form.focus();
    wait_until("the prompt has focus", || focused_id() == prompt_id).await;
    local_storage()
        .remove_item("test.form.handle.set-inputs")
        .unwrap();
}

#[wasm_bindgen_test]
async fn reuse_seed_locks_the_seed_and_takes_focus_there() {
    let mounted = fresh_form("test.form.handle.seed").await;
    let host = &mounted.host;
    mounted.form.reuse_seed(1234);
    settle().await;
    assert_eq!(value_of(host, "Seed"), "1234");
    assert_eq!(
        control(host, "Lock seed")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    let seed_id = control(host, "Seed").id();
    wait_until("the seed box has focus", || focused_id() == seed_id).await;
    local_storage()
        .remove_item("test.form.handle.seed")
        .unwrap();
}

#[wasm_bindgen_test]
async fn fal_objections_show_on_their_fields_until_the_form_changes() {
    let mounted = fresh_form("test.form.handle.problems").await;
    let host = &mounted.host;
    mounted.form.set_inputs(&past_input());
    leptos::task::tick().await;
    // The video link's length is read in the background, for the cost, and
    // its end changes the form (the length becomes unknown: nothing listens
    // on port 9), which retires objections like any change. Wait for it:
    // otherwise a loaded machine ends the read after the objections arrive,
    // and they vanish before they are checked.
    wait_until("the video link's length read has ended", || {
        ref_details(host, 1).ends_with("length unknown")
    })
    .await;
    let body = r#"{"detail":[
        {"loc":["body","prompt"],"msg":"Prompt mentions an unknown reference","type":"value_error"},
        {"loc":["body","reference_video_urls",0],"msg":"Could not download the video","type":"file_download_error"}
    ]}"#;
    let error = classify(&HttpResponse::new(422, body), 0, "expected a result");
    mounted.form.show_problems(&error);
    settle().await;
    assert_eq!(
        message_for(host, "Prompt"),
        "fal refused this: Prompt mentions an unknown reference"
    );
    let video_message = ref_text(host, 1, ".field-message");
    assert_eq!(
        video_message,
        "fal refused this: Could not download the video"
    );
    let prompt_id = control(host, "Prompt").id();
    wait_until("the first objection's field has focus", || {
        focused_id() == prompt_id
    })
    .await;

    // They describe the input as sent: an edit anywhere retires them.
    type_into(&control(host, "Negative prompt"), "blur, text");
    settle().await;
    assert_eq!(message_for(host, "Prompt"), "");
    assert!(!host.text_content().unwrap().contains("fal refused this"));
    local_storage()
        .remove_item("test.form.handle.problems")
        .unwrap();
}

#[wasm_bindgen_test]
async fn generate_through_the_handle_says_what_happened() {
    let mounted = fresh_form("test.form.handle.generate").await;
    let host = &mounted.host;
    match mounted.form.generate() {
        GenerateOutcome::Refused(issues) => {
            assert_eq!(issues[0].field, FormField::Prompt);
            assert!(issues[0].message.contains("required"), "{issues:?}");
        }
        other => panic!("an empty form was {other:?}"),
    }
    settle().await;
    assert!(mounted.submissions.with_untracked(Vec::is_empty));
    let summary = host.query_selector(".summary").unwrap().unwrap();
    assert!(!summary.has_attribute("hidden"), "every message shows");

    type_into(&control(host, "Prompt"), "A heron fishes");
    settle().await;
    assert_eq!(mounted.form.generate(), GenerateOutcome::Submitted);
    assert_eq!(mounted.submissions.with_untracked(Vec::len), 1);
    assert_eq!(
        mounted.form.read_shared().input.prompt,
        "A heron fishes",
        "the form keeps its prompt after Generate"
    );
    local_storage()
        .remove_item("test.form.handle.generate")
        .unwrap();
}

#[wasm_bindgen_test]
async fn generate_sends_nothing_while_a_job_runs() {
    const KEY: &str = "test.form.handle.busy";
    local_storage().remove_item(KEY).unwrap();
    let running = RwSignal::new(Some("In queue: 2 ahead".to_string()));
    let mounted = form_while(KEY, running.into()).await;
    let host = &mounted.host;
    type_into(&control(host, "Prompt"), "A heron fishes");
    settle().await;
    assert_eq!(mounted.form.generate(), GenerateOutcome::Busy);
    assert!(mounted.submissions.with_untracked(Vec::is_empty));
    assert!(control(host, "In queue: 2 ahead")
        .get_attribute("aria-disabled")
        .is_some());
    running.set(None);
    settle().await;
    assert_eq!(mounted.form.generate(), GenerateOutcome::Submitted);
    local_storage().remove_item(KEY).unwrap();
}
