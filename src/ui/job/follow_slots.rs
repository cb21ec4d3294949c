//! The page's status streams, shared by every job it follows: the browser
//! gives a page only 6 connections per origin over HTTP/1.1, so the core's
//! [`StreamSlots`] decides which jobs stream and which poll, and this file
//! performs its changes (a job given a freed stream is woken to open it).
//!
//! Page-wide state on purpose: the connection limit is the page's, not one
//! component's, so one keeper serves every job however it was started
//! (Generate, a batch, a reload, "Check again").

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;

use super::running_job::RunningJob;
use crate::core::batch::stream_slots::{origin_of, SlotChange, StreamSlots};
use crate::core::fal::endpoint::RequestUrls;
use crate::core::job::follow::Follower;

/// A followed job: its record id, the job, and the flag its follow loop
/// reads to learn that a stream came free for it.
type Followed = (String, RunningJob, Rc<Cell<bool>>);

thread_local! {
    static SLOTS: RefCell<StreamSlots<String>> = RefCell::new(StreamSlots::new());
    /// Jobs being followed.
    static FOLLOWED: RefCell<Vec<Followed>> = const { RefCell::new(Vec::new()) };
}

/// A job's place among the page's streams, held by its follow loop.
pub(super) struct Slot {
    id: String,
    granted: Rc<Cell<bool>>,
}

impl Slot {
    /// Takes `running` in: its follower streams if a stream is free on the
    /// status host, and polls otherwise.
    pub(super) fn take(running: RunningJob, urls: RequestUrls) -> (Self, Follower) {
        let id = running.record.with_untracked(|r| r.id.clone());
        let granted = Rc::new(Cell::new(false));
        FOLLOWED.with(|f| {
            let mut f = f.borrow_mut();
            f.retain(|(other, _, _)| *other != id);
            f.push((id.clone(), running, granted.clone()));
        });
        let change = SLOTS.with(|s| s.borrow_mut().add(id.clone(), &origin_of(&urls.stream)));
        let follower = match change {
            SlotChange::OpenStream(_) => Follower::new(urls),
            SlotChange::Poll(_) => Follower::waiting_for_stream(urls),
        };
        (Self { id, granted }, follower)
    }

    /// True once, when a stream came free for this polling job.
    pub(super) fn granted(&self) -> bool {
        self.granted.replace(false)
    }

    /// The job's stream ended before the job did: it polls from now on,
    /// and the stream goes to the oldest polling job. `silent`: nothing
    /// came through at all (a buffering proxy).
    pub(super) fn stream_ended(&self, silent: bool) {
        let changes = SLOTS.with(|s| s.borrow_mut().stream_ended(&self.id, silent));
        perform(changes);
    }
}

impl Drop for Slot {
    /// The follow loop ended (the job's outcome is known, or it stopped):
    /// its stream, if it had one, goes to the oldest polling job.
    fn drop(&mut self) {
        let changes = SLOTS.with(|s| s.borrow_mut().finished(&self.id));
        FOLLOWED.with(|f| f.borrow_mut().retain(|(other, _, _)| *other != self.id));
        perform(changes);
    }
}

fn perform(changes: Vec<SlotChange<String>>) {
    for change in changes {
        let SlotChange::OpenStream(id) = change else {
            continue;
        };
        let found = FOLLOWED.with(|f| {
            f.borrow()
                .iter()
                .find(|(other, _, _)| *other == id)
                .map(|(_, running, granted)| (*running, granted.clone()))
        });
        if let Some((running, granted)) = found {
            granted.set(true);
            // Cuts the poll's wait short so the stream opens now.
            let _ = running.alarm.try_with_value(|a| a.ring());
        }
    }
}
