//! Who answers the calls the proxy lets through: real fal or the
//! simulator. Chosen once at start-up, so no request can find neither.

use std::sync::Arc;

use crate::cli::Cli;
use crate::fal_key::FalKey;
use crate::proxy::upstream::Upstream;
use crate::simulator::Simulator;
use crate::start_error::StartError;

#[derive(Debug)]
pub enum Backend {
    /// Forward to fal. `key` is FAL_KEY; `None` only with
    /// `--forward-user-key`, where each browser brings its own.
    Fal {
        upstream: Upstream,
        key: Option<FalKey>,
    },
    /// `--simulate`: answered in-process; FAL_KEY is ignored.
    Simulator(Arc<Simulator>),
}

impl Backend {
    /// Picks the backend the flags ask for, or says why none can run.
    pub fn choose(cli: &Cli) -> Result<Self, StartError> {
        if cli.simulate {
            return Ok(Backend::Simulator(Arc::new(Simulator::new(
                cli.sim_options()?,
            ))));
        }
        if cli.fal_key.is_none() && !cli.forward_user_key {
            return Err(StartError::NoKey);
        }
        // Every upstream call carries a key (FAL_KEY, or a person's own
        // with --forward-user-key): an override would send it elsewhere.
        if let Some(base) = &cli.upstream_override {
            if !cli.allow_upstream_override_for_tests {
                return Err(StartError::UpstreamOverride { base: base.clone() });
            }
            tracing::warn!("fal calls, and their keys, go to {base} (tests only)");
        }
        Ok(Backend::Fal {
            upstream: Upstream::new(cli.upstream_timeout, cli.upstream_override.clone())?,
            key: cli.fal_key.clone(),
        })
    }

    pub fn simulator(&self) -> Option<&Arc<Simulator>> {
        match self {
            Backend::Simulator(sim) => Some(sim),
            Backend::Fal { .. } => None,
        }
    }

    /// The server's own fal key, when it has one to spend.
    pub fn server_key(&self) -> Option<&FalKey> {
        match self {
            Backend::Fal { key, .. } => key.as_ref(),
            Backend::Simulator(_) => None,
        }
    }

    /// For the start-up log line.
    pub fn describe(&self) -> &'static str {
        match self {
            Backend::Simulator(_) => "simulating fal (no key, no cost)",
            Backend::Fal { key: Some(_), .. } => "proxying to fal with FAL_KEY",
            Backend::Fal { key: None, .. } => "proxying to fal with keys people enter",
        }
    }
}
