//! Puts one file's upload on its item without flooding the page: byte
//! counts are shown at most every [`SHOW_EVERY_MS`]; everything else (a
//! new stage, a note, the end) at once.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::core::upload::file_status::FileUpload;
use crate::core::upload::uploader::Uploader;
use crate::web::timer::now_ms;

/// Progress events come about every 50 ms per request in flight; the item
/// needs far fewer redraws than that to look smooth.
pub const SHOW_EVERY_MS: u64 = 200;

/// Shows what one file's [`Uploader`] says.
pub struct Reporter {
    uploader: Rc<RefCell<Uploader>>,
    shown_at_ms: Cell<u64>,
    show: Box<dyn Fn(FileUpload)>,
}

impl Reporter {
    /// A reporter for `uploader`; `show` puts a new state on screen.
    pub fn new(uploader: Rc<RefCell<Uploader>>, show: impl Fn(FileUpload) + 'static) -> Rc<Self> {
        Rc::new(Self {
            uploader,
            shown_at_ms: Cell::new(0),
            show: Box::new(show),
        })
    }

    /// Shows the upload as it stands now.
    pub fn show_now(&self) {
        let now = now_ms();
        // Skipped (not lost) while the uploader is being changed: the
        // change is shown right after it.
        let Ok(view) = self.uploader.try_borrow().map(|u| u.view(now)) else {
            return;
        };
        self.shown_at_ms.set(now);
        // Outside the borrow: showing may run other code on this thread.
        (self.show)(view);
    }

    /// Shows the bytes sent, unless they were shown a moment ago.
    pub fn show_progress(&self) {
        if now_ms().saturating_sub(self.shown_at_ms.get()) >= SHOW_EVERY_MS {
            self.show_now();
        }
    }
}
