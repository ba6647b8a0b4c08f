//! `/api/v1/alerts/push/...`: the server's VAPID public key, which a
//! browser subscribes with, and the browsers' subscriptions (changing
//! them needs what changing a dashboard needs: the page's session counts).

use super::extract::Body;
use crate::access::{EditAccess, ReadAccess};
use crate::error::ApiError;
use crate::state::AppState;
use app::model::{ErrorBody, PushSubscription};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

/// The key a browser passes as `applicationServerKey`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PushKey {
    /// The VAPID public key: an uncompressed P-256 point, base64url.
    public_key: String,
}

/// Which subscription to forget.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct Unsubscribe {
    endpoint: String,
}

#[utoipa::path(get, path = "/api/v1/alerts/push/key", tag = "alerts",
    responses((status = 200, description = "The VAPID public key (made and stored at first use)", body = PushKey)))]
pub async fn key(_: ReadAccess, State(state): State<AppState>) -> Result<Json<PushKey>, ApiError> {
    let public_key = state
        .alerts
        .vapid_public_key()
        .await
        .map_err(|e| ApiError::Store(crate::store::StoreError::Failed(format!("the VAPID key: {e}"))))?;
    Ok(Json(PushKey { public_key }))
}

#[utoipa::path(post, path = "/api/v1/alerts/push/subscriptions", tag = "alerts",
    request_body = PushSubscription,
    responses(
        (status = 201, description = "Subscribed: `web_push` contact points send to it"),
        (status = 400, description = "The subscription is invalid", body = ErrorBody),
    ))]
pub async fn subscribe(_: EditAccess, State(state): State<AppState>, Body(body): Body) -> Result<StatusCode, ApiError> {
    let subscription: PushSubscription = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("subscription body: {e}")))?;
    state.store.add_push_subscription(subscription.checked()?).await?;
    Ok(StatusCode::CREATED)
}

#[utoipa::path(delete, path = "/api/v1/alerts/push/subscriptions", tag = "alerts",
    request_body = Unsubscribe,
    responses(
        (status = 204, description = "Forgotten"),
        (status = 404, description = "No such subscription", body = ErrorBody),
    ))]
pub async fn unsubscribe(
    _: EditAccess,
    State(state): State<AppState>,
    Body(body): Body,
) -> Result<StatusCode, ApiError> {
    let asked: Unsubscribe = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("unsubscribe body: {e}")))?;
    if state.store.delete_push_subscription(asked.endpoint).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(
            "subscription_not_found",
            "no browser subscribed at that endpoint",
        ))
    }
}
