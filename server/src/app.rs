//! Puts the pieces together: checks the flags, builds the router, binds.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::middleware;
use axum::response::Response;
use axum::routing::{any, get};
use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower_http::compression::predicate::{NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, DefaultPredicate};

use wan_r2v_studio::core::config::runtime::AppConfig;

use crate::app_config::{AppConfigSource, GeneratedConfig};
use crate::backend::Backend;
use crate::cli::Cli;
use crate::host_check::{check_host, AllowedHosts};
use crate::proxy::setup::build_proxy;
use crate::start_error::StartError;
use crate::static_files::{serve_static, StaticFiles};

/// A server that is listening.
#[derive(Debug)]
pub struct RunningServer {
    pub addr: SocketAddr,
    /// What answers the proxy, for the start-up log line.
    pub backend: &'static str,
    task: JoinHandle<()>,
}

impl RunningServer {
    /// `http://addr`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Runs until the process ends.
    pub async fn wait(mut self) {
        let _ = (&mut self.task).await;
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Debug)]
struct ConfigState {
    source: AppConfigSource,
    public_url: Option<String>,
}

async fn config_json(State(config): State<Arc<ConfigState>>, headers: HeaderMap) -> Response {
    config
        .source
        .respond(&headers, config.public_url.as_deref())
}

/// Checks the flags, opens the state store and builds every route.
pub async fn build(cli: &Cli) -> Result<(Router, &'static str), StartError> {
    if let Some(url) = &cli.public_url {
        let is_origin = wan_r2v_studio::core::url::parse(url).is_ok_and(|parsed| {
            matches!(parsed.scheme.as_str(), "http" | "https") && matches!(parsed.rest, "" | "/")
        });
        if !is_origin {
            return Err(StartError::PublicUrl { url: url.clone() });
        }
    }
    let hosts = Arc::new(AllowedHosts::new(
        &cli.allow_hosts,
        cli.public_url.as_deref(),
        cli.address,
    )?);
    let proxy_cors = crate::cors::proxy_cors(&cli.allow_origins)?;
    if cli.allow_origins.iter().any(|o| o == "*") && !cli.simulate {
        tracing::warn!("--allow-origin '*': any web page may spend this server's fal key");
    }
    let backend = Backend::choose(cli)?;
    let described = backend.describe();
    let simulator = backend.simulator().cloned();
    let proxy = Arc::new(build_proxy(cli, backend).await?);
    let generated = GeneratedConfig {
        simulated: cli.simulate,
        allow_user_key: cli.allow_user_key,
        forward_user_key: cli.forward_user_key,
    };
    let source = AppConfigSource::choose(cli.app_config.as_deref(), &cli.dist, generated)?;
    if let AppConfigSource::File { path, text } = &source {
        let says_simulated = AppConfig::from_json(text).is_ok_and(|c| c.simulated);
        if says_simulated != cli.simulate {
            tracing::warn!(
                file = %path.display(),
                "this config.json says simulated: {says_simulated}, but the server {} simulating",
                if cli.simulate { "is" } else { "is not" }
            );
        }
    }
    let static_files = Arc::new(StaticFiles::new(cli.dist.clone(), &source));
    let config = Arc::new(ConfigState {
        source,
        public_url: cli.public_url.clone(),
    });
    if !cli.dist.join("index.html").is_file() {
        tracing::warn!(dist = %cli.dist.display(), "no index.html to serve; build the app with `trunk build --release`");
    }

    let mut proxy_routes = Router::new()
        .route("/api/fal/proxy", any(crate::proxy::handle))
        .with_state(proxy);
    if let Some(cors) = proxy_cors {
        proxy_routes = proxy_routes.layer(cors);
    }
    // Video is already compressed; SSE must not wait for a compressor.
    let compress = CompressionLayer::new()
        .br(true)
        .gzip(true)
        .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("video/")));
    let site = Router::new()
        .route("/config.json", get(config_json))
        .with_state(config)
        .fallback(serve_static)
        .with_state(static_files)
        .layer(compress);
    let mut app = Router::new().merge(proxy_routes);
    if let Some(sim) = &simulator {
        app = app.merge(crate::simulator::routes::router(sim.clone()));
    }
    // The host check wraps everything, so no route sees a rebound name.
    let app = app
        .merge(site)
        .layer(middleware::from_fn_with_state(hosts, check_host))
        .layer(middleware::from_fn(crate::request_log::log_request));
    Ok((app, described))
}

/// Binds `--address`/`--port` and serves in the background.
pub async fn start(cli: Cli) -> Result<RunningServer, StartError> {
    let (app, backend) = build(&cli).await?;
    let listen_error = |source| StartError::Listen {
        address: cli.address,
        port: cli.port,
        source,
    };
    let listener = TcpListener::bind((cli.address, cli.port))
        .await
        .map_err(listen_error)?;
    let addr = listener.local_addr().map_err(listen_error)?;
    let limits = cli.connection_limits();
    crate::open_files::fit(limits.max_connections);
    let task = tokio::spawn(crate::serve::serve_with(listener, app, limits));
    Ok(RunningServer {
        addr,
        backend,
        task,
    })
}
