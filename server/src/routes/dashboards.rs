//! `GET/POST /api/v1/dashboards`, `GET/PUT/DELETE /api/v1/dashboards/{id}`
//! and `GET /api/v1/dashboards/{id}/export`: a dashboard is a title,
//! ordered panels and variables, stored and returned whole. An export is
//! a file that `POST /api/v1/dashboards` takes back (as it takes a `GET`
//! answer: `id` and `updated` are ignored).

use super::extract::{Body, PathId};
use crate::access::{EditAccess, ReadAccess};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::StoreError;
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

#[utoipa::path(get, path = "/api/v1/dashboards/{id}/export", tag = "dashboards",
    params(("id" = i64, Path, description = "The dashboard's id")),
    responses(
        (status = 200, description = "The dashboard as a file to keep or share (`Content-Disposition: attachment`): what `POST /api/v1/dashboards` takes to make it again", body = DashboardDraft),
        (status = 404, description = "No such dashboard", body = ErrorBody),
    ))]
pub async fn export(_: ReadAccess, State(state): State<AppState>, PathId(id): PathId) -> Result<Response, ApiError> {
    let Json(d) = found(id, state.store.dashboard(id).await?)?;
    let file = file_name(&d.title);
    let draft = DashboardDraft {
        title: d.title,
        panels: d.panels,
        variables: d.variables,
    };
    let text =
        serde_json::to_vec_pretty(&draft).map_err(|e| StoreError::Failed(format!("dashboard {id} as JSON: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        text,
    )
        .into_response())
}

/// A file name for a dashboard: its title's letters and digits, runs of
/// anything else as one `-` (never a quote, a slash or a control
/// character in the header).
fn file_name(title: &str) -> String {
    let mut name = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    let name = if name.is_empty() { "dashboard" } else { name };
    format!("{}.json", &name[..name.len().min(80)])
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

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn file_names_are_safe_in_a_header() {
        assert_eq!(file_name("Boiler room: north / \"B\""), "boiler-room-north-b.json");
        assert_eq!(file_name("Überwachung"), "berwachung.json");
        assert_eq!(file_name("°°°"), "dashboard.json");
    }
}
