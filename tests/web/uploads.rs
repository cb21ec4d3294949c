//! A reference file's upload on its item: the progress bar with bytes and
//! speed, "Cancel upload" (which stops the file's requests), what became of
//! it, and a file uploaded before (kept by URL, also after a reload).

use super::form_support::*;
use leptos::prelude::*;
use wan_r2v_studio::core::fal::error::NetworkFailure;
use wan_r2v_studio::core::upload::file_status::{FileUpload, UploadStage};
use wan_r2v_studio::core::upload::problem::UploadProblem;
use wan_r2v_studio::core::upload::progress::UploadProgress;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

const MB: u64 = 1_000_000;

fn sending(sent: u64, total: u64) -> FileUpload {
    FileUpload {
        stage: UploadStage::Sending,
        progress: UploadProgress {
            sent,
            total,
            bytes_per_second: Some(4.0 * MB as f64),
        },
        note: None,
    }
}

fn bar(item: &HtmlElement) -> HtmlElement {
    item.query_selector("progress")
        .unwrap()
        .expect("a progress bar")
        .unchecked_into()
}

fn status(item: &HtmlElement) -> String {
    text_at(item, ".ref-upload-status")
}

fn cancel_button(item: &HtmlElement) -> HtmlElement {
    control(item, "Cancel upload")
}

#[wasm_bindgen_test]
async fn the_item_shows_progress_and_cancel_upload_stops_the_file() {
    let form = fresh_form("test.form.uploads.cancel").await;
    let host = &form.host;
    type_into(&control(host, "Prompt"), "Image 1 and Image 2 wave");
    pick(
        host,
        &[
            sized_file("big.png", "image/png", 8_000_000),
            sized_file("next.png", "image/png", 2_000_000),
        ],
    );
    settle().await;
    let big = item_named(host, "big.png");
    let section: HtmlElement = big
        .query_selector(".ref-upload")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(section.hidden(), "nothing about uploads before Generate");

    control(host, "Generate").click();
    settle().await;
    let submission = form
        .submissions
        .with_untracked(|s| s.last().cloned())
        .expect("sent");
    assert_eq!(submission.files.len(), 2);
    let board = submission.files.board;
    let entries: Vec<_> = submission
        .request
        .uploads
        .iter()
        .map(|u| (u.reference, u.file.clone()))
        .collect();
    let stoppers = board.begin(&entries);
    settle().await;
    assert_eq!(status(&big), "Waiting to upload");
    assert!(bar(&big).hidden(), "no bar before the bytes move");
    assert!(
        !cancel_button(&big).hidden(),
        "a waiting file can be cancelled"
    );

    board.show(entries[0].0, sending(3_400_000, 8_000_000));
    settle().await;
    let progress = bar(&big);
    assert!(!progress.hidden());
    assert_eq!(progress.get_attribute("value").as_deref(), Some("42"));
    assert_eq!(progress.get_attribute("max").as_deref(), Some("100"));
    assert_eq!(
        progress.get_attribute("aria-label").as_deref(),
        Some("Upload of Image 1")
    );
    assert_eq!(
        status(&big),
        "Uploading: 3.4 MB of 8 MB · 4 MB/s · 2 s left"
    );
    assert!(!cancel_button(&big).hidden());

    // A retry in progress is explained, not frozen.
    let mut retrying = sending(3_400_000, 8_000_000);
    retrying.note = Some("Part 1: the connection dropped. Trying again in 1 s.".into());
    board.show(entries[0].0, retrying);
    settle().await;
    assert_eq!(
        text_at(&big, ".ref-upload-note"),
        "Part 1: the connection dropped. Trying again in 1 s."
    );

    cancel_button(&big).click();
    settle().await;
    assert!(stoppers[0].cancelled(), "its requests are aborted");
    assert!(
        stoppers[1].cancelled(),
        "the job cannot go without it, so the next file stops too"
    );
    assert!(status(&big).starts_with("Upload cancelled."));
    assert!(bar(&big).hidden());
    assert!(cancel_button(&big).hidden());
    let next = item_named(host, "next.png");
    assert!(status(&next).starts_with("Upload cancelled."));

    // A late progress report cannot bring a cancelled upload back.
    board.show(entries[0].0, sending(5_000_000, 8_000_000));
    settle().await;
    assert!(status(&big).starts_with("Upload cancelled."));
}

