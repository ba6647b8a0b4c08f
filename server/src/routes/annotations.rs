//! `GET/POST /api/v1/annotations` and `PUT/DELETE /api/v1/annotations/{id}`:
//! notes at an instant or over a range, on one dashboard or on all.

use super::extract::{Body, PathId, QueryString};
use super::window::window;
use crate::access::{EditAccess, ReadAccess};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::Store;
use app::model::{Annotation, AnnotationDraft, CheckedAnnotation, ErrorBody};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

/// The annotations of a window, by time.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AnnotationList {
    annotations: Vec<Annotation>,
}

/// `from`, `to` and `dashboard`, as text so that mistakes get our message.
#[derive(Deserialize)]
pub struct ListParams {
    from: Option<String>,
    to: Option<String>,
    dashboard: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/annotations", tag = "annotations",
    params(
        ("from" = Option<String>, Query, description = "Start: epoch ms, RFC 3339, or relative (`now-1h`); default now-1h"),
        ("to" = Option<String>, Query, description = "End; default now"),
        ("dashboard" = Option<i64>, Query, description = "Only this dashboard's annotations and those of every dashboard"),
    ),
    responses(
        (status = 200, description = "The annotations overlapping the window, by time (at most 1000)", body = AnnotationList),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
    ))]
pub async fn list(
    _: ReadAccess,
    State(state): State<AppState>,
    QueryString(p): QueryString<ListParams>,
) -> Result<Json<AnnotationList>, ApiError> {
    let (from, to) = window(p.from.as_deref(), p.to.as_deref(), "now-1h", crate::clock::now_ms())?;
    let dashboard = match p.dashboard {
        None => None,
        Some(text) => Some(
            text.parse()
                .map_err(|_| ApiError::bad_request("invalid_dashboard", format!("dashboard: `{text}` is not an id")))?,
        ),
    };
    Ok(Json(AnnotationList {
        annotations: state.store.annotations(dashboard, from, to).await?,
    }))
}

#[utoipa::path(post, path = "/api/v1/annotations", tag = "annotations",
    request_body = AnnotationDraft,
    responses(
        (status = 201, description = "Created; `Location` names it", body = Annotation),
        (status = 400, description = "The annotation is invalid, or names no dashboard that exists", body = ErrorBody),
        (status = 401, description = "Edits need a token with read and write (see --edit-access)", body = ErrorBody),
        (status = 403, description = "The token lacks read or write, or a page of another origin asked", body = ErrorBody),
    ))]
pub async fn create(_: EditAccess, State(state): State<AppState>, Body(body): Body) -> Result<Response, ApiError> {
    let checked = parse(&state, &body).await?;
    let made = state.store.create_annotation(checked).await?;
    let location = format!("/api/v1/annotations/{}", made.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(made)).into_response())
}

#[utoipa::path(put, path = "/api/v1/annotations/{id}", tag = "annotations",
    params(("id" = i64, Path, description = "The annotation's id")),
    request_body = AnnotationDraft,
    responses(
        (status = 200, description = "Replaced; the stored annotation", body = Annotation),
        (status = 400, description = "The annotation is invalid", body = ErrorBody),
        (status = 404, description = "No such annotation", body = ErrorBody),
    ))]
pub async fn replace(
    _: EditAccess,
    State(state): State<AppState>,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<Annotation>, ApiError> {
    let checked = parse(&state, &body).await?;
    state
        .store
        .replace_annotation(id, checked)
        .await?
        .map(Json)
        .ok_or_else(|| not_found(id))
}

#[utoipa::path(delete, path = "/api/v1/annotations/{id}", tag = "annotations",
    params(("id" = i64, Path, description = "The annotation's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such annotation", body = ErrorBody),
    ))]
pub async fn delete(_: EditAccess, State(state): State<AppState>, PathId(id): PathId) -> Result<StatusCode, ApiError> {
    if state.store.delete_annotation(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(id))
    }
}

/// The refusal naming a missing annotation; shared with the server functions.
pub fn not_found(id: i64) -> ApiError {
    ApiError::not_found("annotation_not_found", format!("there is no annotation {id}"))
}

async fn parse(state: &AppState, body: &[u8]) -> Result<CheckedAnnotation, ApiError> {
    let draft: AnnotationDraft = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("annotation body: {e}")))?;
    check(&state.store, draft).await
}

/// `draft` checked, with the dashboard it names found; shared with the
/// server functions.
pub async fn check(store: &Store, draft: AnnotationDraft) -> Result<CheckedAnnotation, ApiError> {
    let checked = draft.checked(crate::clock::now_ms())?;
    if let Some(id) = checked.dashboard {
        if store.dashboard(id).await?.is_none() {
            return Err(ApiError::bad_request(
                "invalid_annotation",
                format!("there is no dashboard {id} to annotate"),
            ));
        }
    }
    Ok(checked)
}
