//! `GET /api/openapi.json`: the OpenAPI 3 document of the REST API,
//! generated from the same annotated handlers the router is built from
//! (see `routes::rest`), so it cannot miss a route. The request bodies the
//! handlers parse by hand are described by the schema types below.

use app::domain::TimeSpec;
use app::model::Labels;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "sensorboard",
        description = "Self-hosted sensor and telemetry dashboard: ingest (native JSON, telemetry, InfluxDB line protocol), \
                       queries downsampled to the pixels asked for, series list and export. \
                       Any endpoint may also answer 421 `unknown_host` (a Host that is not an IP address, \
                       localhost or in --allowed-hosts), 403 `cross_origin` (a change asked by a page of \
                       another origin) and 413 `payload_too_large` (writes over --max-body-bytes, other \
                       bodies over --max-request-body-bytes)."
    ),
    tags(
        (name = "ingest", description = "Writing points; a batch is stored whole or not at all."),
        (name = "query", description = "Reading windows, downsampled; ETag and 304 on every answer."),
        (name = "series", description = "The series list and raw exports."),
        (name = "dashboards", description = "Dashboards: a title and ordered panels, stored whole."),
        (name = "alerts", description = "Alert rules, their instances' states and the state history."),
        (name = "operations", description = "Health and the API description."),
        (name = "tokens", description = "Access tokens with scopes; an admin token manages them."),
    ),
    modifiers(&TokenScheme)
)]
pub struct ApiDoc;

/// Declares the `token` security scheme the handlers name: a bearer token
/// (`Authorization: Bearer <t>` or `Token <t>`; InfluxDB 1.x clients may
/// send it as the Basic password or, on the write paths, the `p` parameter).
struct TokenScheme;

impl utoipa::Modify for TokenScheme {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "A sensorboard token (`sensorboard token create`). Writes and token management always \
                 need one; reads and dashboards only when the server runs with `--read-access token`.",
            ))
            .build();
        doc.components
            .get_or_insert_with(Default::default)
            .add_security_scheme("token", SecurityScheme::Http(scheme));
    }
}

/// `POST /api/v1/write` body.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)] // a schema only: the handler parses the body itself
pub struct NativeBatch {
    points: Vec<NativePoint>,
}

/// One point of a native batch.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)] // a schema only: the handler parses the body itself
pub struct NativePoint {
    /// Series name, e.g. `boiler.temp`.
    series: String,
    /// Optional labels; with the name they make the series key.
    labels: Option<Labels>,
    /// Optional unit, e.g. `°C`.
    unit: Option<String>,
    /// When: epoch milliseconds or RFC 3339; omitted means now.
    t: Option<TimeSpec>,
    /// A finite number.
    v: f64,
}

/// `POST /api/telemetry` body: one report, or a JSON array of reports.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)] // a schema only: the handler parses the body itself
pub struct TelemetryReport {
    /// RFC 3339 or epoch milliseconds; omitted means now.
    timestamp: Option<TimeSpec>,
    /// Signal name to value; each signal is a series.
    signals: BTreeMap<String, f64>,
}

/// `POST /api/v1/query/batch` body.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)] // a schema only: the handler parses the body itself
pub struct BatchRequest {
    /// At most 256 queries, answered in order.
    queries: Vec<app::model::QueryRequest>,
}

/// The document as JSON, built once.
fn document() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut doc = super::rest().into_openapi();
        reads_may_need_a_token(&mut doc);
        doc.to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\":\"internal\",\"message\":\"{e}\"}}"))
    })
}

/// Paths that never ask for a token.
const ALWAYS_OPEN: [&str; 5] = ["/health", "/ready", "/ping", "/api/openapi.json", "/api/v1/session"];

/// Marks every operation that names no security of its own (the reads and
/// dashboard endpoints) as taking the token optionally: it is needed when
/// the server runs with `--read-access token`. One place, so a new read
/// endpoint cannot be left out.
fn reads_may_need_a_token(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::security::SecurityRequirement;
    for (path, item) in doc.paths.paths.iter_mut() {
        if ALWAYS_OPEN.contains(&path.as_str()) {
            continue;
        }
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.head,
        ];
        for op in operations.into_iter().flatten().filter(|op| op.security.is_none()) {
            op.security = Some(vec![
                SecurityRequirement::default(),
                SecurityRequirement::new("token", Vec::<String>::new()),
            ]);
        }
    }
}

/// The OpenAPI 3 document of every REST endpoint.
#[utoipa::path(get, path = "/api/openapi.json", tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn serve() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], document())
}
