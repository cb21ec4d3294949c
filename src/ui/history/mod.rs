//! The History panel and what hangs off it: every job kept in this browser,
//! the jobs this page follows, kept copies of videos, the side-by-side
//! comparison, and share links.

mod compare_view;
mod history_item;
mod history_panel;
mod kept_copies;
mod live_jobs;
mod share_link;
mod small_button;
pub mod store;
mod thumbnail;

pub use history_panel::HistoryPanel;
pub use kept_copies::KeptCopies;
pub use live_jobs::LiveJobs;
pub use share_link::{open_shared_link, CopyShareLink, OpenedShare, SharedLinkNotice};
