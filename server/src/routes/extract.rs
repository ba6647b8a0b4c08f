//! Extractors whose rejections are our JSON errors rather than axum's
//! plain text: an over-limit body is a 413 JSON error, a malformed query
//! string a 400 JSON error.
//!
//! Bodies have two limits: writes may send `--max-body-bytes` (16 MiB by
//! default), everything else (queries, dashboards, tokens, sign-in)
//! `--max-request-body-bytes` (1 MiB), so that no read can make the
//! server hold and parse a write-sized body. Either is read no further
//! than its limit, decompressed bytes counted.

use crate::body_limit::read_within;
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// The body of a request that is not a write, within
/// `--max-request-body-bytes`.
pub struct Body(pub Bytes);

/// The body of a write, within `--max-body-bytes`.
pub struct IngestBody(pub Bytes);

impl FromRequest<AppState> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        Ok(Body(read_within(req.into_body(), state.max_request_body_bytes).await?))
    }
}

impl FromRequest<AppState> for IngestBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        Ok(IngestBody(read_within(req.into_body(), state.max_body_bytes).await?))
    }
}

/// The query string, deserialized into `T`.
pub struct QueryString<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for QueryString<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(params)) => Ok(QueryString(params)),
            Err(e) => Err(ApiError::bad_request("invalid_query", e.body_text())),
        }
    }
}

/// The `{id}` of a path such as `/api/v1/dashboards/{id}`: a whole number,
/// else a 400 JSON error (axum's own rejection is plain text).
pub struct PathId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(text) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad_request("invalid_id", e.body_text()))?;
        text.parse()
            .map(PathId)
            .map_err(|_| ApiError::bad_request("invalid_id", format!("`{text}` is not an id (a whole number)")))
    }
}
