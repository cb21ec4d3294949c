//! Readies the browser's own player controls while the page is idle.
//!
//! Chromium styles the built-in controls of the first `<video controls>` a
//! page shows with a stylesheet it loads only then: a one-time 10–14 ms of
//! style work, which used to land in the very task that shows a finished
//! video (a batch's first result, the single run's player), the moment the
//! person is watching. One invisible player, shown and removed in an idle
//! moment after start-up, pays it when nothing else is happening
//! (docs/performance.md, "Batches").

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// Schedules the warm-up for the browser's next idle period. Once per page.
pub fn warm_up_when_idle() {
    super::idle::run_when_idle(warm_up);
}

/// Lays out one `<video controls>` out of sight and removes it.
fn warm_up() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Some(body), Ok(video)) = (document.body(), document.create_element("video")) else {
        return;
    };
    let Ok(video) = video.dyn_into::<HtmlElement>() else {
        return;
    };
    let _ = video.set_attribute("controls", "");
    let _ = video.set_attribute("aria-hidden", "true");
    // Out of sight (style/job.css): a class, since the page's policy
    // allows no inline styles.
    video.set_class_name("media-controls-warm-up");
    if body.append_child(&video).is_ok() {
        // Reading a size makes the browser style and lay it out now.
        let _ = video.offset_height();
        video.remove();
    }
}
