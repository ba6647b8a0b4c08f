//! `GET /api/v1/series?q=&limit=&after=`: the series list with last
//! values, in pages.

use super::etag::Etag;
use super::extract::QueryString;
use crate::access::ReadAccess;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{SeriesSearch, StoreError};
use app::model::{ErrorBody, SeriesInfo};
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 10_000;

#[derive(Deserialize)]
pub struct Params {
    q: Option<String>,
    limit: Option<String>,
    after: Option<String>,
    select: Option<String>,
}

/// The series found, in key order.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SeriesList {
    series: Vec<SeriesInfo>,
    /// The key to pass as `after` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/series", tag = "series",
    params(
        ("q" = Option<String>, Query, description = "Case-insensitive substring of the key; all series when absent"),
        ("limit" = Option<usize>, Query, description = "At most this many, 1 to 10000 (default 100)"),
        ("after" = Option<String>, Query, description = "Only keys after this one: the `next` of the previous page"),
        ("select" = Option<String>, Query, description = "Only series this selector matches, e.g. `fleet.f3{site=\"s2\"}`"),
        ("If-None-Match" = Option<String>, Header, description = "An ETag of an earlier list: 304 if unchanged"),
    ),
    responses(
        (status = 200, description = "Series with labels, unit, first/last time, last value and count; with an `ETag`", body = SeriesList),
        (status = 304, description = "The list named by If-None-Match is still the list"),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
        (status = 429, description = "This client has too many reads in progress and waiting (`rate_limited`, --max-reads-per-client); `Retry-After` says when to retry", body = ErrorBody),
    ))]
pub async fn list(
    _: ReadAccess,
    State(state): State<AppState>,
    headers: HeaderMap,
    QueryString(p): QueryString<Params>,
) -> Result<Response, ApiError> {
    let limit = list_limit(p.limit)?;
    let series = state
        .store
        .list_series(SeriesSearch {
            text: p.q.unwrap_or_default(),
            selector: p.select.as_deref().map(super::labels::compile).transpose()?,
            after: p.after,
            limit,
        })
        .await?;
    let next = (series.len() == limit)
        .then(|| series.last().map(|s| s.key.clone()))
        .flatten();
    let body = serde_json::to_vec(&SeriesList { series, next }).map_err(|e| StoreError::Failed(e.to_string()))?;
    let etag = Etag::of_body(&body);
    Ok(etag.respond(&headers, None, move || {
        ([(CONTENT_TYPE, "application/json")], body).into_response()
    }))
}

/// A list's `limit`: 1 to 10,000, 100 when absent (the series list and the
/// label lists alike).
pub(super) fn list_limit(text: Option<String>) -> Result<usize, ApiError> {
    match text {
        None => Ok(DEFAULT_LIMIT),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_request(
                "invalid_limit",
                format!("limit: `{text}` is not a number from 1 to {MAX_LIMIT}"),
            )),
        },
    }
}
