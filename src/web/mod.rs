//! The browser side: performs what `core` describes (HTTP, storage, object
//! URLs, postMessage). Small and boring on purpose; decisions belong in `core`.
