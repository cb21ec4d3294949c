//! The References panel: adding by picker, URL, drop and paste; labels
//! after removes and moves; refusals; video lengths in the cost; inserting
//! a label at the prompt's cursor.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use super::form_support::*;

/// Links that fail at once without leaving this machine (port 9 is closed).
const A_PNG: &str = "http://127.0.0.1:9/a.png";
const B_PNG: &str = "http://127.0.0.1:9/b.png";
const C_MP4: &str = "http://127.0.0.1:9/c.mp4";

async fn add_link(host: &web_sys::HtmlElement, url: &str) {
    type_into(&control(host, "Reference URL"), url);
    press(host, "Add URL");
    settle().await;
}

#[wasm_bindgen_test]
async fn labels_are_numbered_per_kind_and_follow_removes_and_moves() {
    let form = fresh_form("test.form.labels").await;
    let host = &form.host;
    add_link(host, A_PNG).await;
    add_link(host, C_MP4).await;
    add_link(host, B_PNG).await;
    assert_eq!(names(host), vec![A_PNG, C_MP4, B_PNG]);
    assert_eq!(labels(host), vec!["Image 1", "Video 1", "Image 2"]);
    assert_eq!(
        value_of(host, "Reference URL"),
        "",
        "the box empties after adding"
    );

    press(host, "Remove Image 1");
    settle().await;
    assert_eq!(names(host), vec![C_MP4, B_PNG]);
    assert_eq!(labels(host), vec!["Video 1", "Image 1"]);

    add_link(host, A_PNG).await;
    assert_eq!(labels(host), vec!["Video 1", "Image 1", "Image 2"]);
    press(host, "Move Image 2 up");
    settle().await;
    assert_eq!(names(host), vec![C_MP4, A_PNG, B_PNG]);
    assert_eq!(labels(host), vec!["Video 1", "Image 1", "Image 2"]);
    assert!(has_control(host, "Move Image 1 up"));
    assert!(
        control(host, "Move Video 1 up")
            .unchecked_into::<web_sys::HtmlButtonElement>()
            .disabled(),
        "the first item cannot move up"
    );
    press(host, "Move Video 1 down");
    settle().await;
    assert_eq!(names(host), vec![A_PNG, C_MP4, B_PNG]);
    assert_eq!(labels(host), vec!["Image 1", "Video 1", "Image 2"]);

    // The request lists them in the order the labels count them.
    wait_until("the unreachable video's length is given up on", || {
        names(host).iter().any(|n| n == C_MP4)
            && item_named(host, C_MP4)
                .text_content()
                .unwrap()
                .contains("length unknown")
    })
    .await;
    type_into(
        &control(host, "Prompt"),
        "Image 1 meets Image 2 and Video 1",
    );
    settle().await;
    control(host, "Generate").click();
    settle().await;
    let input = form
        .submissions
        .with_untracked(|s| s.last().map(|s| s.request.input.clone()))
        .expect("sent");
    assert_eq!(input.reference_image_urls, vec![A_PNG, B_PNG]);
    assert_eq!(input.reference_video_urls, vec![C_MP4]);
}

#[wasm_bindgen_test]
async fn links_are_checked_before_they_are_added() {
    let form = fresh_form("test.form.links").await;
    let host = &form.host;
    add_link(host, "javascript:alert(1)").await;
    assert!(message_for(host, "Reference URL").starts_with("javascript: links are not accepted"));
    assert!(names(host).is_empty());

    add_link(host, "http://127.0.0.1:9/picture?id=4").await;
    assert_eq!(
        message_for(host, "Reference URL"),
        "This link does not say whether it is an image or a video: choose one under Type."
    );
    let kind: web_sys::HtmlSelectElement = control(host, "Type").unchecked_into();
    kind.set_value("image");
    change(&kind.clone().unchecked_into());
    press(host, "Add URL");
    settle().await;
    assert_eq!(labels(host), vec!["Image 1"]);
    assert_eq!(message_for(host, "Reference URL"), "");
}

