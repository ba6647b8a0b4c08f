//! The HTTP surface: REST handlers under `/api`, `/health`, and the web UI,
//! with the layers every request goes through.

mod etag;
mod export;
mod extract;
mod health;
mod influx;
mod query;
mod series;
mod write;

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Method, Uri};
use axum::routing::{any, get, post};
use axum::Router;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Longest a request may take before it is answered 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole application as one `Router`, so tests can drive it with
/// `oneshot` and no socket.
pub fn router(state: AppState) -> Router {
    let ingest = Router::new()
        .route("/api/v1/write", post(write::native))
        .route("/api/telemetry", post(write::telemetry))
        .route("/write", post(influx::write))
        .route("/api/v2/write", post(influx::write))
        .layer(RequestDecompressionLayer::new());
    let api = Router::new()
        .route("/api/v1/query", get(query::single))
        .route("/api/v1/query/batch", post(query::batch))
        .route("/api/v1/series", get(series::list))
        .route("/api/v1/series/{key}/export", get(export::export))
        .route("/api/{*rest}", any(unknown_api_path))
        .route("/health", get(health::check))
        .route("/ping", get(influx::ping).head(influx::ping))
        .merge(ingest)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(state.max_body_bytes));
    api.merge(crate::site::routes(&state))
        .layer(cors(&state.allow_origins))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Lets a UI hosted on another origin (the static Trunk build) call the
/// API and server functions; no origin is allowed unless configured.
fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([axum::http::header::CONTENT_TYPE, axum::http::header::ACCEPT])
}

async fn unknown_api_path(uri: Uri) -> ApiError {
    ApiError::not_found("no_such_endpoint", format!("there is no endpoint at {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed {
        message: format!("{method} is not allowed on {}", uri.path()),
    }
}
