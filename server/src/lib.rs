//! # sensorboard server
//!
//! One binary: the HTTP API, the SQLite store, the query engine, the
//! server-rendered UI and the demo data generator.
//!
//! ## Layers
//! Imports point one way, down this list (a module never imports one
//! above it):
//!
//! 1. wiring and HTTP: [`routes`] (the REST handlers; [`router`]
//!    assembles them with the UI), [`site`] (page rendering and server
//!    functions, with [`site::SiteBackend`] as the `app` backend),
//!    [`serve`] (the accept loop and its connection limits),
//!    [`access`] (the extractors that require a scope), [`body_limit`]
//!    (bodies read within a limit), [`rate_limit`], [`read_slots`],
//!    [`metrics`], [`startup`], [`state`], [`config`], [`cli`], [`jobs`],
//!    [`monitor`], [`demo`];
//! 2. [`error`]: `ApiError`, the JSON error every handler returns, and
//!    every conversion into it;
//! 3. the engines, which know nothing of HTTP: [`ingest`] (request bodies
//!    into validated batches), [`query`] (a `QueryRequest` into a
//!    downsampled `QueryResult`, through the result cache that writes
//!    invalidate), [`alerts`] (rules evaluated through the query engine,
//!    instance states and their history), [`auth`] (tokens, scopes,
//!    credentials);
//! 4. [`store`]: the SQLite file behind an r2d2 pool (one writer, several
//!    readers), its schema and SQL kept inside; every rusqlite call runs
//!    on the blocking pool, never on the async runtime;
//! 5. [`batch`]: the validated batch, the store's input contract;
//! 6. `app::{model, domain}`: wire types and pure logic shared with the
//!    browser; [`clock`] beside them.

pub mod access;
pub mod alerts;
pub mod auth;
pub mod batch;
pub mod body_limit;
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
pub mod read_slots;
pub mod routes;
pub mod serve;
pub mod site;
pub mod startup;
pub mod state;
pub mod store;

pub use routes::router;
pub use serve::ConnectionLimits;
pub use state::AppState;

use std::future::Future;
use tokio::net::TcpListener;

/// Serves `state` on `listener` within `limits` until `shutdown`
/// resolves, then lets in-flight requests finish. The caller closes the
/// store afterwards.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let gate = startup::Gate::default();
    gate.open(router(state));
    serve_gate(listener, gate, limits, shutdown).await
}

/// Serves whatever `gate` holds on `listener` (a start-up answer until it
/// opens) until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve_gate(
    listener: TcpListener,
    gate: startup::Gate,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve::serve(listener, gate.service(), limits, shutdown).await
}
