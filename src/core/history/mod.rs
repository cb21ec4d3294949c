//! The jobs kept in this browser: the list and its rules (a paid result is
//! never evicted), each entry put into words, export and import as a file,
//! and comparing runs side by side.

pub mod batches;
pub mod compare;
pub mod compare_choice;
pub mod entry;
pub mod file;
pub mod forward;
pub mod known_text;
pub mod panel_text;
pub mod records;
pub mod set_aside;
