//! `GET /api/v1/series?q=&limit=`: the catalogue with last values.

use super::extract::QueryString;
use crate::error::ApiError;
use crate::state::AppState;
use app::model::{ErrorBody, SeriesInfo};
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 10_000;

#[derive(Deserialize)]
pub struct Params {
    q: Option<String>,
    limit: Option<String>,
}

/// The series found, in key order.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SeriesList {
    series: Vec<SeriesInfo>,
}

#[utoipa::path(get, path = "/api/v1/series", tag = "series",
    params(
        ("q" = Option<String>, Query, description = "Case-insensitive substring of the key; all series when absent"),
        ("limit" = Option<usize>, Query, description = "At most this many, 1 to 10000 (default 100)"),
    ),
    responses(
        (status = 200, description = "Series with labels, unit, first/last time, last value and count", body = SeriesList),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    QueryString(p): QueryString<Params>,
) -> Result<Json<SeriesList>, ApiError> {
    let limit = match p.limit {
        None => DEFAULT_LIMIT,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(ApiError::bad_request(
                    "invalid_limit",
                    format!("limit: `{text}` is not a number from 1 to {MAX_LIMIT}"),
                ))
            }
        },
    };
    let series = state.store.list_series(p.q.unwrap_or_default(), limit).await?;
    Ok(Json(SeriesList { series }))
}
