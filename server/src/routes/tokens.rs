//! `GET/POST /api/v1/tokens` and `DELETE /api/v1/tokens/{id}`: managing
//! access tokens with an admin token. A new token's secret is in the
//! creation answer and nowhere else, ever.

use super::extract::{Body, PathId};
use crate::access::AdminAccess;
use crate::auth::{issue, Scopes};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::StoredToken;
use app::model::ErrorBody;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

/// A token as listed: never its secret, only the secret's first characters.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    id: i64,
    name: String,
    scopes: Vec<String>,
    /// The secret's first characters, e.g. `sbt_Ab12Cd34`.
    hint: String,
    /// Creation time, epoch milliseconds.
    created: i64,
}

impl From<StoredToken> for TokenInfo {
    fn from(t: StoredToken) -> Self {
        TokenInfo {
            id: t.id,
            name: t.name,
            scopes: t.scopes.names().into_iter().map(str::to_owned).collect(),
            hint: t.hint,
            created: t.created_ms,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenList {
    tokens: Vec<TokenInfo>,
}

/// `POST /api/v1/tokens` body.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    /// What the token is for, e.g. `telegraf`.
    name: String,
    /// Any of `read`, `write`, `admin` (admin grants all).
    scopes: Vec<String>,
}

/// The answer to a creation: the only time the secret is shown.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    /// The secret, for `Authorization: Bearer <token>`.
    token: String,
    #[serde(flatten)]
    info: TokenInfo,
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", security(("token" = [])),
    responses(
        (status = 200, description = "Every token, oldest first, without secrets", body = TokenList),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token is not an admin token", body = ErrorBody),
    ))]
pub async fn list(_: AdminAccess, State(state): State<AppState>) -> Result<Json<TokenList>, ApiError> {
    let tokens = state.store.tokens().await?.into_iter().map(TokenInfo::from).collect();
    Ok(Json(TokenList { tokens }))
}

#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", security(("token" = [])),
    request_body = NewToken,
    responses(
        (status = 201, description = "Created; the secret is in this answer only", body = CreatedToken),
        (status = 400, description = "The name or the scopes are invalid", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token is not an admin token", body = ErrorBody),
    ))]
pub async fn create(_: AdminAccess, State(state): State<AppState>, Body(body): Body) -> Result<Response, ApiError> {
    let new: NewToken =
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request("invalid_json", format!("token body: {e}")))?;
    let scopes = Scopes::parse(&new.scopes.join(",")).map_err(|e| ApiError::bad_request("invalid_scope", e))?;
    let (secret, stored) = issue(&state.store, &new.name, scopes).await?;
    state.tokens.forget();
    let location = format!("/api/v1/tokens/{}", stored.id);
    let created = CreatedToken {
        token: secret,
        info: stored.into(),
    };
    // The answer holds the secret: no cache may keep it.
    let headers = [
        (header::LOCATION, location),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    Ok((StatusCode::CREATED, headers, Json(created)).into_response())
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", security(("token" = [])),
    params(("id" = i64, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked; it stops working at once"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token is not an admin token", body = ErrorBody),
        (status = 404, description = "No such token", body = ErrorBody),
    ))]
pub async fn revoke(_: AdminAccess, State(state): State<AppState>, PathId(id): PathId) -> Result<StatusCode, ApiError> {
    if !state.store.revoke_token(id).await? {
        return Err(ApiError::not_found(
            "token_not_found",
            format!("there is no token {id}"),
        ));
    }
    state.tokens.forget();
    Ok(StatusCode::NO_CONTENT)
}
