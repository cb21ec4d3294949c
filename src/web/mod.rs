//! The browser side: performs what `core` describes (HTTP, storage, object
//! URLs, postMessage), one request or storage call per function. Small and
//! boring on purpose: no signals (they live in `ui`), no decisions (they
//! belong in `core`).

pub mod clipboard_paste;
pub mod copy_text;
pub mod data_transfer;
pub mod download;
pub mod early_player;
pub mod embed;
pub mod fetch;
pub mod form_storage;
pub mod idle;
pub mod key_store;
pub mod local_file;
pub mod local_storage;
pub mod local_time;
pub mod media_controls;
pub mod media_trim;
pub mod notify;
pub mod object_url;
pub mod page_address;
pub mod random;
pub mod runtime_config;
pub mod storage_persistence;
pub mod text_file;
pub mod timer;
pub mod upload;
pub mod video_cache;
pub mod video_duration;
