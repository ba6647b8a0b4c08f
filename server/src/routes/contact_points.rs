//! `/api/v1/alerts/contact-points`: where notifications go (admin scope
//! to change them or send a test, read scope to see them, secrets
//! redacted), and `/api/v1/alerts/deliveries`, the delivery log.

use super::extract::{Body, PathId, QueryString};
use super::window::{id_param, window};
use crate::access::{AdminAccess, ReadAccess};
use crate::error::ApiError;
use crate::state::AppState;
use app::model::{AlertDelivery, ContactPoint, ContactPointDraft, ErrorBody};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

/// Every contact point, by id.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ContactPointList {
    contact_points: Vec<ContactPoint>,
}

/// Delivery attempts, newest first.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DeliveryLog {
    deliveries: Vec<AlertDelivery>,
}

/// The answer to "send test".
#[derive(Serialize, utoipa::ToSchema)]
pub struct TestOutcome {
    /// Whether the receiver took it (within the retries).
    delivered: bool,
    /// The attempts, as the delivery log has them.
    attempts: Vec<AlertDelivery>,
}

#[utoipa::path(get, path = "/api/v1/alerts/contact-points", tag = "alerts",
    responses((status = 200, description = "Every contact point, secrets redacted", body = ContactPointList)))]
pub async fn list(_: ReadAccess, State(state): State<AppState>) -> Result<Json<ContactPointList>, ApiError> {
    let points = state.store.contact_points().await?;
    Ok(Json(ContactPointList {
        contact_points: points.into_iter().map(ContactPoint::redacted).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/alerts/contact-points", tag = "alerts",
    request_body = ContactPointDraft,
    responses(
        (status = 201, description = "Created; `Location` names it", body = ContactPoint),
        (status = 400, description = "The contact point is invalid", body = ErrorBody),
        (status = 401, description = "No admin token", body = ErrorBody),
        (status = 403, description = "The token lacks the admin scope", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn create(_: AdminAccess, State(state): State<AppState>, Body(body): Body) -> Result<Response, ApiError> {
    let made = state.store.create_contact_point(parse(&body)?).await?;
    let location = format!("/api/v1/alerts/contact-points/{}", made.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(made.redacted()),
    )
        .into_response())
}

#[utoipa::path(put, path = "/api/v1/alerts/contact-points/{id}", tag = "alerts",
    params(("id" = i64, Path, description = "The contact point's id")),
    request_body = ContactPointDraft,
    responses(
        (status = 200, description = "Replaced", body = ContactPoint),
        (status = 400, description = "The contact point is invalid", body = ErrorBody),
        (status = 404, description = "No such contact point", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn replace(
    _: AdminAccess,
    State(state): State<AppState>,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<ContactPoint>, ApiError> {
    let stored = state.store.replace_contact_point(id, parse(&body)?).await?;
    stored.map(|p| Json(p.redacted())).ok_or_else(|| not_found(id))
}

#[utoipa::path(delete, path = "/api/v1/alerts/contact-points/{id}", tag = "alerts",
    params(("id" = i64, Path, description = "The contact point's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such contact point", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn delete(_: AdminAccess, State(state): State<AppState>, PathId(id): PathId) -> Result<StatusCode, ApiError> {
    if state.store.delete_contact_point(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(id))
    }
}

#[utoipa::path(post, path = "/api/v1/alerts/contact-points/{id}/test", tag = "alerts",
    params(("id" = i64, Path, description = "The contact point's id")),
    responses(
        (status = 200, description = "Sent (with retries); whether it was taken and each attempt", body = TestOutcome),
        (status = 404, description = "No such contact point", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn test(
    _: AdminAccess,
    State(state): State<AppState>,
    PathId(id): PathId,
) -> Result<Json<TestOutcome>, ApiError> {
    let point = state.store.contact_point(id).await?.ok_or_else(|| not_found(id))?;
    let since = crate::clock::now_ms();
    let delivered = state.alerts.send_test(&point).await;
    let mut attempts = state.store.deliveries(Some(id), since, crate::clock::now_ms()).await?;
    attempts.retain(|d| d.event == "test");
    attempts.reverse();
    Ok(Json(TestOutcome { delivered, attempts }))
}

/// `contact_point`, `from` and `to` of the delivery log.
#[derive(Deserialize)]
pub struct LogParams {
    contact_point: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/alerts/deliveries", tag = "alerts",
    params(
        ("contact_point" = Option<i64>, Query, description = "Only this contact point's deliveries"),
        ("from" = Option<String>, Query, description = "Start: epoch ms, RFC 3339, or relative; default now-24h"),
        ("to" = Option<String>, Query, description = "End; default now"),
    ),
    responses(
        (status = 200, description = "Each attempt with the receiver's answer, newest first (at most 500)", body = DeliveryLog),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
    ))]
pub async fn deliveries(
    _: ReadAccess,
    State(state): State<AppState>,
    QueryString(p): QueryString<LogParams>,
) -> Result<Json<DeliveryLog>, ApiError> {
    let point = id_param("contact_point", p.contact_point.as_deref())?;
    let (from, to) = window(p.from.as_deref(), p.to.as_deref(), "now-24h", crate::clock::now_ms())?;
    Ok(Json(DeliveryLog {
        deliveries: state.store.deliveries(point, from, to).await?,
    }))
}

fn parse(body: &[u8]) -> Result<ContactPointDraft, ApiError> {
    let draft: ContactPointDraft = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("contact point body: {e}")))?;
    Ok(draft.checked()?.0)
}

fn not_found(id: i64) -> ApiError {
    ApiError::not_found("contact_point_not_found", format!("there is no contact point {id}"))
}
