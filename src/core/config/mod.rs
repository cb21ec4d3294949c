//! What the deployer decides: `config.json` read and checked, the
//! Content-Security-Policy that follows from it, and the connection mode a
//! person sees (own key, proxy, simulator) with what it means for their key,
//! and what "Test connection" found.

pub mod connection_mode;
pub mod connection_verdict;
pub mod csp;
pub mod host_source;
pub mod runtime;
