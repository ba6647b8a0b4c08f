//! `POST /write` (InfluxDB 1.x) and `POST /api/v2/write` (2.x): line
//! protocol, optionally gzipped, answered `204 No Content` like InfluxDB so
//! Telegraf, Home Assistant, Node-RED and the client libraries work as-is.

use super::extract::{Body, QueryString};
use crate::clock;
use crate::error::ApiError;
use crate::ingest::{parse_line_batch, Precision};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// Tells a producer how many string fields were not stored.
pub const IGNORED_FIELDS_HEADER: HeaderName = HeaderName::from_static("x-sensorboard-ignored-string-fields");

/// Only `precision` matters here; `db`, `org`, `bucket`, `rp` are accepted
/// and ignored: every series lives in the one database.
#[derive(Deserialize)]
pub struct Params {
    precision: Option<String>,
}

pub async fn write(
    State(state): State<AppState>,
    QueryString(params): QueryString<Params>,
    Body(body): Body,
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
    let parsed = parse_line_batch(text, precision, clock::now_ms())?;
    state.store.write_batch(parsed.batch).await?;
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
pub async fn ping() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert("x-influxdb-version", HeaderValue::from_static("1.8.10"));
    headers.insert("x-influxdb-build", HeaderValue::from_static("OSS"));
    response
}
