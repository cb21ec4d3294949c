//! Pasting references: an image copied to the clipboard, or a link.

use super::data_transfer::{read_transfer, Transfer};

/// What a paste event carries.
pub fn read_paste(event: &web_sys::ClipboardEvent) -> Transfer {
    event
        .clipboard_data()
        .map_or(Transfer::Nothing, |data| read_transfer(&data))
}
