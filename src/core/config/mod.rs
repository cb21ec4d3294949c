//! What the deployer decides: `config.json` read and checked, the
//! Content-Security-Policy that follows from it, and the connection mode a
//! person sees (own key, proxy, simulator) with what it means for their key,
//! what "Test connection" found, and when the Connection panel may fold
//! into the header's badge.

pub mod connection_mode;
pub mod connection_panel;
pub mod connection_verdict;
pub mod csp;
pub mod host_source;
pub mod runtime;
