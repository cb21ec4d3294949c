//! Puts one file's upload on its item without flooding the page: the core
//! decides when a view is worth a redraw ([`worth_redrawing`]: a new stage
//! or note at once, bytes and speed at most every [`REDRAW_EVERY_MS`], the
//! same view never twice).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::core::upload::file_status::FileUpload;
use crate::core::upload::redraw::{worth_redrawing, REDRAW_EVERY_MS};
use crate::core::upload::uploader::Uploader;
use crate::web::timer::now_ms;

/// Shows what one file's [`Uploader`] says.
pub struct Reporter {
    uploader: Rc<RefCell<Uploader>>,
    shown: RefCell<Option<FileUpload>>,
    shown_at_ms: Cell<u64>,
    show: Box<dyn Fn(FileUpload)>,
}

impl Reporter {
    /// A reporter for `uploader`; `show` puts a new state on screen.
    pub fn new(uploader: Rc<RefCell<Uploader>>, show: impl Fn(FileUpload) + 'static) -> Rc<Self> {
        Rc::new(Self {
            uploader,
            shown: RefCell::new(None),
            shown_at_ms: Cell::new(0),
            show: Box::new(show),
        })
    }

    /// Shows the upload as it stands now, if that is worth a redraw.
    pub fn show_now(&self) {
        let now = now_ms();
        // Skipped (not lost) while the uploader is being changed: the
        // change is shown right after it.
        let Ok(view) = self.uploader.try_borrow().map(|u| u.view(now)) else {
            return;
        };
        let since = now.saturating_sub(self.shown_at_ms.get());
        if !worth_redrawing(self.shown.borrow().as_ref(), &view, since) {
            return;
        }
        self.shown_at_ms.set(now);
        self.shown.replace(Some(view.clone()));
        // Outside the borrows: showing may run other code on this thread.
        (self.show)(view);
    }

    /// After a progress event, which moves only bytes and speed: nothing to
    /// do until the last redraw is [`REDRAW_EVERY_MS`] old.
    pub fn show_progress(&self) {
        if now_ms().saturating_sub(self.shown_at_ms.get()) >= REDRAW_EVERY_MS {
            self.show_now();
        }
    }
}
