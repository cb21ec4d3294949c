//! The request form as plain data: what it holds, every check before
//! Generate, what it is saved as between visits, what the rest of the page
//! may do to it, its references, their labels and the links that become
//! references, and the same request as
//! code (API view) or as a share link.

pub mod commands;
pub mod persistence;
pub mod reference_link;
pub mod references;
pub mod seconds_field;
pub mod share_link;
pub mod snippets;
pub mod state;
pub mod text_cursor;
pub mod trim;
pub mod trim_range;
pub mod validation;
