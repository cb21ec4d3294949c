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
    #[error(
        "--upstream-override / WAN_R2V_UPSTREAM_OVERRIDE is set ({base}): it would send the fal \
         key there instead of to fal. It exists for tests, which also pass \
         --allow-upstream-override-for-tests; unset it to proxy to fal."
    )]
    UpstreamOverride { base: String },
    #[error("--public-url {url:?} must be an origin such as https://studio.example")]
    PublicUrl { url: String },
    #[error(
        "--allow-origin {origin:?} must be an origin such as https://studio.example \
         (no path, no trailing slash) or *"
    )]
    AllowOrigin { origin: String },
    #[error(
        "--allow-host {host:?} must be a host name or IP address such as studio.example \
         (no scheme, path or wildcard)"
    )]
    AllowHost { host: String },
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
    #[error(
        "FAL_KEY is set and --address {address} is reachable from other machines, so anyone \
         there could spend the key: choose who may use it with --access-codes FILE, \
         --trust-identity-header NAME or --access open"
    )]
    KeyExposed { address: IpAddr },
    #[error("--access-codes {}: {reason}", path.display())]
    AccessCodes { path: PathBuf, reason: String },
    #[error("--trust-identity-header {name:?} is not a header name")]
    IdentityHeader { name: String },
    #[error("{flag}: {source}")]
    Budget {
        flag: &'static str,
        source: crate::budget::money::NotAnAmount,
    },
    #[error("--submit-rate: {0}")]
    SubmitRate(crate::units::UnitError),
    /// The state store cannot be opened (`--state`).
    #[error("--state {0}")]
    State(String),
    #[error("cannot listen on {address}:{port}: {source}")]
    Listen {
        address: IpAddr,
        port: u16,
        source: std::io::Error,
    },
}
