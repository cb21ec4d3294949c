//! The result's player, made the moment fal's answer names the video and
//! before the page redraws: the browser fetches the file and decodes the
//! first frame while the result panel is still being built and laid out,
//! and the panel then takes this very element. Half the wait between "fal
//! finished" and "the video can play" was that build and layout.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::HtmlVideoElement;

thread_local! {
    static STARTED: RefCell<Option<(String, HtmlVideoElement)>> = const { RefCell::new(None) };
}

/// Starts loading `url` in a player not yet on the page. Replaces (and
/// stops) one started earlier for another video that nobody took.
pub fn start(url: &str) {
    let Some(video) = new_player(url) else {
        return;
    };
    let old = STARTED.with(|s| s.borrow_mut().replace((url.to_owned(), video)));
    if let Some((_, old)) = old {
        stop(&old);
    }
}

/// The player started for `url`, or a new one: either way loading `url`,
/// with the settings every result player has.
pub fn take(url: &str) -> Option<HtmlVideoElement> {
    let started = STARTED.with(|s| {
        let mut slot = s.borrow_mut();
        match slot.as_ref() {
            Some((wanted, _)) if wanted == url => slot.take().map(|(_, video)| video),
            _ => None,
        }
    });
    started.or_else(|| new_player(url))
}

fn new_player(url: &str) -> Option<HtmlVideoElement> {
    let video: HtmlVideoElement = web_sys::window()?
        .document()?
        .create_element("video")
        .ok()?
        .dyn_into()
        .ok()?;
    video.set_controls(true);
    video.set_preload("auto");
    let _ = video.set_attribute("playsinline", "");
    video.set_src(url);
    Some(video)
}

/// Lets go of a player's download: without a source it stops fetching.
fn stop(video: &HtmlVideoElement) {
    let _ = video.remove_attribute("src");
    video.load();
}
