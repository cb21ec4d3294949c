//! A browser `File` described as the core's `LocalFile`.

use crate::core::model::reference_media::LocalFile;

/// Name, size and type, which is all the core needs to judge a file.
pub fn describe(file: &web_sys::File) -> LocalFile {
    LocalFile {
        name: file.name(),
        size: file.size() as u64,
        mime: file.type_(),
    }
}
