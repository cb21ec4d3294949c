//! `wan-r2v-server`: see `wan-r2v-server --help` and server/README.md.

use std::io::Write;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use wan_r2v_server::{start, Cli, FalKey};

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let mut cli = Cli::parse();
    if let Some(name) = &cli.new_access_code {
        match wan_r2v_server::access::codes::new_code(name) {
            Ok((code, entry)) => {
                println!("{code}");
                eprintln!(
                    "Give {name} the code above (printed once, kept nowhere). \
                     Add this entry to the --access-codes file:\n\n{entry}"
                );
                return;
            }
            Err(why) => {
                eprintln!("wan-r2v-server: {why}");
                std::process::exit(2);
            }
        }
    }
    cli.fal_key = std::env::var("FAL_KEY").ok().and_then(FalKey::new);
    let server = match start(cli).await {
        Ok(server) => server,
        Err(message) => {
            eprintln!("wan-r2v-server: {message}");
            std::process::exit(2);
        }
    };
    // The one line on stdout: scripts and tests read the bound port here.
    println!("listening on {}/", server.url());
    let _ = std::io::stdout().flush();
    tracing::info!("{}; serving on {}/", server.backend, server.url());
    tokio::select! {
        _ = server.wait() => {}
        _ = shutdown_signal() => tracing::info!("stopping"),
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
