//! `GET /api/v1/series?q=&limit=`: the catalogue with last values.

use super::extract::QueryString;
use crate::error::ApiError;
use crate::state::AppState;
use app::model::SeriesInfo;
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

#[derive(Serialize)]
pub struct SeriesList {
    series: Vec<SeriesInfo>,
}

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
