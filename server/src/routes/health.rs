//! `GET /health`: the process answers and the database can be queried;
//! `GET /ready`: started (store open, migrations done) and the database
//! answers; `GET /metrics`: the Prometheus figures. While the server is
//! starting, `startup` answers the first two.

use crate::access::ReadAccess;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// What `/health` reports.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` or `error`.
    status: &'static str,
    /// `ok` or `unreachable`.
    database: &'static str,
}

#[utoipa::path(get, path = "/health", tag = "operations",
    responses(
        (status = 200, description = "Serving, and the database answers", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
    ))]
pub async fn check(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    if database_answers(&state, "health").await {
        (
            StatusCode::OK,
            Json(Health {
                status: "ok",
                database: "ok",
            }),
        )
    } else {
        let health = Health {
            status: "error",
            database: "unreachable",
        };
        (StatusCode::SERVICE_UNAVAILABLE, Json(health))
    }
}

/// Whether a reader can query the database; a failure is logged as `check`'s.
async fn database_answers(state: &AppState, check: &str) -> bool {
    match state.store.ping().await {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = %e, "{check} check: database unreachable");
            false
        }
    }
}

/// What `/ready` reports.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// `ready`, `starting` (while the store opens) or `unavailable`.
    status: &'static str,
}

#[utoipa::path(get, path = "/ready", tag = "operations",
    responses(
        (status = 200, description = "Started: migrations done, and the database answers", body = Readiness),
        (status = 503, description = "Starting (`starting`), or the database does not answer (`unavailable`)", body = Readiness),
    ))]
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    if database_answers(&state, "readiness").await {
        (StatusCode::OK, Json(Readiness { status: "ready" }))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Readiness { status: "unavailable" }),
        )
    }
}

/// The Prometheus figures.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "OpenMetrics text: requests, latency histograms and error codes per route; points and batches ingested and not yet applied; query cache hits, misses, evictions and size; connection pools (open, idle, in use, wait); last retention pass; database size",
        content_type = "application/openmetrics-text")))]
pub async fn metrics(_: ReadAccess, State(state): State<AppState>) -> Response {
    match crate::metrics::render(&state.metrics) {
        Ok(text) => ([(CONTENT_TYPE, OPENMETRICS)], text).into_response(),
        Err(e) => ApiError::Store(crate::store::StoreError::Failed(format!("metrics: {e}"))).into_response(),
    }
}

const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
