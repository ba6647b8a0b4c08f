//! `/api/v1/alerts/silences`: label matchers that mute notifications for
//! a while, or during a daily window (admin scope to change them, read
//! scope to see them).

use super::extract::{Body, PathId};
use crate::access::{AdminAccess, ReadAccess};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::CompiledSelector;
use app::model::{CheckedSilence, ErrorBody, Silence, SilenceDraft};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// The silences not yet ended, by start.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SilenceList {
    silences: Vec<Silence>,
}

#[utoipa::path(get, path = "/api/v1/alerts/silences", tag = "alerts",
    responses((status = 200, description = "The silences not yet ended, by start", body = SilenceList)))]
pub async fn list(_: ReadAccess, State(state): State<AppState>) -> Result<Json<SilenceList>, ApiError> {
    Ok(Json(SilenceList {
        silences: state.store.silences(crate::clock::now_ms()).await?,
    }))
}

#[utoipa::path(post, path = "/api/v1/alerts/silences", tag = "alerts",
    request_body = SilenceDraft,
    responses(
        (status = 201, description = "Created; `Location` names it", body = Silence),
        (status = 400, description = "The silence is invalid", body = ErrorBody),
        (status = 401, description = "No admin token", body = ErrorBody),
        (status = 403, description = "The token lacks the admin scope", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn create(_: AdminAccess, State(state): State<AppState>, Body(body): Body) -> Result<Response, ApiError> {
    let made = state.store.create_silence(parse(&body)?).await?;
    state.alerts.silences_changed();
    let location = format!("/api/v1/alerts/silences/{}", made.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(made)).into_response())
}

#[utoipa::path(put, path = "/api/v1/alerts/silences/{id}", tag = "alerts",
    params(("id" = i64, Path, description = "The silence's id")),
    request_body = SilenceDraft,
    responses(
        (status = 200, description = "Replaced", body = Silence),
        (status = 400, description = "The silence is invalid", body = ErrorBody),
        (status = 404, description = "No such silence", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn replace(
    _: AdminAccess,
    State(state): State<AppState>,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<Silence>, ApiError> {
    let stored = state
        .store
        .replace_silence(id, parse(&body)?)
        .await?
        .ok_or_else(|| not_found(id))?;
    state.alerts.silences_changed();
    Ok(Json(stored))
}

#[utoipa::path(delete, path = "/api/v1/alerts/silences/{id}", tag = "alerts",
    params(("id" = i64, Path, description = "The silence's id")),
    responses(
        (status = 204, description = "Deleted: what it muted notifies again"),
        (status = 404, description = "No such silence", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn delete(_: AdminAccess, State(state): State<AppState>, PathId(id): PathId) -> Result<StatusCode, ApiError> {
    if !state.store.delete_silence(id).await? {
        return Err(not_found(id));
    }
    state.alerts.silences_changed();
    Ok(StatusCode::NO_CONTENT)
}

fn parse(body: &[u8]) -> Result<CheckedSilence, ApiError> {
    let draft: SilenceDraft = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("silence body: {e}")))?;
    let checked = draft.checked(crate::clock::now_ms())?;
    // The shape was checked; the regular expressions are compiled here.
    CompiledSelector::from_text(&checked.matchers)
        .map_err(|e| ApiError::bad_request("invalid_silence", format!("matchers: {e}")))?;
    Ok(checked)
}

fn not_found(id: i64) -> ApiError {
    ApiError::not_found("silence_not_found", format!("there is no silence {id}"))
}