#[wasm_bindgen_test]
async fn a_failure_is_one_alert_on_the_item_and_a_new_file_clears_it() {
    let form = fresh_form("test.form.uploads.failed").await;
    let host = &form.host;
    type_into(&control(host, "Prompt"), "Image 1 waves");
    pick(host, &[file("dot.png", "image/png", DOT_PNG)]);
    settle().await;
    control(host, "Generate").click();
    settle().await;
    let submission = form
        .submissions
        .with_untracked(|s| s.last().cloned())
        .expect("sent");
    let upload = &submission.request.uploads[0];
    let board = submission.files.board;
    board.begin(&[(upload.reference, upload.file.clone())]);
    board.show(
        upload.reference,
        FileUpload {
            stage: UploadStage::Failed(UploadProblem::Network {
                failure: NetworkFailure::Unreachable,
                storage: true,
                via_proxy: true,
            }),
            ..sending(0, 95)
        },
    );
    settle().await;
    let item = item_named(host, "dot.png");
    let alert = item
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an alert");
    assert!(alert
        .text_content()
        .unwrap()
        .starts_with("Could not send the file to fal's storage: the connection failed, or the browser blocked the upload (CORS)."));
    assert!(bar(&item).hidden());
    assert!(cancel_button(&item).hidden());

    // Removing the file and adding another: the old failure is not its.
    press(host, "Remove Image 1");
    settle().await;
    pick(host, &[file("dot.png", "image/png", DOT_PNG)]);
    settle().await;
    let fresh = item_named(host, "dot.png");
    assert!(fresh.query_selector("[role=alert]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn an_uploaded_file_is_sent_by_url_and_says_so_after_a_reload() {
    let key = "test.form.uploads.kept";
    let form = fresh_form(key).await;
    let host = &form.host;
    type_into(&control(host, "Prompt"), "Image 1 waves");
    pick(host, &[file("dot.png", "image/png", DOT_PNG)]);
    settle().await;
    control(host, "Generate").click();
    settle().await;
    let submission = form
        .submissions
        .with_untracked(|s| s.last().cloned())
        .expect("sent");
    let upload = submission.request.uploads[0].clone();
    let board = submission.files.board;
    board.begin(&[(upload.reference, upload.file.clone())]);
    let url = "http://127.0.0.1:9/sim/files/abc/dot.png";
    board.show(
        upload.reference,
        FileUpload {
            stage: UploadStage::Done {
                file_url: url.into(),
            },
            ..sending(95, 95)
        },
    );
    board.record_uploaded(upload.reference, &upload.file, url);
    settle().await;
    assert_eq!(status(&item_named(host, "dot.png")), "Uploaded to fal");

    control(host, "Generate").click();
    settle().await;
    let again = form
        .submissions
        .with_untracked(|s| s.last().cloned())
        .unwrap();
    assert!(again.request.uploads.is_empty(), "nothing to upload twice");
    assert!(again.files.is_empty());
    assert_eq!(again.request.input.reference_image_urls, vec![url]);

    // A reload keeps the URL though not the bytes: still usable, no "Add again".
    drop(form);
    let reloaded = form_with_saved_state(key).await;
    let host = &reloaded.host;
    settle().await;
    let item = item_named(host, "dot.png");
    assert_eq!(status(&item), "Uploaded to fal");
    let add_again: HtmlElement = control(host, "Add dot.png again")
        .closest("label")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(add_again.hidden(), "no need to add it again");
    let preview = item.query_selector("img").unwrap().unwrap();
    assert_eq!(preview.get_attribute("src").as_deref(), Some(url));
    control(host, "Generate").click();
    settle().await;
    let after_reload = reloaded
        .submissions
        .with_untracked(|s| s.last().cloned())
        .unwrap();
    assert_eq!(after_reload.request.input.reference_image_urls, vec![url]);
    assert!(after_reload.request.uploads.is_empty());
}
