//! `GET /health`: the process answers and the database can be queried.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
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
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(Health {
                status: "ok",
                database: "ok",
            }),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "error",
                    database: "unreachable",
                }),
            )
        }
    }
}
