//! The embedded studio: the compact layout's Connection line, and the
//! host-page API (`core::embed_protocol`) wired to the form and the job.

mod api;
mod consent_prompt;
mod embed_connection;

pub use api::{use_embed_api, EmbedParts};
pub use consent_prompt::ConsentPrompt;
pub use embed_connection::EmbedConnection;
