//! Why the server refuses to start. Each variant prints as the one line
//! `main` writes before exiting, naming the flag or file at fault.

use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "FAL_KEY is not set. Set it to proxy to fal, or pass --simulate to run without fal \
         (or --forward-user-key to use keys people enter)."
    )]
    NoKey,
    #[error("--public-url {url:?} must be an origin such as https://studio.example")]
    PublicUrl { url: String },
    #[error(
        "--allow-origin {origin:?} must be an origin such as https://studio.example \
         (no path, no trailing slash) or *"
    )]
    AllowOrigin { origin: String },
    #[error("--sim-fault {rule:?}: {reason}")]
    SimFault { rule: String, reason: String },
    #[error("cannot read {}: {source}", path.display())]
    ReadAppConfig {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The app's own `AppConfig` rules refused the file.
    #[error("{}: {reason}", path.display())]
    AppConfig { path: PathBuf, reason: String },
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
    #[error("cannot listen on {address}:{port}: {source}")]
    Listen {
        address: IpAddr,
        port: u16,
        source: std::io::Error,
    },
}
