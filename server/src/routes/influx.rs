//! `POST /write` (InfluxDB 1.x) and `POST /api/v2/write` (2.x): line
//! protocol, optionally gzipped, answered `204 No Content` like InfluxDB so
//! Telegraf, Home Assistant, Node-RED and the client libraries work as-is.

use super::extract::{IngestBody, QueryString};
use crate::access::WriteAccess;
use crate::clock;
use crate::error::ApiError;
use crate::ingest::{parse_line_batch, Precision};
use crate::state::AppState;
use app::model::ErrorBody;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// Tells a producer how many string fields were not stored (when the
/// server skips them rather than refusing the line).
pub const IGNORED_FIELDS_HEADER: HeaderName = HeaderName::from_static("x-sensorboard-ignored-string-fields");

/// Only `precision` matters here; `db`, `org`, `bucket`, `rp` are accepted
/// and ignored: every series lives in the one database.
#[derive(Deserialize)]
pub struct Params {
    precision: Option<String>,
}

/// InfluxDB 1.x write.
#[utoipa::path(post, path = "/write", tag = "ingest", security(("token" = [])),
    params(
        ("db" = Option<String>, Query, description = "Accepted and ignored: one database holds every series"),
        ("rp" = Option<String>, Query, description = "Accepted and ignored"),
        ("precision" = Option<String>, Query, description = "Timestamp unit: ns (default), us, ms, s, m, h"),
        ("u" = Option<String>, Query, description = "User name (InfluxDB 1.x authentication)"),
        ("p" = Option<String>, Query, description = "Password or token (InfluxDB 1.x authentication)"),
    ),
    request_body(content = String, content_type = "text/plain",
        description = "InfluxDB line protocol; each field becomes the series `measurement.field`, tags become labels. \
                       A string field refuses its line (400) unless the server runs with \
                       `--line-protocol-strings skip`, which leaves such fields out and counts them in \
                       `X-Sensorboard-Ignored-String-Fields`. `Content-Encoding: gzip` is accepted."),
    responses(
        (status = 204, description = "Stored and durable"),
        (status = 400, description = "A line is invalid or holds a string field; the message names it", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token has no write scope", body = ErrorBody),
        (status = 413, description = "The body is over the size limit (`payload_too_large`), or the batch would create more series than one batch may (`too_many_new_series`)", body = ErrorBody),
        (status = 422, description = "The store holds as many series as it may (`series_limit_reached`); nothing was stored", body = ErrorBody),
        (status = 429, description = "Over this token's ingest rate (`rate_limited`) or its new series a minute (`series_rate_limited`); `Retry-After` says when to retry", body = ErrorBody),
    ))]
pub async fn write_v1(
    access: WriteAccess,
    state: State<AppState>,
    params: QueryString<Params>,
    body: IngestBody,
) -> Result<Response, ApiError> {
    write(access, state, params, body).await
}

/// InfluxDB 2.x write.
#[utoipa::path(post, path = "/api/v2/write", tag = "ingest", security(("token" = [])),
    params(
        ("org" = Option<String>, Query, description = "Accepted and ignored"),
        ("bucket" = Option<String>, Query, description = "Accepted and ignored: one database holds every series"),
        ("precision" = Option<String>, Query, description = "Timestamp unit: ns (default), us, ms, s"),
    ),
    request_body(content = String, content_type = "text/plain",
        description = "InfluxDB line protocol, as for `/write`; `Authorization: Token <t>` or `Bearer <t>`."),
    responses(
        (status = 204, description = "Stored and durable"),
        (status = 400, description = "A line is invalid or holds a string field; the message names it", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token has no write scope", body = ErrorBody),
        (status = 413, description = "The body is over the size limit (`payload_too_large`), or the batch would create more series than one batch may (`too_many_new_series`)", body = ErrorBody),
        (status = 422, description = "The store holds as many series as it may (`series_limit_reached`); nothing was stored", body = ErrorBody),
        (status = 429, description = "Over this token's ingest rate (`rate_limited`) or its new series a minute (`series_rate_limited`); `Retry-After` says when to retry", body = ErrorBody),
    ))]
pub async fn write_v2(
    access: WriteAccess,
    state: State<AppState>,
    params: QueryString<Params>,
    body: IngestBody,
) -> Result<Response, ApiError> {
    write(access, state, params, body).await
}

async fn write(
    WriteAccess(token): WriteAccess,
    State(state): State<AppState>,
    QueryString(params): QueryString<Params>,
    IngestBody(body): IngestBody,
) -> Result<Response, ApiError> {
    let precision = match params.precision.as_deref() {
        None | Some("") => Precision::default(),
        Some(p) => Precision::parse(p).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_precision",
                format!("precision: `{p}` is not one of ns, us, ms, s, m, h"),
            )
        })?,
    };
    let text = std::str::from_utf8(&body).map_err(|e| {
        let line = body[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        ApiError::bad_request("invalid_body", format!("line {line}: the body is not valid UTF-8"))
    })?;
    let parsed = parse_line_batch(text, precision, clock::now_ms(), state.line_rules, &state.line_shapes)?;
    super::write::store(&state, token, parsed.batch).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    if parsed.ignored_string_fields > 0 {
        response
            .headers_mut()
            .insert(IGNORED_FIELDS_HEADER, HeaderValue::from(parsed.ignored_string_fields));
    }
    Ok(response)
}

/// `GET`/`HEAD /ping`: what InfluxDB clients and Telegraf call to check the
/// server is up before writing.
#[utoipa::path(method(get, head), path = "/ping", tag = "operations",
    responses((status = 204, description = "Up; `X-Influxdb-Version` names the protocol version spoken")))]
pub async fn ping() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert("x-influxdb-version", HeaderValue::from_static("1.8.10"));
    headers.insert("x-influxdb-build", HeaderValue::from_static("OSS"));
    response
}
