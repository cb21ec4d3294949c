//! The person's access code for the deployer's proxy, and the proxy's last
//! access refusal. The code is kept like the fal key: in memory, unless
//! they tick "Remember on this device" (then this site's `localStorage`);
//! "Forget access code" removes it everywhere.

use leptos::prelude::*;

use crate::core::access::access_code::AccessCode;
use crate::core::access::refusal::{AccessMode, AccessRefusal};
use crate::core::fal::error::FalErrorKind;
use crate::core::job::state::JobState;
use crate::ui::job::running_job::RunningJob;
use crate::web::local_storage;

/// The storage key, named so a person inspecting storage knows what it is.
pub const ACCESS_CODE_STORAGE_KEY: &str = "wan-r2v-studio.access-code";

/// `Copy` arena handles; part of the connection context.
#[derive(Clone, Copy)]
pub struct AccessState {
    pub code: RwSignal<Option<AccessCode>>,
    pub remembered: RwSignal<bool>,
    /// The proxy's last refusal of this kind (no access, a budget, its
    /// store down), until the person acts on it.
    pub refusal: RwSignal<Option<AccessRefusal>>,
    /// The proxy asked for a code on this page, or one was held here (a
    /// proxy that took a code needs one): the field stays, even emptied or
    /// forgotten, so it never vanishes under the person's hands.
    pub asked: RwSignal<bool>,
}

impl AccessState {
    /// Starts with a code remembered earlier, if any.
    pub fn new() -> Self {
        let stored = local_storage::get(ACCESS_CODE_STORAGE_KEY)
            .and_then(|text| AccessCode::parse(&text).ok());
        Self {
            remembered: RwSignal::new(stored.is_some()),
            code: RwSignal::new(stored),
            refusal: RwSignal::new(None),
            asked: RwSignal::new(false),
        }
    }

    /// Sets or clears the code. A new code is a new identity to the proxy:
    /// the refusals the old one got no longer apply.
    pub fn set_code(&self, code: Option<AccessCode>) {
        if self.remembered.get_untracked() {
            match &code {
                Some(code) => {
                    local_storage::set(ACCESS_CODE_STORAGE_KEY, code.expose());
                }
                None => {
                    local_storage::remove(ACCESS_CODE_STORAGE_KEY);
                }
            }
        }
        if code.is_some() {
            self.refusal.set(None);
        }
        self.code.set(code);
    }

    /// Turns remembering on or off; false when the browser refused.
    pub fn set_remembered(&self, on: bool) -> bool {
        let stored = match (on, self.code.get_untracked()) {
            (true, Some(code)) => local_storage::set(ACCESS_CODE_STORAGE_KEY, code.expose()),
            (true, None) => true,
            (false, _) => {
                local_storage::remove(ACCESS_CODE_STORAGE_KEY);
                true
            }
        };
        self.remembered.set(on && stored);
        stored
    }

    /// "Forget access code": out of memory and out of storage. The field
    /// stays, empty, where the person pressed it (a code remembered from an
    /// earlier visit showed it without the proxy asking on this page).
    pub fn forget(&self) {
        local_storage::remove(ACCESS_CODE_STORAGE_KEY);
        self.remembered.set(false);
        self.asked.set(true);
        self.code.set(None);
    }

    /// Keeps the proxy's refusal until the person acts on it.
    pub fn note(&self, met: AccessRefusal) {
        if matches!(
            met,
            AccessRefusal::AccessRequired {
                mode: AccessMode::AccessCode,
                ..
            }
        ) {
            self.asked.set(true);
        }
        self.refusal.set(Some(met));
    }

    /// Notes the proxy's refusals as the current job meets them, so Generate
    /// and the Connection panel can say what to do.
    pub fn watch(self, current: RwSignal<Option<RunningJob>>) {
        Effect::new(move |_| {
            let met = current.get().and_then(|running| {
                running.job.with(|job| match &job.state {
                    JobState::Failed(error) => match &error.kind {
                        FalErrorKind::Access(met) => Some(met.clone()),
                        _ => None,
                    },
                    _ => None,
                })
            });
            if let Some(met) = met {
                self.note(met);
            }
        });
    }
}