#[wasm_bindgen_test]
async fn refused_files_say_why_on_the_item_and_block_generate() {
    let form = fresh_form("test.form.refused").await;
    let host = &form.host;
    type_into(&control(host, "Prompt"), "Image 1 waves");
    pick(
        host,
        &[
            file("notes.txt", "text/plain", b"hello"),
            sized_file("huge.png", "image/png", 20_000_001),
            file("broken.mp4", "video/mp4", b"this is not a video at all"),
            file("dot.png", "image/png", DOT_PNG),
        ],
    );
    wait_until("the broken video is refused", || {
        names(host).iter().any(|n| n == "broken.mp4")
            && item_named(host, "broken.mp4")
                .text_content()
                .unwrap()
                .contains("Refused")
    })
    .await;
    assert_eq!(
        labels(host),
        vec!["Not added", "Not added", "Not added", "Image 1"]
    );
    let text_of_item = |name| item_named(host, name).text_content().unwrap();
    assert!(text_of_item("notes.txt").contains(
        "Refused: This file is text/plain. Add a JPEG, PNG, WebP or BMP image or an MP4 or MOV video."
    ));
    assert!(text_of_item("huge.png")
        .contains("Refused: This image is 20 MB; fal accepts images up to 20 MB."));
    assert!(text_of_item("broken.mp4").contains("Refused: This video could not be read ("));
    assert!(text_of_item("dot.png").contains("95 B"));

    let generate = control(host, "Generate");
    assert_eq!(
        generate.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    generate.click();
    settle().await;
    assert!(form.submissions.with_untracked(Vec::is_empty));

    for name in ["notes.txt", "huge.png", "broken.mp4"] {
        press(host, &format!("Remove {name}"));
        settle().await;
    }
    assert_eq!(labels(host), vec!["Image 1"]);
    control(host, "Generate").click();
    settle().await;
    let (uploads, files) = form.submissions.with_untracked(|s| {
        let s = s.last().expect("sent once nothing is refused");
        (s.request.uploads.len(), s.files.len())
    });
    assert_eq!(
        (uploads, files),
        (1, 1),
        "the PNG goes along to be uploaded"
    );
}

#[wasm_bindgen_test]
async fn the_cost_adds_each_videos_real_length() {
    let form = fresh_form("test.form.cost").await;
    let host = &form.host;
    assert_eq!(
        text_at(host, ".cost-arithmetic"),
        "5 s output × $0.10 = $0.50"
    );
    pick(host, &[file("clip.mp4", "video/mp4", CLIP_2500MS)]);
    wait_until("the clip's length is read", || {
        text_at(host, ".cost-arithmetic").contains("reference video")
    })
    .await;
    assert_eq!(
        text_at(host, ".cost-arithmetic"),
        "5 s output + 2.5 s of reference video = 7.5 s × $0.10 = $0.75"
    );
    assert_eq!(text_at(host, ".cost-total"), "$0.75");
    assert!(item_named(host, "clip.mp4")
        .text_content()
        .unwrap()
        .contains("2.5 s"));
    assert_eq!(labels(host), vec!["Video 1"]);

    // A link whose host does not answer: its length is unknown, and the
    // cost says what it would add instead of leaving it out silently.
    add_link(host, C_MP4).await;
    wait_until("the link's length is given up on", || {
        host.text_content().unwrap().contains("length unknown")
    })
    .await;
    assert_eq!(text_at(host, ".cost-total"), "At least $0.75");
    assert_eq!(
        text_at(host, ".cost-notes"),
        "Video 2: length unknown (the browser could not read it); it adds $0.10 for every second it runs."
    );

    type_into(&control(host, "Duration"), "10");
    settle().await;
    assert_eq!(
        text_at(host, ".cost-arithmetic"),
        "10 s output + 2.5 s of reference video = 12.5 s × $0.10 = $1.25"
    );
}

#[wasm_bindgen_test]
async fn drops_and_pastes_add_references() {
    let form = fresh_form("test.form.drop").await;
    let host = &form.host;
    let panel = host.query_selector(".references").unwrap().unwrap();

    drop_on_panel(host, &transfer_of(&[file("dot.png", "image/png", DOT_PNG)]));
    settle().await;
    assert_eq!(names(host), vec!["dot.png"]);
    assert!(
        !panel.class_list().contains("is-dragging"),
        "the drop state ends"
    );

    let zone = host.query_selector(".drop-zone").unwrap().unwrap();
    paste_into(
        &zone,
        &transfer_of(&[file("pasted.png", "image/png", DOT_PNG)]),
    );
    settle().await;
    let link = web_sys::DataTransfer::new().unwrap();
    link.set_data("text/plain", A_PNG).unwrap();
    paste_into(&zone, &link);
    settle().await;
    assert_eq!(names(host), vec!["dot.png", "pasted.png", A_PNG]);
    assert_eq!(labels(host), vec!["Image 1", "Image 2", "Image 3"]);

    // Text pasted into a text box stays there.
    let prompt = control(host, "Prompt");
    let words = web_sys::DataTransfer::new().unwrap();
    words.set_data("text/plain", B_PNG).unwrap();
    paste_into(&prompt, &words);
    settle().await;
    assert_eq!(names(host).len(), 3);
}

#[wasm_bindgen_test]
async fn pressing_a_label_inserts_it_at_the_prompts_cursor() {
    let form = fresh_form("test.form.insert").await;
    let host = &form.host;
    add_link(host, A_PNG).await;
    let prompt: web_sys::HtmlTextAreaElement = control(host, "Prompt").unchecked_into();
    type_into(&prompt.clone().unchecked_into(), "A 🎬 walks");
    settle().await;
    // After "A 🎬": 1 + 1 + 2 UTF-16 units (the emoji is a surrogate pair).
    prompt.set_selection_range(4, 4).unwrap();
    press(host, "Image 1");
    settle().await;
    assert_eq!(prompt.value(), "A 🎬 Image 1 walks");
    // The cursor sits right after the label: 4 + " Image 1".len() units.
    assert_eq!(prompt.selection_start().unwrap(), Some(12));
    assert_eq!(text_at(host, ".counter"), "17 / 5000");
}
