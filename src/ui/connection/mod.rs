//! How this browser reaches fal: the deployer's config, the user's key, the
//! mode badge and the Connection panel.

mod access_code_field;
mod access_state;
mod connection_panel;
mod context;
mod disclosure;
mod embed_sites;
mod folding_panel;
mod key_field;
mod mode_badge;
mod secret_field;
mod simulated_banner;
mod spending_settings;
mod test_connection;

pub use connection_panel::ConnectionPanel;
pub use context::ConnectionContext;
pub use folding_panel::FoldingConnectionPanel;
pub use mode_badge::{BadgePlace, ModeBadge};
pub use simulated_banner::SimulatedBanner;
pub use spending_settings::{spend_totals, SpendLine, SpendingSettings};
