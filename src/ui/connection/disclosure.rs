//! Whether the Connection panel is open. Folded, it lives behind the
//! header's badge (a button that opens it); it stays open, and the badge a
//! link to it, while the person must act in it (the core's
//! [`panel_must_stay_open`]). It starts folded only when the connection
//! already works, and it never folds by itself: a key just typed is not
//! whisked away from under the person's hands, nor the "Remember on this
//! device" box beside it.

use leptos::prelude::*;

use crate::core::config::connection_mode::ConnectionMode;
use crate::core::config::connection_panel::panel_must_stay_open;

use super::access_state::AccessState;

/// The element the badge opens and closes (`aria-controls`).
pub const CONNECTION_PANEL_ID: &str = "connection";
/// The header's badge, where focus goes back when the panel folds.
pub const CONNECTION_BADGE_ID: &str = "connection-badge";

/// `Copy` arena handles; part of the connection context.
#[derive(Clone, Copy)]
pub struct PanelDisclosure {
    /// The person's choice, from the badge (or Escape in the panel).
    chosen_open: RwSignal<bool>,
    /// Nothing can be sent until the person acts in the panel.
    pub pinned: Memo<bool>,
}

impl PanelDisclosure {
    pub fn new(mode: Memo<ConnectionMode>, access: AccessState) -> Self {
        let pinned = Memo::new(move |_| {
            access
                .refusal
                .with(|refusal| panel_must_stay_open(mode.get(), refusal.as_ref()))
        });
        let chosen_open = RwSignal::new(pinned.get_untracked());
        // Once pinned, it stays open after the reason goes (the key typed,
        // the code entered) until the person folds it.
        Effect::new(move |_| {
            if pinned.get() {
                chosen_open.set(true);
            }
        });
        Self {
            chosen_open,
            pinned,
        }
    }

    /// Whether the panel shows.
    pub fn is_open(&self) -> bool {
        self.pinned.get() || self.chosen_open.get()
    }

    /// The badge's press: opens a folded panel, folds an open one (never a
    /// pinned one).
    pub fn toggle(&self) {
        if !self.pinned.get_untracked() {
            self.chosen_open.update(|open| *open = !*open);
        }
    }

    /// Folds the panel, unless it is pinned; true when it folded.
    pub fn close(&self) -> bool {
        let folds = !self.pinned.get_untracked() && self.chosen_open.get_untracked();
        if folds {
            self.chosen_open.set(false);
        }
        folds
    }
}
