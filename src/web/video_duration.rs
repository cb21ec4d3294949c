//! Reading a video's length in the browser, which fal bills per second.
//!
//! A detached `<video preload="metadata">` reads just the container's header,
//! for an object URL (a local file) or a web URL alike. Media elements load
//! cross-origin sources without CORS, so this works for most hosts; when a
//! host refuses, or the file is not a video this browser can read, the
//! error says which.

use std::time::Duration;

use js_sys::Promise;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The video's length in milliseconds, or why it could not be read.
pub async fn read_video_duration(src: &str, timeout: Duration) -> Result<u64, String> {
    let window = web_sys::window().ok_or("there is no browser window")?;
    let video: web_sys::HtmlVideoElement = window
        .document()
        .and_then(|d| d.create_element("video").ok())
        .ok_or("a video element could not be created")?
        .unchecked_into();
    video.set_preload("metadata");
    video.set_muted(true);

    let mut timer = 0;
    // The element's own events settle the promise: no Rust closure to leak.
    let loaded = Promise::new(&mut |resolve, reject| {
        video.set_onloadedmetadata(Some(&resolve));
        video.set_onerror(Some(&reject));
        timer = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                &reject,
                i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX),
            )
            .unwrap_or(0);
    });
    video.set_src(src);
    let outcome = JsFuture::from(loaded).await;

    window.clear_timeout_with_handle(timer);
    video.set_onloadedmetadata(None);
    video.set_onerror(None);
    let result = match outcome {
        Ok(_) => {
            let seconds = video.duration();
            if seconds.is_finite() && seconds > 0.0 {
                Ok((seconds * 1000.0).round() as u64)
            } else {
                Err("the file does not state its length".to_string())
            }
        }
        Err(_) => Err(match video.error() {
            Some(error) => media_error_reason(error.code()).to_string(),
            None => format!("no answer within {} s", timeout.as_secs()),
        }),
    };
    // Let go of the source so the browser stops any download.
    let _ = video.remove_attribute("src");
    video.load();
    result
}

/// This browser's `canPlayType` answer for `type_` ("" when it cannot play
/// it at all; "maybe" or "probably" when it will try).
pub fn can_play_type(type_: &str) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("video").ok())
        .map(|v| {
            v.unchecked_into::<web_sys::HtmlVideoElement>()
                .can_play_type(type_)
        })
        .unwrap_or_default()
}

/// The HTML `MediaError` codes, as reasons a person can act on.
fn media_error_reason(code: u16) -> &'static str {
    match code {
        1 => "loading was stopped",
        2 => "a network error interrupted it",
        3 => "it is damaged or uses an encoding this browser cannot decode",
        _ => "the format is not supported or the file could not be fetched",
    }
}
