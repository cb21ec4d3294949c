//! The form across reloads, and the API view.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use super::form_support::*;

#[wasm_bindgen_test]
async fn the_form_survives_a_reload_except_file_bytes() {
    let key = "test.form.saved";
    let form = fresh_form(key).await;
    let host = &form.host;
    type_into(&control(host, "Prompt"), "Image 1 at dusk");
    type_into(&control(host, "Negative prompt"), "blur");
    control(host, "9:16").click();
    type_into(&control(host, "Duration"), "7");
    type_into(&control(host, "Seed"), "99");
    press(host, "Lock seed");
    press(host, "Multi-shot");
    pick(host, &[file("dot.png", "image/png", DOT_PNG)]);
    type_into(&control(host, "Reference URL"), "http://127.0.0.1:9/b.png");
    press(host, "Add URL");
    settle().await;
    drop(form);

    let again = form_with_saved_state(key).await;
    let host = &again.host;
    assert_eq!(value_of(host, "Prompt"), "Image 1 at dusk");
    assert_eq!(value_of(host, "Negative prompt"), "blur");
    assert!(input(host, "9:16").checked());
    assert_eq!(value_of(host, "Duration in seconds"), "7");
    assert_eq!(value_of(host, "Seed"), "99");
    assert_eq!(
        control(host, "Lock seed")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        control(host, "Multi-shot")
            .get_attribute("aria-checked")
            .as_deref(),
        Some("true")
    );
    // The file keeps its place and label, and asks to be added again.
    assert_eq!(names(host), vec!["dot.png", "http://127.0.0.1:9/b.png"]);
    assert_eq!(labels(host), vec!["Image 1", "Image 2"]);
    let item = item_named(host, "dot.png");
    assert!(item
        .text_content()
        .unwrap()
        .contains("Files are not kept when the page reloads: add dot.png again, or remove it."));
    let generate = control(host, "Generate");
    assert_eq!(
        generate.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );

    let add_again = input(host, "Add dot.png again");
    add_again.set_files(Some(
        &transfer_of(&[file("dot.png", "image/png", DOT_PNG)])
            .files()
            .unwrap(),
    ));
    change(&add_again.clone().unchecked_into());
    settle().await;
    assert_eq!(labels(host), vec!["Image 1", "Image 2"]);
    assert!(!item_named(host, "dot.png")
        .text_content()
        .unwrap()
        .contains("not kept"));
    assert_eq!(
        control(host, "Generate").get_attribute("aria-disabled"),
        None
    );
}

#[wasm_bindgen_test]
async fn a_saved_form_from_another_version_is_not_misread() {
    let key = "test.form.future";
    local_storage()
        .set_item(key, r#"{"version":2,"prompt":"from the future"}"#)
        .unwrap();
    let form = form_with_saved_state(key).await;
    assert_eq!(value_of(&form.host, "Prompt"), "");
    assert!(text_at(&form.host, ".form-note").contains("could not be read"));
}

#[wasm_bindgen_test]
async fn the_api_view_shows_the_exact_request_without_a_key() {
    let form = fresh_form("test.form.api").await;
    let host = &form.host;
    type_into(&control(host, "Prompt"), "It's a koala");
    pick(host, &[file("dot.png", "image/png", DOT_PNG)]);
    settle().await;
    let details: web_sys::HtmlDetailsElement = host
        .query_selector(".api-view")
        .unwrap()
        .unwrap()
        .unchecked_into();
    details.set_open(true);
    // `toggle` is what the browser fires when the disclosure opens.
    details
        .dispatch_event(&web_sys::Event::new("toggle").unwrap())
        .unwrap();
    settle().await;
    let code = || text_at(host, ".code");
    assert!(
        code().contains("--header \"Authorization: Key $FAL_KEY\""),
        "{}",
        code()
    );
    assert!(
        code().contains("\"prompt\": \"It'\\''s a koala\""),
        "{}",
        code()
    );
    assert!(code().contains("--data-binary '@dot.png'"));

    press(host, "Python");
    settle().await;
    assert!(code().contains("image_1_url = fal_client.upload_file(\"dot.png\")"));
    assert!(code().contains("result = fal_client.subscribe("));

    press(host, "JavaScript");
    settle().await;
    assert!(code().contains("fal.config({ credentials: process.env.FAL_KEY });"));
    assert!(code().contains("await fal.storage.upload("));

    press(host, "JSON");
    settle().await;
    let json: serde_json::Value = serde_json::from_str(&code()).expect("the JSON tab is JSON");
    assert_eq!(json["prompt"], "It's a koala");
    assert_eq!(
        json["reference_image_urls"][0],
        "<fal storage URL of dot.png>"
    );
    let selected = control(host, "JSON");
    assert_eq!(
        selected.get_attribute("aria-selected").as_deref(),
        Some("true")
    );
}
