//! Command-line flags. `--help` is the reference for deployers; keep its
//! wording in step with server/README.md.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use wan_r2v_studio::core::model::schema::ENDPOINT_ID;

use crate::fal_key::FalKey;
use crate::serve::ConnectionLimits;
use crate::simulator::faults::FaultRule;
use crate::simulator::options::SimOptions;
use crate::simulator::timings::Timings;
use crate::start_error::StartError;
use crate::units::{parse_duration, parse_size};

const ABOUT: &str = "Serves the wan-r2v studio, forwards its fal.ai calls with a \
server-side key, or simulates fal offline (--simulate).";

const AFTER_HELP: &str = "\
Environment:
  FAL_KEY   The fal key the proxy sends upstream as `Authorization: Key <FAL_KEY>`.
            Never logged and never sent to a browser. Required in proxy mode unless
            --forward-user-key is given; ignored by --simulate. With FAL_KEY and an
            --address other than loopback, an access mode is required
            (--access-codes, --trust-identity-header or --access open).
  PORT      Default for --port.
  RUST_LOG  Log filter (default `info`; `wan_r2v_server=debug` logs every request).

Routes:
  /                 the app (dist/), SPA fallback to index.html
  /config.json      the app's runtime config (generated unless dist/config.json or --app-config)
  /api/fal/proxy    fal's server-proxy protocol (target in `x-fal-target-url`)
  /sim/...          only with --simulate: direct-mode queue (/sim/queue), storage
                    (/sim/rest, /sim/storage), files (/sim/files), /sim/control, /sim/journal

Durations accept `ms`, `s` or `m` (`500ms`, `3s`, `10m`); sizes accept `KiB`/`MiB`.
Simulator prompt words, fault rules and the control API: see server/README.md.";

