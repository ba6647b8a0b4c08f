//! `GET/POST /api/v1/dashboards` and `GET/PUT/DELETE /api/v1/dashboards/{id}`:
//! a dashboard is a title and ordered panels (title, series, unit,
//! thresholds), stored and returned whole.

use super::extract::{Body, PathId};
use crate::access::{EditAccess, ReadAccess};
use crate::error::ApiError;
use crate::state::AppState;
use app::domain::first_dashboard;
use app::model::{Dashboard, DashboardDraft, ErrorBody};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// Every dashboard, oldest first.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DashboardList {
    dashboards: Vec<Dashboard>,
}

#[utoipa::path(get, path = "/api/v1/dashboards", tag = "dashboards",
    responses(
        (status = 200, description = "Every dashboard; when none exists and series do, a default one is made first", body = DashboardList),
    ))]
pub async fn list(_: ReadAccess, State(state): State<AppState>) -> Result<Json<DashboardList>, ApiError> {
    Ok(Json(DashboardList {
        dashboards: state.store.dashboards(first_dashboard).await?,
    }))
}

#[utoipa::path(post, path = "/api/v1/dashboards", tag = "dashboards",
    request_body = DashboardDraft,
    responses(
        (status = 201, description = "Created; `Location` names it", body = Dashboard),
        (status = 400, description = "The dashboard is invalid (the message names the panel)", body = ErrorBody),
        (status = 401, description = "Edits need a token with read and write (see --edit-access)", body = ErrorBody),
        (status = 403, description = "The token lacks read or write, or a page of another origin asked", body = ErrorBody),
        (status = 415, description = "The body is not sent as application/json", body = ErrorBody),
    ))]
pub async fn create(_: EditAccess, State(state): State<AppState>, Body(body): Body) -> Result<Response, ApiError> {
    let draft = parse(&body)?;
    let dashboard = state.store.create_dashboard(draft).await?;
    let location = format!("/api/v1/dashboards/{}", dashboard.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(dashboard)).into_response())
}

#[utoipa::path(get, path = "/api/v1/dashboards/{id}", tag = "dashboards",
    params(("id" = i64, Path, description = "The dashboard's id")),
    responses(
        (status = 200, description = "The dashboard", body = Dashboard),
        (status = 404, description = "No such dashboard", body = ErrorBody),
    ))]
pub async fn get(
    _: ReadAccess,
    State(state): State<AppState>,
    PathId(id): PathId,
) -> Result<Json<Dashboard>, ApiError> {
    found(id, state.store.dashboard(id).await?)
}

#[utoipa::path(put, path = "/api/v1/dashboards/{id}", tag = "dashboards",
    params(("id" = i64, Path, description = "The dashboard's id")),
    request_body = DashboardDraft,
    responses(
        (status = 200, description = "Replaced; the stored dashboard", body = Dashboard),
        (status = 400, description = "The dashboard is invalid", body = ErrorBody),
        (status = 401, description = "Edits need a token with read and write (see --edit-access)", body = ErrorBody),
        (status = 403, description = "The token lacks read or write, or a page of another origin asked", body = ErrorBody),
        (status = 415, description = "The body is not sent as application/json", body = ErrorBody),
        (status = 404, description = "No such dashboard", body = ErrorBody),
    ))]
pub async fn replace(
    _: EditAccess,
    State(state): State<AppState>,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<Dashboard>, ApiError> {
    let draft = parse(&body)?;
    found(id, state.store.replace_dashboard(id, draft).await?)
}

#[utoipa::path(delete, path = "/api/v1/dashboards/{id}", tag = "dashboards",
    params(("id" = i64, Path, description = "The dashboard's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such dashboard", body = ErrorBody),
    ))]
pub async fn delete(_: EditAccess, State(state): State<AppState>, PathId(id): PathId) -> Result<StatusCode, ApiError> {
    if state.store.delete_dashboard(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::dashboard_not_found(id))
    }
}

fn parse(body: &[u8]) -> Result<DashboardDraft, ApiError> {
    let draft: DashboardDraft = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("dashboard body: {e}")))?;
    draft.validated().map_err(ApiError::from)
}

fn found(id: i64, dashboard: Option<Dashboard>) -> Result<Json<Dashboard>, ApiError> {
    dashboard.map(Json).ok_or_else(|| ApiError::dashboard_not_found(id))
}
