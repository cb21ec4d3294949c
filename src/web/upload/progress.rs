//! Turns one file's progress events into what its item shows, without
//! flooding the page: byte counts are shown at most every
//! [`SHOW_EVERY_MS`]; stage changes and notes at once.

use std::cell::RefCell;
use std::rc::Rc;

use crate::core::upload::file_status::{FileUpload, UploadStage};
use crate::core::upload::progress::ProgressMeter;
use crate::web::timer::now_ms;

/// Progress events come about every 50 ms per request in flight; the item
/// needs far fewer redraws than that to look smooth.
pub const SHOW_EVERY_MS: u64 = 200;

struct State {
    upload: FileUpload,
    meter: ProgressMeter,
    shown_at_ms: u64,
}

/// One file's progress, and where it is shown.
pub struct Reporter {
    state: RefCell<State>,
    show: Box<dyn Fn(FileUpload)>,
}

impl Reporter {
    /// A reporter for a file of `size` bytes; `show` puts a new state on
    /// screen.
    pub fn new(size: u64, show: impl Fn(FileUpload) + 'static) -> Rc<Self> {
        let now = now_ms();
        Rc::new(Self {
            state: RefCell::new(State {
                upload: FileUpload::waiting(size),
                meter: ProgressMeter::new(size, now),
                shown_at_ms: 0,
            }),
            show: Box::new(show),
        })
    }

    /// Moves to `stage` and shows it.
    pub fn stage(&self, stage: UploadStage) {
        self.update(true, |state| {
            state.upload.stage = stage;
            if !state.upload.is_active() {
                state.upload.note = None;
            }
        });
    }

    /// Shows (or clears) a difficulty being worked around.
    pub fn note(&self, note: Option<String>) {
        self.update(true, |state| state.upload.note = note);
    }

    /// The file is sent again from its start (fresh address).
    pub fn restart(&self) {
        self.update(true, |state| state.meter.restart());
    }

    /// A handler for `part`'s progress events (`loaded` bytes so far).
    pub fn part_progress(self: &Rc<Self>, part: u32) -> Box<dyn FnMut(u64)> {
        let reporter = self.clone();
        Box::new(move |loaded| {
            reporter.update(false, |state| state.meter.sent(part, loaded, now_ms()));
        })
    }

    /// The storage confirmed `part` (`bytes` long).
    pub fn confirmed(&self, part: u32, bytes: u64) {
        self.update(true, |state| state.meter.confirmed(part, bytes, now_ms()));
    }

    /// `part` failed; its bytes will go again.
    pub fn lost(&self, part: u32) {
        self.update(true, |state| state.meter.lost(part));
    }

    fn update(&self, always: bool, change: impl FnOnce(&mut State)) {
        let shown = {
            let mut state = self.state.borrow_mut();
            change(&mut state);
            let now = now_ms();
            if !always && now.saturating_sub(state.shown_at_ms) < SHOW_EVERY_MS {
                return;
            }
            state.shown_at_ms = now;
            state.upload.progress = state.meter.snapshot(now);
            state.upload.clone()
        };
        // Outside the borrow: showing may run other code on this thread.
        (self.show)(shown);
    }
}