/// Every flag. Tests build this with `Cli::try_parse_from` and then set
/// `fal_key` directly, since the key is read only from the environment.
#[derive(Debug, Clone, Parser)]
#[command(name = "wan-r2v-server", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub address: IpAddr,

    /// Port to listen on; 0 picks a free one. The bound address is printed
    /// on stdout as `listening on http://ADDR:PORT/`.
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub port: u16,

    /// The built app (trunk's output) to serve.
    #[arg(long, default_value = "dist")]
    pub dist: PathBuf,

    /// A config.json to serve instead of the generated one (and instead of
    /// dist/config.json). Checked at start-up with the app's own rules.
    #[arg(long, value_name = "FILE")]
    pub app_config: Option<PathBuf>,

    /// Answer fal calls in-process instead of forwarding them: no key, no
    /// cost, no network. The generated config.json then says `simulated`.
    #[arg(long)]
    pub simulate: bool,

    /// An origin allowed to call the proxy from another site (CORS), e.g.
    /// `https://studio.example`. Repeatable. Same-origin use needs none.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origins: Vec<String>,

    /// A host name (or IP address) this server answers, besides
    /// --public-url's, the address a connection arrives at and `localhost`.
    /// Repeatable. Any other `Host` gets 421 (DNS rebinding guard); needed
    /// behind a reverse proxy that passes the site's own name.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_hosts: Vec<String>,

    /// Use the `Authorization` header a browser sends (the user's own key)
    /// instead of FAL_KEY. Off by default; the generated config.json's
    /// `forward_user_key_to_proxy` follows this flag.
    #[arg(long)]
    pub forward_user_key: bool,

    /// Whether the app offers people to enter their own fal key
    /// (config.json `allow_user_key`).
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub allow_user_key: bool,

    /// A model endpoint the proxy may POST to (submit). Repeatable; replaces
    /// the default. Storage initiate calls are always allowed.
    #[arg(long = "allow-endpoint", value_name = "ENDPOINT_ID", default_values_t = [ENDPOINT_ID.to_owned()])]
    pub allow_endpoints: Vec<String>,

    /// Largest request body the proxy accepts (JSON only: file bytes go
    /// straight from the browser to storage). Larger bodies get 413.
    #[arg(long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_size)]
    pub max_body: u64,

    /// Proxy requests per second each identity (access code, user, or
    /// client IP) may make on average (token bucket refill rate); 0 turns
    /// the limit off. Over it: 429.
    #[arg(long, value_name = "PER_SECOND", default_value_t = 10.0)]
    pub rate_limit: f64,

    /// Proxy requests a client may make in a burst (token bucket size).
    #[arg(long, value_name = "REQUESTS", default_value_t = 60)]
    pub rate_burst: u32,

    /// Take the client IP (for rate limits, and the identity in open mode)
    /// from exactly the last `X-Forwarded-For` entry, the one a reverse
    /// proxy in front appends (only behind one); 400 if it is not an
    /// address.
    #[arg(long)]
    pub trust_forwarded_for: bool,

    /// Connections served at once; more wait until one closes. Each
    /// status stream holds one for as long as it runs.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    pub max_connections: usize,

    /// How long a client may take to send a request's head (and how long
    /// an idle keep-alive connection stays open).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub header_timeout: Duration,

    /// How long a client may take to send a request's body, from its head.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub body_timeout: Duration,

    /// How long fal may take to start answering before the proxy gives up
    /// with 502. Streams are not cut once they have started.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub upstream_timeout: Duration,

    /// The server's public origin (`https://studio.example`), used in URLs
    /// the simulator hands out. Default: taken from each request's Host.
    #[arg(long, value_name = "ORIGIN")]
    pub public_url: Option<String>,

    /// Who may use the proxy: the access codes in FILE (TOML or JSON, codes
    /// stored as SHA-256 hashes; see --new-access-code). Calls send the code
    /// in the `x-wan-access-code` header.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["trust_identity_header", "access"], help_heading = "Access and budgets")]
    pub access_codes: Option<PathBuf>,

    /// Who may use the proxy: whoever an authenticating reverse proxy in
    /// front names in this header (e.g. X-Forwarded-Email). Calls without
    /// it get 401. Never expose the server without that proxy in front.
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with = "access",
        help_heading = "Access and budgets"
    )]
    pub trust_identity_header: Option<String>,

    /// `open`: anyone who reaches the server may use its key (within the
    /// budgets); each client IP is an identity.
    #[arg(long, value_name = "MODE", value_parser = ["open"], help_heading = "Access and budgets")]
    pub access: Option<String>,

    /// Print a new access code and the entry that admits it (for the
    /// --access-codes file), then exit.
    #[arg(long, value_name = "NAME", help_heading = "Access and budgets")]
    pub new_access_code: Option<String>,

    /// Dollars all identities together may spend per UTC day (e.g. 20).
    #[arg(long, value_name = "USD", help_heading = "Access and budgets")]
    pub budget_daily: Option<String>,

    /// Dollars all identities together may spend per UTC month.
    #[arg(long, value_name = "USD", help_heading = "Access and budgets")]
    pub budget_monthly: Option<String>,

    /// Dollars each identity (access code, user, or IP) may spend per UTC
    /// day; an access code's own `daily_usd` wins.
    #[arg(long, value_name = "USD", help_heading = "Access and budgets")]
    pub identity_budget_daily: Option<String>,

    /// Where budgets and request ownership live: a file (SQLite; default
    /// $XDG_STATE_HOME/wan-r2v-server/state.sqlite3, else
    /// ~/.local/state/…) or redis://HOST:PORT shared by replicas.
    #[arg(
        long,
        value_name = "PATH|redis://HOST:PORT",
        help_heading = "Access and budgets"
    )]
    pub state: Option<String>,

    /// Submits each identity may make: `N/s`, `N/min` or `N/h` (a burst of
    /// N, refilled over the period); 0 turns it off. Over it: 429.
    #[arg(
        long,
        value_name = "RATE",
        default_value = "30/min",
        help_heading = "Access and budgets"
    )]
    pub submit_rate: String,

    /// Tests only: let the reference-length check fetch http:// and
    /// loopback addresses (a test serves its own video).
    #[arg(long, hide = true, env = "WAN_R2V_PROBE_ALLOW_LOOPBACK")]
    pub probe_allow_loopback_for_tests: bool,

    /// Tests only: send upstream calls to this base instead of fal, as
    /// `BASE/<host>/<path>` (e.g. `http://127.0.0.1:9/queue.fal.run/...`).
    #[arg(
        long,
        hide = true,
        env = "WAN_R2V_UPSTREAM_OVERRIDE",
        value_name = "BASE"
    )]
    pub upstream_override: Option<String>,

    /// Tests only: let --upstream-override (or WAN_R2V_UPSTREAM_OVERRIDE)
    /// take effect, sending keys to that base. Without it the server
    /// refuses to start with an override, so a stray environment variable
    /// cannot send a real key elsewhere than fal.
    #[arg(long, hide = true)]
    pub allow_upstream_override_for_tests: bool,

    /// How long a job waits in the queue.
    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = parse_duration, help_heading = "Simulator")]
    pub sim_queue: Duration,

    /// The first queue position a job reports; it counts down to
    /// 0 over the queue time.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 2,
        help_heading = "Simulator"
    )]
    pub sim_queue_position: u32,

    /// How long a job runs (IN_PROGRESS).
    #[arg(long, value_name = "DURATION", default_value = "8s", value_parser = parse_duration, help_heading = "Simulator")]
    pub sim_run: Duration,

    /// One log line per this much running time.
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration, help_heading = "Simulator")]
    pub sim_log_interval: Duration,

    /// How long a result stays fetchable after completion (then 404).
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration, help_heading = "Simulator")]
    pub sim_result_ttl: Duration,

    /// How long an upload URL accepts bytes (then 403, like an
    /// expired signed URL).
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = parse_duration, help_heading = "Simulator")]
    pub sim_upload_ttl: Duration,

    /// How often the status stream sends a `: keep-alive` comment.
    #[arg(long, value_name = "DURATION", default_value = "15s", value_parser = parse_duration, help_heading = "Simulator")]
    pub sim_keepalive: Duration,

    /// How long a running job takes to stop after a cancel.
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration, help_heading = "Simulator")]
    pub sim_cancel_delay: Duration,

    /// Largest single uploaded file (413 beyond).
    #[arg(long, value_name = "SIZE", default_value = "200MiB", value_parser = parse_size, help_heading = "Simulator")]
    pub sim_max_upload: u64,

    /// Total bytes uploads may hold in memory (files and the parts of
    /// unfinished multipart uploads); the oldest are dropped to make room.
    #[arg(long, value_name = "SIZE", default_value = "512MiB", value_parser = parse_size, help_heading = "Simulator")]
    pub sim_storage: u64,

    /// A fault rule (JSON, as in /sim/control `faults`) active
    /// from start-up, e.g. `{"route":"status","kind":"http","status":503,"times":2}`.
    /// Repeatable.
    #[arg(long = "sim-fault", value_name = "JSON", help_heading = "Simulator")]
    pub sim_faults: Vec<String>,

    /// Read from the FAL_KEY environment variable by `main`, never from a
    /// flag, so the key cannot show up in `ps` or shell history.
    #[arg(skip)]
    pub fal_key: Option<FalKey>,
}

