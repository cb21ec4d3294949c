//! wan-r2v-studio: a browser studio for fal.ai's Wan 2.7 reference-to-video model.
//!
//! Three layers, so the logic can be read and tested without a browser:
//! - [`core`]: plain Rust. The model's types, validation, cost, fal's protocol
//!   rules and the job state machine. It describes HTTP requests as data and
//!   never performs them, so it is unit-tested natively.
//! - `web`: the browser side that performs what the core describes.
//! - `ui`: Leptos components that wire signals to core functions.
//!
//! `web` and `ui` exist only with the `ui` feature (on by default), which lets
//! native tools such as `wan-r2v-server` reuse `core` without Leptos.

pub mod core;

#[cfg(feature = "ui")]
pub mod ui;
#[cfg(feature = "ui")]
pub mod web;

#[cfg(feature = "ui")]
pub use ui::app::App;
