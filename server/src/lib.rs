//! # sensorboard server
//!
//! One binary: the HTTP API, the SQLite store, the query engine, the
//! server-rendered UI and the demo data generator.
//!
//! ## Layout
//! - [`config`]: command-line flags and environment variables.
//! - [`store`]: the SQLite file behind an r2d2 pool (one writer, several
//!   readers); schema migrations, batch writes, range reads. Every rusqlite
//!   call runs on the blocking pool, never on the async runtime.
//! - [`ingest`]: parsing and validating write requests into a [`ingest::ValidBatch`].
//! - [`query`]: turns a `QueryRequest` into a downsampled `QueryResult`,
//!   through [`cache`], the result cache that writes invalidate.
//! - [`routes`]: the REST handlers; [`router`] assembles them with the UI.
//! - [`site`]: the Leptos side: page rendering and server functions, with
//!   [`query::QueryService`] provided to them as the `app` backend.
//! - [`metrics`]: the Prometheus figures `/metrics` serves.
//! - [`monitor`]: the server's own figures, recorded as `sensorboard.*`
//!   series for the System page.
//! - [`startup`]: answers while the store opens (`/health` starting,
//!   `/ready` 503), then hands over to the full router.
//! - [`jobs`]: background upkeep: WAL checkpoints, compaction, retention.
//! - [`demo`]: five realistic 1 Hz signals, written through the ingest path.
//! - [`auth`]: access tokens with scopes, and the extractors that require them.
//! - [`rate_limit`]: points per second per write token.
//! - [`cli`]: the `token` subcommand (create, list, revoke).
//! - [`error`]: `ApiError`, the JSON error every handler returns.

pub mod auth;
pub mod cache;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod error;
pub mod ingest;
pub mod jobs;
pub mod metrics;
pub mod monitor;
pub mod query;
pub mod rate_limit;
pub mod routes;
pub mod site;
pub mod startup;
pub mod state;
pub mod store;

pub use routes::router;
pub use state::AppState;

use std::future::Future;
use tokio::net::TcpListener;

/// Serves `state` on `listener` until `shutdown` resolves, then lets
/// in-flight requests finish. The caller closes the store afterwards.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let gate = startup::Gate::default();
    gate.open(router(state));
    serve_gate(listener, gate, shutdown).await
}

/// Serves whatever `gate` holds on `listener` (a start-up answer until it
/// opens) until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve_gate(
    listener: TcpListener,
    gate: startup::Gate,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, gate.service())
        .with_graceful_shutdown(shutdown)
        .await
}