impl Cli {
    /// `--max-connections`, `--header-timeout` and `--body-timeout`.
    pub fn connection_limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            max_connections: self.max_connections.max(1),
            header_timeout: self.header_timeout,
            body_timeout: self.body_timeout,
        }
    }

    /// The simulator's options from the `--sim-*` flags; a fault rule that
    /// does not parse or could never match stops start-up.
    pub fn sim_options(&self) -> Result<SimOptions, StartError> {
        let faults = self
            .sim_faults
            .iter()
            .map(|text| {
                let fault = |reason: String| StartError::SimFault {
                    rule: text.clone(),
                    reason,
                };
                let rule: FaultRule =
                    serde_json::from_str(text).map_err(|e| fault(e.to_string()))?;
                rule.check().map_err(fault)?;
                Ok(rule)
            })
            .collect::<Result<_, StartError>>()?;
        Ok(SimOptions {
            timings: Timings {
                queue: self.sim_queue,
                queue_position: self.sim_queue_position,
                run: self.sim_run,
                log_interval: self.sim_log_interval,
                result_ttl: self.sim_result_ttl,
                upload_ttl: self.sim_upload_ttl,
                keepalive: self.sim_keepalive,
                cancel_delay: self.sim_cancel_delay,
            },
            max_upload: self.sim_max_upload,
            storage: self.sim_storage,
            faults,
            public_url: self.public_url.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let cli = Cli::try_parse_from(["wan-r2v-server"]).unwrap();
        assert_eq!(cli.address.to_string(), "127.0.0.1");
        assert_eq!(cli.max_body, 1 << 20);
        assert_eq!(cli.allow_endpoints, vec![ENDPOINT_ID.to_owned()]);
        assert!(cli.allow_user_key && !cli.forward_user_key && !cli.simulate);
        assert_eq!(cli.sim_queue, Duration::from_secs(3));
        assert_eq!(cli.sim_run, Duration::from_secs(8));
        assert_eq!(cli.sim_result_ttl, Duration::from_secs(600));
        assert_eq!(cli.connection_limits(), ConnectionLimits::default());
        let cli = Cli::try_parse_from(["wan-r2v-server", "--allow-user-key", "false"]).unwrap();
        assert!(!cli.allow_user_key);
    }

    #[test]
    fn a_fault_rule_that_cannot_match_stops_start_up() {
        let cli = |rule: &str| {
            Cli::try_parse_from(["wan-r2v-server", "--simulate", "--sim-fault", rule]).unwrap()
        };
        let ok = cli(r#"{"route":"status","kind":"http","status":503,"times":2}"#);
        assert_eq!(ok.sim_options().unwrap().faults.len(), 1);
        let typo = cli(r#"{"route":"stauts","kind":"http"}"#).sim_options();
        assert!(
            matches!(&typo, Err(StartError::SimFault { reason, .. }) if reason.contains("stauts")),
            "{typo:?}"
        );
        assert!(matches!(
            cli("not json").sim_options(),
            Err(StartError::SimFault { .. })
        ));
    }
}
