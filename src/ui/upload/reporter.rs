//! Puts one file's upload on its item without getting in the way of its
//! transfers: the core decides when a view is worth a redraw
//! ([`worth_redrawing`]: a new stage or note, bytes and speed at most every
//! [`REDRAW_EVERY_MS`], the same view never twice), and the redraw happens
//! at the next animation frame, not in the middle of handling an answer.
//!
//! Why a frame later: the answer to one part and the send of the next run
//! in the same turn of the event loop, and the browser starts that next
//! request only after the turn ends. A redraw done there (the item, the job
//! panel, the effects they wake) made every part wait for it; at the next
//! frame it runs after the request has started, and several changes within
//! one frame cost one redraw. A hidden tab draws nothing until it is shown
//! again, and the end of the upload is always drawn at once
//! ([`Reporter::finish`]).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::request_animation_frame;

use crate::core::upload::file_status::FileUpload;
use crate::core::upload::redraw::{worth_redrawing, REDRAW_EVERY_MS};
use crate::core::upload::uploader::Uploader;
use crate::web::timer::now_ms;

/// Shows what one file's [`Uploader`] says.
pub struct Reporter {
    uploader: Rc<RefCell<Uploader>>,
    shown: RefCell<Option<FileUpload>>,
    shown_at_ms: Cell<u64>,
    /// A redraw is booked for the next frame.
    frame_booked: Cell<bool>,
    /// The upload ended and its last state is shown: a frame booked before
    /// must not draw over what the job shows next.
    finished: Cell<bool>,
    show: Box<dyn Fn(FileUpload)>,
}

impl Reporter {
    /// A reporter for `uploader`; `show` puts a new state on screen.
    pub fn new(uploader: Rc<RefCell<Uploader>>, show: impl Fn(FileUpload) + 'static) -> Rc<Self> {
        Rc::new(Self {
            uploader,
            shown: RefCell::new(None),
            shown_at_ms: Cell::new(0),
            frame_booked: Cell::new(false),
            finished: Cell::new(false),
            show: Box::new(show),
        })
    }

    /// Shows the upload as it stands now, if that is worth a redraw.
    pub fn show_now(&self) {
        if self.finished.get() {
            return;
        }
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

    /// Shows the upload at the next animation frame, as it stands then
    /// (one redraw per frame at most).
    pub fn show_soon(self: &Rc<Self>) {
        if self.finished.get() || self.frame_booked.replace(true) {
            return;
        }
        let reporter = Rc::downgrade(self);
        request_animation_frame(move || {
            if let Some(reporter) = reporter.upgrade() {
                reporter.frame_booked.set(false);
                reporter.show_now();
            }
        });
    }

    /// After a progress event, which moves only bytes and speed: nothing to
    /// do until the last redraw is [`REDRAW_EVERY_MS`] old.
    pub fn show_progress(self: &Rc<Self>) {
        if now_ms().saturating_sub(self.shown_at_ms.get()) >= REDRAW_EVERY_MS {
            self.show_soon();
        }
    }

    /// The upload ended: its last state is shown now, and nothing after.
    pub fn finish(&self) {
        self.show_now();
        self.finished.set(true);
    }
}
