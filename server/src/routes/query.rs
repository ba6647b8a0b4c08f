//! `GET /api/v1/query?series=&from=&to=&points=&agg=&resolution=` and
//! `POST /api/v1/query/batch`.

use super::extract::{Body, QueryString};
use crate::error::ApiError;
use crate::state::AppState;
use app::domain::TimeSpec;
use app::model::{Agg, ErrorBody, QueryOutcome, QueryRequest, QueryResult, Resolution};
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

/// Parameters as text, so every mistake gets our own message.
#[derive(Deserialize)]
pub struct Params {
    series: Option<String>,
    from: Option<String>,
    to: Option<String>,
    points: Option<String>,
    agg: Option<String>,
    resolution: Option<String>,
}

pub async fn single(
    State(state): State<AppState>,
    QueryString(params): QueryString<Params>,
) -> Result<Json<QueryResult>, ApiError> {
    let request = parse(params)?;
    Ok(Json(state.queries.run(request).await?))
}

/// Defaults: the last hour, 1000 points, `agg=auto`, `resolution=auto`.
fn parse(p: Params) -> Result<QueryRequest, ApiError> {
    let series = p
        .series
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::bad_request("missing_series", "the `series` parameter is required"))?;
    let time = |name: &str, value: Option<String>, default: TimeSpec| match value {
        None => Ok(default),
        Some(text) => TimeSpec::parse(&text).map_err(|e| ApiError::bad_request("invalid_time", format!("{name}: {e}"))),
    };
    let from = time("from", p.from, TimeSpec::FromNow(-3_600_000))?;
    let to = time("to", p.to, TimeSpec::FromNow(0))?;
    let points = match p.points {
        None => 1_000,
        Some(text) => text
            .parse()
            .map_err(|_| ApiError::bad_request("invalid_points", format!("points: `{text}` is not a whole number")))?,
    };
    let agg = match p.agg.as_deref() {
        None | Some("auto") => Agg::Auto,
        Some("lttb") => Agg::Lttb,
        Some("minmax") => Agg::Minmax,
        Some("raw") => Agg::Raw,
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_agg",
                format!("agg: `{other}` is not one of auto, lttb, minmax, raw"),
            ))
        }
    };
    let resolution = match p.resolution.as_deref() {
        None => Resolution::Auto,
        Some(text) => Resolution::parse(text).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_resolution",
                format!("resolution: `{text}` is not one of auto, raw, 1m, 1h"),
            )
        })?,
    };
    Ok(QueryRequest {
        series,
        from,
        to,
        points,
        agg,
        resolution,
    })
}

/// Most queries one batch may hold.
pub const MAX_BATCH: usize = 256;

/// `POST /api/v1/query/batch` body: `{"queries": [<query>...]}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchBody {
    queries: Vec<serde_json::Value>,
}

/// The answers in the order of the queries; a failed query has its error
/// object in its slot, and the others are answered regardless.
#[derive(Serialize)]
pub struct BatchAnswer {
    results: Vec<QueryOutcome>,
}

pub async fn batch(State(state): State<AppState>, Body(body): Body) -> Result<Json<BatchAnswer>, ApiError> {
    let body: BatchBody = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(
            "invalid_body",
            format!("the batch is not `{{\"queries\": [...]}}`: {e}"),
        )
    })?;
    if body.queries.len() > MAX_BATCH {
        return Err(ApiError::bad_request(
            "too_many_queries",
            format!("a batch holds at most {MAX_BATCH} queries, got {}", body.queries.len()),
        ));
    }
    let parsed: Vec<Result<QueryRequest, ErrorBody>> = body
        .queries
        .into_iter()
        .enumerate()
        .map(|(i, q)| {
            serde_json::from_value(q).map_err(|e| ErrorBody::new("invalid_query", format!("queries[{i}]: {e}")))
        })
        .collect();
    let valid: Vec<QueryRequest> = parsed.iter().filter_map(|p| p.as_ref().ok().cloned()).collect();
    let mut answers = state.queries.run_batch(valid).await?.into_iter();
    let results = parsed
        .into_iter()
        .map(|p| match p {
            Err(e) => QueryOutcome::Err(e),
            Ok(_) => match answers.next() {
                Some(answer) => answer.map_err(ErrorBody::from).into(),
                None => QueryOutcome::Err(ErrorBody::new("internal", "a query got no answer")),
            },
        })
        .collect();
    Ok(Json(BatchAnswer { results }))
}
