//! Builds the proxy from the flags: the access mode, the budgets, the
//! rates and the state store, refusing to start on bad input or on a key
//! left open to the network.

use std::sync::Arc;

use axum::http::HeaderName;

use super::Proxy;
use crate::access::codes::CodeBook;
use crate::access::AccessMode;
use crate::backend::Backend;
use crate::budget::money::parse_usd;
use crate::budget::Budgets;
use crate::cli::Cli;
use crate::probe::fetch::FetchPolicy;
use crate::probe::ReferenceProber;
use crate::start_error::StartError;
use crate::state::{self, Rate, StateSpec};
use crate::units::parse_rate;

fn access_mode(cli: &Cli) -> Result<AccessMode, StartError> {
    if let Some(path) = &cli.access_codes {
        let book = CodeBook::load(path).map_err(|reason| StartError::AccessCodes {
            path: path.clone(),
            reason,
        })?;
        return Ok(AccessMode::Codes(book));
    }
    if let Some(name) = &cli.trust_identity_header {
        let header = HeaderName::try_from(name.trim())
            .map_err(|_| StartError::IdentityHeader { name: name.clone() })?;
        return Ok(AccessMode::TrustHeader(header));
    }
    Ok(match cli.access.as_deref() {
        Some("open") => AccessMode::Open,
        _ => AccessMode::Unguarded,
    })
}

fn budgets(cli: &Cli) -> Result<Budgets, StartError> {
    let amount = |flag: &'static str, value: &Option<String>| {
        value
            .as_deref()
            .map(parse_usd)
            .transpose()
            .map_err(|source| StartError::Budget { flag, source })
    };
    Ok(Budgets {
        daily: amount("--budget-daily", &cli.budget_daily)?,
        monthly: amount("--budget-monthly", &cli.budget_monthly)?,
        identity_daily: amount("--identity-budget-daily", &cli.identity_budget_daily)?,
    })
}

/// Checks every access and budget flag, opens the state store, and says
/// at start-up who may spend the key and where the state lives.
pub async fn build_proxy(cli: &Cli, backend: Backend) -> Result<Proxy, StartError> {
    let access = access_mode(cli)?;
    let budgets = budgets(cli)?;
    let submit_rate = parse_rate(&cli.submit_rate)
        .map_err(StartError::SubmitRate)?
        .map(|(count, period)| Rate {
            per_second: f64::from(count) / period.as_secs_f64(),
            burst: count,
        });
    let spends_server_key = matches!(backend, Backend::Fal { key: Some(_), .. });
    match (&access, spends_server_key) {
        (AccessMode::Unguarded, true) if !cli.address.is_loopback() => {
            return Err(StartError::KeyExposed {
                address: cli.address,
            })
        }
        (AccessMode::Unguarded, true) => tracing::warn!(
            "FAL_KEY is used with no access mode: anything on this machine may spend it \
             (fine for local use; see --access-codes, --trust-identity-header, --access open)"
        ),
        (AccessMode::Open, _) => tracing::warn!(
            "--access open: anyone who can reach this server may spend its fal key{}",
            if budgets == Budgets::default() {
                " with no budget set"
            } else {
                ", within the budgets"
            }
        ),
        _ => {}
    }
    let codes_have_budgets = matches!(&access, AccessMode::Codes(book) if book.has_budgets());
    let priced = budgets != Budgets::default() || codes_have_budgets;
    let spec = StateSpec::choose(
        cli.state.as_deref(),
        std::env::var("XDG_STATE_HOME").ok().as_deref(),
        std::env::var("HOME").ok().as_deref(),
    )?;
    let store = state::open(&spec).await?;
    tracing::info!(
        "access: {}; state: {}{}",
        access.describe(),
        store.describe(),
        if priced { "; budgets on" } else { "" }
    );
    let policy = match cli.probe_allow_loopback_for_tests {
        true => FetchPolicy::AlsoLoopbackForTests,
        false => FetchPolicy::Public,
    };
    let rate = (cli.rate_limit > 0.0).then(|| Rate {
        per_second: cli.rate_limit,
        burst: cli.rate_burst.max(1),
    });
    Ok(Proxy {
        prober: ReferenceProber::new(policy, backend.simulator().cloned()),
        backend,
        forward_user_key: cli.forward_user_key,
        allowed_endpoints: cli.allow_endpoints.clone(),
        max_body: cli.max_body,
        trust_forwarded_for: cli.trust_forwarded_for,
        public_url: cli.public_url.clone(),
        access,
        budgets,
        priced,
        store: Arc::clone(&store),
        rate,
        submit_rate,
    })
}
