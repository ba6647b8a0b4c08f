//! `POST /api/v1/write` (the native JSON batch) and `POST /api/telemetry`
//! (the simple producer format).

use super::extract::Body;
use crate::clock;
use crate::error::ApiError;
use crate::ingest::{parse_native_batch, parse_telemetry};
use crate::state::AppState;
use crate::store::WriteSummary;
use axum::extract::State;
use axum::Json;

/// Validates the whole batch first, then stores it in one transaction;
/// answers only after the commit, with what was written.
pub async fn native(State(state): State<AppState>, Body(body): Body) -> Result<Json<WriteSummary>, ApiError> {
    let batch = parse_native_batch(&body, clock::now_ms())?;
    Ok(Json(state.store.write_batch(batch).await?))
}

/// Like [`native`], for `{"timestamp":..,"signals":{..}}` reports.
pub async fn telemetry(State(state): State<AppState>, Body(body): Body) -> Result<Json<WriteSummary>, ApiError> {
    let batch = parse_telemetry(&body, clock::now_ms())?;
    Ok(Json(state.store.write_batch(batch).await?))
}
