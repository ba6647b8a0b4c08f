//! Extractors a handler lists to require a scope; each runs before the
//! body is read, so a request without the right token is refused before
//! it costs anything. They sit above `auth` (which knows tokens, not
//! HTTP answers) and turn its refusals into `ApiError`s.

use crate::auth::credentials::{presented, Presented};
use crate::auth::{AuthError, EditPolicy, ReadPolicy, Scope};
use crate::error::ApiError;
use crate::read_slots::{Client, ReadSlot};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// The request carries a `write` token (explicitly: never the cookie).
/// Holds the token's id.
pub struct WriteAccess(pub i64);

/// The request carries an `admin` token (explicitly). Holds its id.
pub struct AdminAccess(pub i64);

/// The request may read: reads are public, or it carries a `read` token
/// (the browser's session cookie counts). Holds one of its client's read
/// slots while the handler runs.
pub struct ReadAccess {
    _slot: ReadSlot,
}

/// The request may change dashboards: anyone may when edits are public
/// (see [`edits_need_token`]), else it carries a token with the `read`
/// and `write` scopes (the session cookie counts). A write-only token,
/// the kind kept in a collector's configuration, cannot edit what it
/// cannot read.
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
        let token = match state.read_policy {
            ReadPolicy::Token => Some(require(parts, state, Scope::Read, true).await?),
            ReadPolicy::Public => None,
        };
        Ok(ReadAccess {
            _slot: state.read_slots.take(Client::of(parts, token)).await?,
        })
    }
}

impl FromRequestParts<AppState> for EditAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        require_edit(parts, state).await?;
        Ok(EditAccess)
    }
}

/// Whether changing a dashboard needs a token: when reads do, when
/// `--edit-access token` says so, and, with no `--edit-access`, once any
/// token exists (a fresh install is open; the first token closes it).
pub async fn edits_need_token(state: &AppState) -> Result<bool, AuthError> {
    Ok(match (state.read_policy, state.edit_policy) {
        (ReadPolicy::Token, _) | (_, Some(EditPolicy::Token)) => true,
        (ReadPolicy::Public, Some(EditPolicy::Public)) => false,
        (ReadPolicy::Public, None) => state.tokens.any().await?,
    })
}

/// Checks that the request may change dashboards (see [`EditAccess`]).
pub async fn require_edit(parts: &Parts, state: &AppState) -> Result<(), AuthError> {
    if edits_need_token(state).await? {
        require(parts, state, Scope::Read, true).await?;
        require(parts, state, Scope::Write, true).await?;
    }
    Ok(())
}

/// Checks that the request may change alert rules, silences and contact
/// points from the UI: anyone while edits are public, else an `admin`
/// token (the session cookie counts).
pub async fn require_alert_edit(parts: &Parts, state: &AppState) -> Result<(), AuthError> {
    if edits_need_token(state).await? {
        require(parts, state, Scope::Admin, true).await?;
    }
    Ok(())
}

/// Checks the token the request presents against `need`.
pub async fn require(parts: &Parts, state: &AppState, need: Scope, cookie_ok: bool) -> Result<i64, AuthError> {
    match presented(&parts.headers, &parts.uri, cookie_ok) {
        Presented::None => Err(AuthError::Missing { need }),
        Presented::Malformed(why) => Err(AuthError::Malformed(why)),
        Presented::Token(token) => state.tokens.check(&token, need).await,
    }
}
