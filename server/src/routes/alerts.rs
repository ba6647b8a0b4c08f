//! `/api/v1/alerts/...`: alert rules (admin scope to change them, read
//! scope to see them), their instances with the state they are in now,
//! and the state history.

use super::extract::{Body, PathId, QueryString};
use super::window::{id_param, window};
use crate::access::{AdminAccess, ReadAccess};
use crate::error::ApiError;
use crate::state::AppState;
use app::domain::Severity;
use app::model::{AlertInstance, AlertRule, AlertRuleDraft, AlertTransition, ErrorBody};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

/// Every alert rule, by id.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RuleList {
    rules: Vec<AlertRule>,
}

/// Alert instances, by rule then labels.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InstanceList {
    instances: Vec<AlertInstance>,
}

/// Transitions, oldest first.
#[derive(Serialize, utoipa::ToSchema)]
pub struct History {
    transitions: Vec<AlertTransition>,
}

#[utoipa::path(get, path = "/api/v1/alerts/rules", tag = "alerts",
    responses((status = 200, description = "Every rule, by id", body = RuleList)))]
pub async fn list_rules(_: ReadAccess, State(state): State<AppState>) -> Result<Json<RuleList>, ApiError> {
    Ok(Json(RuleList {
        rules: state.store.alert_rules().await?,
    }))
}

#[utoipa::path(post, path = "/api/v1/alerts/rules", tag = "alerts",
    request_body = AlertRuleDraft,
    responses(
        (status = 201, description = "Created, evaluated from now on; `Location` names it", body = AlertRule),
        (status = 400, description = "The rule is invalid", body = ErrorBody),
        (status = 401, description = "No admin token", body = ErrorBody),
        (status = 403, description = "The token lacks the admin scope", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn create_rule(
    _: AdminAccess,
    State(state): State<AppState>,
    Body(body): Body,
) -> Result<Response, ApiError> {
    let draft = parse(&body)?;
    let made = state.store.create_alert_rule(draft).await?;
    state.alerts.rules_changed();
    let location = format!("/api/v1/alerts/rules/{}", made.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(made)).into_response())
}

#[utoipa::path(get, path = "/api/v1/alerts/rules/{id}", tag = "alerts",
    params(("id" = i64, Path, description = "The rule's id")),
    responses(
        (status = 200, description = "The rule", body = AlertRule),
        (status = 404, description = "No such rule", body = ErrorBody),
    ))]
pub async fn get_rule(
    _: ReadAccess,
    State(state): State<AppState>,
    PathId(id): PathId,
) -> Result<Json<AlertRule>, ApiError> {
    state.store.alert_rule(id).await?.map(Json).ok_or_else(|| not_found(id))
}

#[utoipa::path(put, path = "/api/v1/alerts/rules/{id}", tag = "alerts",
    params(("id" = i64, Path, description = "The rule's id")),
    request_body = AlertRuleDraft,
    responses(
        (status = 200, description = "Replaced; its instances start again from Normal", body = AlertRule),
        (status = 400, description = "The rule is invalid", body = ErrorBody),
        (status = 404, description = "No such rule", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn replace_rule(
    _: AdminAccess,
    State(state): State<AppState>,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<AlertRule>, ApiError> {
    let draft = parse(&body)?;
    let stored = state
        .store
        .replace_alert_rule(id, draft)
        .await?
        .ok_or_else(|| not_found(id))?;
    state.alerts.rules_changed();
    Ok(Json(stored))
}

#[utoipa::path(delete, path = "/api/v1/alerts/rules/{id}", tag = "alerts",
    params(("id" = i64, Path, description = "The rule's id")),
    responses(
        (status = 204, description = "Deleted with its instances; its history stays until retention"),
        (status = 404, description = "No such rule", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn delete_rule(
    _: AdminAccess,
    State(state): State<AppState>,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    if !state.store.delete_alert_rule(id).await? {
        return Err(not_found(id));
    }
    state.alerts.rules_changed();
    Ok(StatusCode::NO_CONTENT)
}

/// Filters of the instance list, as text so that mistakes get our message.
#[derive(Deserialize)]
pub struct InstanceFilter {
    rule: Option<String>,
    state: Option<String>,
    severity: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/alerts/instances", tag = "alerts",
    params(
        ("rule" = Option<i64>, Query, description = "Only this rule's instances"),
        ("state" = Option<String>, Query, description = "normal, pending, firing, recovering, no_data or error"),
        ("severity" = Option<String>, Query, description = "warning or critical: instances alerting with it"),
    ),
    responses(
        (status = 200, description = "The instances and their states now", body = InstanceList),
        (status = 400, description = "A filter is invalid", body = ErrorBody),
    ))]
pub async fn instances(
    _: ReadAccess,
    State(state): State<AppState>,
    QueryString(f): QueryString<InstanceFilter>,
) -> Result<Json<InstanceList>, ApiError> {
    let rule = id_param("rule", f.rule.as_deref())?;
    const STATES: [&str; 6] = ["normal", "pending", "firing", "recovering", "no_data", "error"];
    if let Some(s) = f.state.as_deref().filter(|s| !STATES.contains(s)) {
        return Err(ApiError::bad_request(
            "invalid_state",
            format!("state: `{s}` is none of {}", STATES.join(", ")),
        ));
    }
    let severity = match f.severity.as_deref() {
        None => None,
        Some("warning") => Some(Severity::Warning),
        Some("critical") => Some(Severity::Critical),
        Some(s) => {
            return Err(ApiError::bad_request(
                "invalid_severity",
                format!("severity: `{s}` is neither warning nor critical"),
            ))
        }
    };
    let mut listed = state.alerts.instances();
    listed.retain(|i| {
        rule.is_none_or(|r| i.rule == r)
            && f.state.as_deref().is_none_or(|s| i.state.name() == s)
            && severity.is_none_or(|s| i.severity == Some(s))
    });
    Ok(Json(InstanceList { instances: listed }))
}

/// `rule`, `from` and `to` of the history.
#[derive(Deserialize)]
pub struct HistoryParams {
    rule: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/alerts/history", tag = "alerts",
    params(
        ("rule" = Option<i64>, Query, description = "Only this rule's transitions"),
        ("from" = Option<String>, Query, description = "Start: epoch ms, RFC 3339, or relative (`now-1h`); default now-24h"),
        ("to" = Option<String>, Query, description = "End; default now"),
    ),
    responses(
        (status = 200, description = "The transitions in the window, oldest first (the newest 1000)", body = History),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
    ))]
pub async fn history(
    _: ReadAccess,
    State(state): State<AppState>,
    QueryString(p): QueryString<HistoryParams>,
) -> Result<Json<History>, ApiError> {
    let rule = id_param("rule", p.rule.as_deref())?;
    let (from, to) = window(p.from.as_deref(), p.to.as_deref(), "now-24h", crate::clock::now_ms())?;
    Ok(Json(History {
        transitions: state.store.alert_history(rule, from, to).await?,
    }))
}

fn parse(body: &[u8]) -> Result<AlertRuleDraft, ApiError> {
    let draft: AlertRuleDraft = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("alert rule body: {e}")))?;
    Ok(draft.checked()?.draft)
}

fn not_found(id: i64) -> ApiError {
    ApiError::not_found("rule_not_found", format!("there is no alert rule {id}"))
}
