//! Leptos components. They wire signals to `core` functions and hold no
//! protocol logic of their own.

pub mod app;
pub mod batch;
pub mod blocked_host;
pub mod common;
pub mod connection;
pub mod embed;
pub mod footer;
pub mod form;
pub mod header;
pub mod history;
pub mod job;
pub mod on_demand;
pub mod panel;
pub mod upload;
