//! `POST /api/v1/write` (the native JSON batch) and `POST /api/telemetry`
//! (the simple producer format).

use super::extract::IngestBody;
use super::openapi::{NativeBatch, TelemetryReport};
use crate::access::WriteAccess;
use crate::batch::ValidBatch;
use crate::clock;
use crate::error::ApiError;
use crate::ingest::{parse_native_batch, parse_telemetry};
use crate::state::AppState;
use crate::store::WriteSummary;
use app::model::ErrorBody;
use axum::extract::State;
use axum::Json;

/// Validates the whole batch first, then stores it in one transaction;
/// answers only after the commit, with what was written.
#[utoipa::path(post, path = "/api/v1/write", tag = "ingest", security(("token" = [])),
    request_body(content = NativeBatch, description = "Points to store, all or none"),
    responses(
        (status = 200, description = "Stored and durable", body = WriteSummary),
        (status = 400, description = "A point is invalid; the message names its index", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token has no write scope", body = ErrorBody),
        (status = 413, description = "The body is over the size limit (`payload_too_large`), or the batch would create more series than one batch may (`too_many_new_series`)", body = ErrorBody),
        (status = 422, description = "The store holds as many series as it may (`series_limit_reached`); nothing was stored", body = ErrorBody),
        (status = 429, description = "Over this token's ingest rate (`rate_limited`) or its new series a minute (`series_rate_limited`); `Retry-After` says when to retry", body = ErrorBody),
    ))]
pub async fn native(
    WriteAccess(token): WriteAccess,
    State(state): State<AppState>,
    IngestBody(body): IngestBody,
) -> Result<Json<WriteSummary>, ApiError> {
    let batch = parse_native_batch(&body, clock::now_ms())?;
    Ok(Json(store(&state, token, batch).await?))
}

/// Like [`native`], for `{"timestamp":..,"signals":{..}}` reports.
#[utoipa::path(post, path = "/api/telemetry", tag = "ingest", security(("token" = [])),
    request_body(content = TelemetryReport, description = "One report, or a JSON array of reports"),
    responses(
        (status = 200, description = "Stored and durable", body = WriteSummary),
        (status = 400, description = "A report or signal is invalid", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token has no write scope", body = ErrorBody),
        (status = 413, description = "The body is over the size limit (`payload_too_large`), or the batch would create more series than one batch may (`too_many_new_series`)", body = ErrorBody),
        (status = 422, description = "The store holds as many series as it may (`series_limit_reached`); nothing was stored", body = ErrorBody),
        (status = 429, description = "Over this token's ingest rate (`rate_limited`) or its new series a minute (`series_rate_limited`); `Retry-After` says when to retry", body = ErrorBody),
    ))]
pub async fn telemetry(
    WriteAccess(token): WriteAccess,
    State(state): State<AppState>,
    IngestBody(body): IngestBody,
) -> Result<Json<WriteSummary>, ApiError> {
    let batch = parse_telemetry(&body, clock::now_ms())?;
    Ok(Json(store(&state, token, batch).await?))
}

/// What every write endpoint does with a valid batch: takes its points
/// from the token's ingest allowance, then stores it durably if the
/// series it creates are within the caps (nothing is stored when over
/// either).
pub async fn store(state: &AppState, token: i64, batch: ValidBatch) -> Result<WriteSummary, ApiError> {
    state.ingest_limits.take(token, batch.len())?;
    let rule = state.series_caps.rule_for(token);
    Ok(state.store.write_batch_within(batch, rule).await?)
}
