//! A clock that ticks once a second while a job runs.

use leptos::prelude::*;

use crate::web::timer::now_ms;

/// Seconds since `since_ms`, updated every second while mounted.
pub fn use_elapsed_seconds(since_ms: Signal<Option<u64>>) -> Signal<Option<u64>> {
    let now = RwSignal::new(now_ms());
    // A timer is the outside world: an interval, cleared on unmount.
    let handle =
        set_interval_with_handle(move || now.set(now_ms()), std::time::Duration::from_secs(1)).ok();
    on_cleanup(move || {
        if let Some(handle) = handle {
            handle.clear();
        }
    });
    Signal::derive(move || {
        since_ms
            .get()
            .map(|since| now.get().saturating_sub(since) / 1000)
    })
}
