//! The History panel and what hangs off it: every job kept in this browser,
//! the jobs this page follows, kept copies of videos, the side-by-side
//! comparison, and share links.

mod batch_item;
mod compare_playback;
mod compare_view;
mod entry_actions;
mod history_item;
mod history_panel;
mod kept_copies;
mod kept_line;
mod live_jobs;
mod panel_state;
mod share_link;
pub mod store;
mod thumbnail;
mod toolbar;

pub use compare_view::{CompareOnDemand, CompareView};
pub use history_panel::HistoryPanel;
pub use kept_copies::KeptCopies;
pub use live_jobs::LiveJobs;
pub use share_link::{open_shared_link, CopyShareLink, OpenedShare, SharedLinkNotice};
