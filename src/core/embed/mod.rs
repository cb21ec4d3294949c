//! The studio inside another site's `<iframe>`: the versioned postMessage
//! protocol, who may take part (the origin gate), and which events a job's
//! progress owes the host page.

pub mod commands;
pub mod consent;
pub mod events;
pub mod gate;
pub mod problems;
pub mod protocol;
