//! `ApiError`: what a handler returns when it cannot answer. It becomes a
//! JSON body `{"error","message"}` with a fitting status; internal causes
//! are logged in full and shown to the client only as a generic message.
//!
//! Every layer below keeps its own error type (`StoreError`,
//! `IngestError`, `QueryError`, `AuthError`, `IssueError`) and knows
//! nothing of HTTP; the conversions into `ApiError` all live here.

use crate::auth::{AuthError, IssueError};
use crate::ingest::IngestError;
use crate::query::{Over, QueryError};
use crate::store::{SelectError, SeriesRefusal, StoreError};
use app::model::ErrorBody;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The stable code of an error answer, left on the response by `ApiError`
/// for the metrics middleware to count.
#[derive(Clone, Debug)]
pub struct ErrorCode(pub String);

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is wrong; `code` is stable, `message` says what and where.
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// The request is wrong, as a shared validator (in `app`) put it.
    #[error("{0}")]
    Invalid(#[from] ErrorBody),
    #[error("{message}")]
    NotFound { code: &'static str, message: String },
    #[error("{message}")]
    MethodNotAllowed { message: String },
    #[error("request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// A browser page of another origin asked to change something.
    #[error("{message}")]
    CrossOrigin { message: String },
    /// The request names a host this server does not answer to.
    #[error("this server does not answer to the host `{host}`; add it with --allowed-hosts")]
    UnknownHost { host: String },
    /// The body is not in the format the endpoint reads.
    #[error("{message}")]
    UnsupportedMediaType { message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No token, or not one that allows this (never `AuthError::Store`:
    /// that becomes [`ApiError::Store`]).
    #[error(transparent)]
    Auth(AuthError),
    /// Too many requests for this token; retry after `retry_after_s`.
    #[error("{message}")]
    RateLimited { message: String, retry_after_s: u64 },
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::NotFound {
            code,
            message: message.into(),
        }
    }

    pub fn dashboard_not_found(id: i64) -> Self {
        ApiError::not_found("dashboard_not_found", format!("there is no dashboard {id}"))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } | ApiError::Invalid(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::CrossOrigin { .. } => StatusCode::FORBIDDEN,
            ApiError::UnknownHost { .. } => StatusCode::MISDIRECTED_REQUEST,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Store(StoreError::SeriesRefused(refused)) => match refused {
                SeriesRefusal::TooManyInBatch { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                SeriesRefusal::StoreFull { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                SeriesRefusal::TooFast { .. } => StatusCode::TOO_MANY_REQUESTS,
            },
            ApiError::Store(StoreError::Select(SelectError::TooManySeries { .. })) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Store(StoreError::Select(_)) => StatusCode::BAD_REQUEST,
            ApiError::Store(e) if e.is_busy() => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Auth(AuthError::Insufficient { .. }) => StatusCode::FORBIDDEN,
            ApiError::Auth(_) => StatusCode::UNAUTHORIZED,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    /// The body the client sees; never an internal detail.
    pub fn body(&self) -> ErrorBody {
        match self {
            ApiError::BadRequest { code, message } | ApiError::NotFound { code, message } => {
                ErrorBody::new(*code, message.clone())
            }
            ApiError::Invalid(body) => body.clone(),
            ApiError::MethodNotAllowed { message } => ErrorBody::new("method_not_allowed", message.clone()),
            ApiError::PayloadTooLarge { .. } => ErrorBody::new("payload_too_large", self.to_string()),
            ApiError::CrossOrigin { message } => ErrorBody::new("cross_origin", message.clone()),
            ApiError::UnknownHost { .. } => ErrorBody::new("unknown_host", self.to_string()),
            ApiError::UnsupportedMediaType { message } => ErrorBody::new("unsupported_media_type", message.clone()),
            ApiError::Store(StoreError::SeriesRefused(refused)) => ErrorBody::new(
                match refused {
                    SeriesRefusal::TooManyInBatch { .. } => "too_many_new_series",
                    SeriesRefusal::StoreFull { .. } => "series_limit_reached",
                    SeriesRefusal::TooFast { .. } => "series_rate_limited",
                },
                format!("{refused}; nothing of the batch was stored ({})", setting_of(refused)),
            ),
            ApiError::Store(StoreError::Select(e @ SelectError::TooManySeries { .. })) => ErrorBody::new(
                "too_many_series",
                format!("{e} (--max-series-per-query); narrow it with more matchers"),
            ),
            ApiError::Store(StoreError::Select(e)) => ErrorBody::new("invalid_selector", e.to_string()),
            ApiError::Store(e) if e.is_busy() => ErrorBody::new("unavailable", "the database is busy; retry shortly"),
            ApiError::Store(_) => ErrorBody::new("internal", "internal error; the server log has the details"),
            ApiError::Auth(e @ AuthError::Insufficient { .. }) => ErrorBody::new("forbidden", e.to_string()),
            ApiError::Auth(e) => ErrorBody::new("unauthorized", e.to_string()),
            ApiError::RateLimited { message, .. } => ErrorBody::new("rate_limited", message.clone()),
        }
    }
}

/// The setting whose cap refused a batch's new series.
fn setting_of(refused: &SeriesRefusal) -> &'static str {
    match refused {
        SeriesRefusal::TooManyInBatch { .. } => "--max-new-series-per-batch",
        SeriesRefusal::StoreFull { .. } => "--max-series",
        SeriesRefusal::TooFast { .. } => "--max-new-series-per-minute",
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Store(cause) => ApiError::Store(cause),
            refused => ApiError::Auth(refused),
        }
    }
}

impl From<IngestError> for ApiError {
    fn from(e: IngestError) -> Self {
        let code = match e {
            IngestError::Body(_) => "invalid_body",
            IngestError::Point { .. } => "invalid_point",
            IngestError::At { .. } => "invalid_point",
            IngestError::Line { .. } => "invalid_line",
            IngestError::Empty => "empty_batch",
        };
        ApiError::bad_request(code, e.to_string())
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::Invalid { code, message } => ApiError::BadRequest { code, message },
            e @ QueryError::SeriesNotFound(_) => ApiError::not_found("series_not_found", e.to_string()),
            e @ QueryError::OverBudget { over, .. } => ApiError::BadRequest {
                code: "query_budget_exceeded",
                message: format!(
                    "{e}; nothing was answered ({})",
                    match over {
                        Over::Points => "--max-points-per-request",
                        Over::Rows => "--max-rows-per-request",
                    }
                ),
            },
            QueryError::Store(cause) => ApiError::Store(cause),
        }
    }
}

impl From<IssueError> for ApiError {
    fn from(e: IssueError) -> Self {
        match e {
            IssueError::Store(e) => ApiError::Store(e),
            other => ApiError::bad_request("invalid_token", other.to_string()),
        }
    }
}

impl From<ApiError> for ErrorBody {
    fn from(e: ApiError) -> Self {
        if let ApiError::Store(cause) = &e {
            if !matches!(cause, StoreError::SeriesRefused(_) | StoreError::Select(_)) {
                tracing::error!(error = %cause, "store failure");
            }
        }
        e.body()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = match &self {
            ApiError::RateLimited { retry_after_s, .. }
            | ApiError::Store(StoreError::SeriesRefused(SeriesRefusal::TooFast { retry_after_s, .. })) => {
                Some(*retry_after_s)
            }
            _ => None,
        };
        let body = ErrorBody::from(self);
        let code = ErrorCode(body.error.clone());
        let mut response = (status, Json(body)).into_response();
        response.extensions_mut().insert(code);
        let headers = response.headers_mut();
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"sensorboard\""),
            );
        }
        if let Some(s) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        response
    }
}
