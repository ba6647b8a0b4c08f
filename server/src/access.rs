//! Extractors a handler lists to require a scope; each runs before the
//! body is read, so a request without the right token is refused before
//! it costs anything. They sit above `auth` (which knows tokens, not
//! HTTP answers) and turn its refusals into `ApiError`s.

use crate::auth::credentials::{presented, Presented};
use crate::auth::{AuthError, ReadPolicy, Scope};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// The request carries a `write` token (explicitly: never the cookie).
/// Holds the token's id.
pub struct WriteAccess(pub i64);

/// The request carries an `admin` token (explicitly). Holds its id.
pub struct AdminAccess(pub i64);

/// The request may read: reads are public, or it carries a `read` token
/// (the browser's session cookie counts).
pub struct ReadAccess;

/// The request may change dashboards: as anyone may read when reads are
/// public, or with a `write` token when they are not.
pub struct EditAccess;

impl FromRequestParts<AppState> for WriteAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(WriteAccess(require(parts, state, Scope::Write, false).await?))
    }
}

impl FromRequestParts<AppState> for AdminAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(AdminAccess(require(parts, state, Scope::Admin, false).await?))
    }
}

impl FromRequestParts<AppState> for ReadAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if state.read_policy == ReadPolicy::Token {
            require(parts, state, Scope::Read, true).await?;
        }
        Ok(ReadAccess)
    }
}

impl FromRequestParts<AppState> for EditAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if state.read_policy == ReadPolicy::Token {
            require(parts, state, Scope::Write, true).await?;
        }
        Ok(EditAccess)
    }
}

/// Checks the token the request presents against `need`.
pub async fn require(parts: &Parts, state: &AppState, need: Scope, cookie_ok: bool) -> Result<i64, AuthError> {
    match presented(&parts.headers, &parts.uri, cookie_ok) {
        Presented::None => Err(AuthError::Missing { need }),
        Presented::Malformed(why) => Err(AuthError::Malformed(why)),
        Presented::Token(token) => state.tokens.check(&token, need).await,
    }
}
