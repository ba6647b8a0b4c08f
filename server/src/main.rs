//! Wiring only: read the config, open the store, start the upkeep jobs
//! and the demo, serve
//! until SIGINT/SIGTERM, then close cleanly.

use clap::Parser;
use server::config::Config;
use server::{demo, jobs, store::Store, AppState};
use std::process::ExitCode;
use tokio::net::TcpListener;
use tokio::sync::watch;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    tracing_subscriber::fmt().with_env_filter(&config.log).init();
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let store = Store::open(&config.db_path(), config.readers).await?;
    let state = AppState::new(store.clone(), &config);
    let (stop, stopped) = watch::channel(false);
    let upkeep = jobs::spawn(store.clone(), config.retention(), stopped.clone());
    let demo = config
        .demo
        .then(|| demo::spawn(store.clone(), config.demo_backfill_hours, stopped));
    let listener = TcpListener::bind(config.bind).await?;
    tracing::info!(db = %config.db_path().display(), demo = config.demo, "sensorboard listening on http://{}", listener.local_addr()?);
    server::serve(listener, state, shutdown_signal()).await?;
    let _ = stop.send(true);
    if let Some(task) = demo {
        task.await?;
    }
    upkeep.await?;
    store.checkpoint().await?;
    tracing::info!("stopped cleanly");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
