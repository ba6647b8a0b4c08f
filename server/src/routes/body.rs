//! Request bodies with JSON errors: an over-limit body is a 413 JSON
//! error, not axum's plain-text rejection.

use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;

/// The whole request body, within the configured size limit.
pub struct Body(pub Bytes);

impl FromRequest<AppState> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        match Bytes::from_request(req, state).await {
            Ok(bytes) => Ok(Body(bytes)),
            Err(e) => Err(rejection(e, state.max_body_bytes)),
        }
    }
}

fn rejection(e: BytesRejection, limit: usize) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge { limit }
    } else {
        ApiError::bad_request(
            "invalid_body",
            format!("cannot read the request body: {}", e.body_text()),
        )
    }
}
