//! The HTTP surface: REST handlers under `/api`, `/health`, and the web UI,
//! with the layers every request goes through.

mod alerts;
pub mod annotations;
mod browser_guard;
mod contact_points;
mod dashboards;
mod etag;
mod export;
mod extract;
mod health;
mod influx;
mod labels;
mod openapi;
mod push;
mod query;
mod series;
mod session;
mod silences;
mod tokens;
mod window;
mod write;

use crate::error::ApiError;
use crate::state::AppState;
use axum::http::{header, HeaderValue, Method, Uri};
use axum::middleware::from_fn_with_state;
use axum::routing::any;
use axum::Router;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Longest a request may take before it is answered 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole application as one `Router`, so tests can drive it with
/// `oneshot` and no socket.
pub fn router(state: AppState) -> Router {
    let (rest, _) = rest().split_for_parts();
    let api = rest
        .route("/api/{*rest}", any(unknown_api_path))
        .route("/rpc/{*rest}", any(unknown_server_function));
    let app = api
        .merge(crate::site::routes(&state))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state.clone(), browser_guard::guard))
        .layer(from_fn_with_state(state.http_metrics.clone(), crate::metrics::track));
    with_security_headers(app)
        .layer(cors(&state.allow_origins))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// Every REST endpoint, each registered with its OpenAPI description: the
/// router and `/api/openapi.json` come from this one list.
pub fn rest() -> OpenApiRouter<AppState> {
    let ingest = OpenApiRouter::new()
        .routes(routes!(write::native))
        .routes(routes!(write::telemetry))
        .routes(routes!(influx::write_v1))
        .routes(routes!(influx::write_v2))
        .layer(RequestDecompressionLayer::new());
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(query::single))
        .routes(routes!(query::batch))
        .routes(routes!(series::list))
        .routes(routes!(labels::names))
        .routes(routes!(labels::values))
        .routes(routes!(export::export))
        .routes(routes!(health::check))
        .routes(routes!(health::ready))
        .routes(routes!(health::metrics))
        .routes(routes!(influx::ping))
        .routes(routes!(openapi::serve))
        .routes(routes!(dashboards::list, dashboards::create))
        .routes(routes!(dashboards::get, dashboards::replace, dashboards::delete))
        .routes(routes!(dashboards::export))
        .routes(routes!(annotations::list, annotations::create))
        .routes(routes!(annotations::replace, annotations::delete))
        .routes(routes!(alerts::list_rules, alerts::create_rule))
        .routes(routes!(alerts::get_rule, alerts::replace_rule, alerts::delete_rule))
        .routes(routes!(alerts::instances))
        .routes(routes!(alerts::history))
        .routes(routes!(contact_points::list, contact_points::create))
        .routes(routes!(contact_points::replace, contact_points::delete))
        .routes(routes!(contact_points::test))
        .routes(routes!(contact_points::deliveries))
        .routes(routes!(push::key))
        .routes(routes!(push::subscribe, push::unsubscribe))
        .routes(routes!(silences::list, silences::create))
        .routes(routes!(silences::replace, silences::delete))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
        .routes(routes!(session::sign_in, session::sign_out))
        .merge(ingest)
}

/// Headers every answer carries: no MIME sniffing, no framing by other
/// sites (clickjacking), and no URL (which may hold a token) leaked in the
/// `Referer` to other origins. The page adds its own script and style
/// policy in a `<meta>` with a per-response nonce (see `app::shell`).
const SECURITY_HEADERS: [(header::HeaderName, &str); 3] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
];

fn with_security_headers(router: Router<AppState>) -> Router<AppState> {
    SECURITY_HEADERS.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ))
    })
}

/// Lets a UI hosted on another origin (the static Trunk build) call the
/// API and server functions; no origin is allowed unless configured.
fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_NONE_MATCH,
            header::AUTHORIZATION,
        ])
        .expose_headers([header::ETAG])
}

/// The span of a request's log lines: its method and path, never its
/// query string (InfluxDB 1.x clients put their token in `p=`) nor its
/// headers.
fn request_span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    tracing::debug_span!("request", method = %req.method(), path = %req.uri().path())
}

async fn unknown_api_path(uri: Uri) -> ApiError {
    ApiError::not_found("no_such_endpoint", format!("there is no endpoint at {}", uri.path()))
}

async fn unknown_server_function(uri: Uri) -> ApiError {
    ApiError::not_found(
        "no_such_function",
        format!("there is no server function at {}", uri.path()),
    )
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed {
        message: format!("{method} is not allowed on {}", uri.path()),
    }
}
