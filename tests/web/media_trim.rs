//! Trimming in the browser (`web::media_trim`): the header boxes are read
//! with `Blob.slice`, and the trimmed `File` is the plan's header followed
//! by slices of the original, which Chromium plays at the planned length.

use std::time::Duration;

use js_sys::{Array, Uint8Array};
use wan_r2v_studio::core::media::{trimmed_file_name, TrimRefusal};
use wan_r2v_studio::web::media_trim::{read_index, trimmed_file, IndexError};
use wan_r2v_studio::web::object_url::ObjectUrl;
use wan_r2v_studio::web::video_duration::read_video_duration;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use crate::form_support::{CLIP_2500MS, DOT_PNG};

fn file_of(bytes: &[u8], name: &str, mime: &str) -> web_sys::File {
    let options = web_sys::FilePropertyBag::new();
    options.set_type(mime);
    let parts = Array::of1(&Uint8Array::from(bytes));
    web_sys::File::new_with_u8_array_sequence_and_options(&parts, name, &options).unwrap()
}

async fn bytes_of(blob: &web_sys::Blob) -> Vec<u8> {
    let buffer = JsFuture::from(blob.array_buffer()).await.unwrap();
    Uint8Array::new(&buffer).to_vec()
}

#[wasm_bindgen_test]
async fn a_trimmed_file_is_the_planned_header_then_slices_of_the_original() {
    let original = file_of(CLIP_2500MS, "clip.mp4", "video/mp4");
    let index = read_index(&original).await.expect("the clip is indexed");
    assert!((index.duration_seconds() - 2.5).abs() < 1e-9);
    // The clip's only keyframe is its first frame.
    let plan = index.plan(1.0, 2.0).unwrap();
    assert_eq!(plan.start.seconds, 0.0);
    let name = trimmed_file_name("clip.mp4", plan.start.seconds, 2.0);
    let trimmed = trimmed_file(&original, &plan, &name).unwrap();
    assert_eq!(trimmed.name(), "clip-trim-0.0-2.0.mp4");
    assert_eq!(trimmed.type_(), "video/mp4");
    assert_eq!(trimmed.size() as u64, plan.output_len());

    let mut expected = plan.header.clone();
    for range in &plan.ranges {
        expected.extend_from_slice(
            &CLIP_2500MS[range.offset as usize..(range.offset + range.len) as usize],
        );
    }
    assert_eq!(bytes_of(&trimmed).await, expected);

    let url = ObjectUrl::new(&trimmed).unwrap();
    let millis = read_video_duration(url.as_str(), Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(
        millis, 2000,
        "Chromium reads the trimmed file at the planned length"
    );
}

#[wasm_bindgen_test]
async fn a_file_that_is_not_a_video_is_refused_with_the_core_reason() {
    let png = file_of(DOT_PNG, "dot.png", "image/png");
    let error = read_index(&png).await.unwrap_err();
    assert!(
        matches!(error, IndexError::Refused(TrimRefusal::NotIsoMedia(_))),
        "{error:?}"
    );
    assert!(error
        .message()
        .starts_with("This file is not an MP4 or MOV video"));
}
