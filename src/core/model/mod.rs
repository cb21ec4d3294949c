//! The model `fal-ai/wan/v2.7/reference-to-video` itself: its input and
//! output schema, its limits (text lengths, file sizes and formats), the
//! checks that keep fal from refusing a request (and the `Issues` every
//! check reports in), what a run costs, and byte sizes as people read them.

pub mod byte_size;
pub mod fixed_decimals;
pub mod issues;
pub mod off_schema;
pub mod pricing;
pub mod reference_media;
pub mod schema;
pub mod validation;
