//! The parameters of `GET /api/v1/query`, read as text so that every
//! mistake gets its own message.

use crate::error::ApiError;
use app::domain::{TimeSpec, DEFAULT_POINTS};
use app::model::{
    Agg, AggregateOp, QueryRequest, RankStat, Resolution, Transform, DEFAULT_QUERY_FROM, DEFAULT_QUERY_TO,
};
use serde::Deserialize;

/// Parameters as text, so every mistake gets our own message.
#[derive(Deserialize)]
pub struct Params {
    series: Option<String>,
    from: Option<String>,
    to: Option<String>,
    points: Option<String>,
    agg: Option<String>,
    resolution: Option<String>,
    select: Option<String>,
    aggregate: Option<String>,
    by: Option<String>,
    lines: Option<String>,
    rank: Option<String>,
    bottom: Option<String>,
    transform: Option<String>,
}

/// Defaults: `DEFAULT_QUERY_FROM` to `DEFAULT_QUERY_TO`, `DEFAULT_POINTS`,
/// `agg=auto`, `resolution=auto`. The selection's own checks are the
/// engine's, shared with the batch.
pub fn parse(p: Params) -> Result<QueryRequest, ApiError> {
    let series = p.series.unwrap_or_default();
    if series.is_empty() && p.select.is_none() {
        return Err(ApiError::bad_request(
            "missing_series",
            "the `series` parameter (or `select`) is required",
        ));
    }
    let time = |name: &str, value: Option<String>, default: TimeSpec| match value {
        None => Ok(default),
        Some(text) => TimeSpec::parse(&text).map_err(|e| ApiError::bad_request("invalid_time", format!("{name}: {e}"))),
    };
    let from = time("from", p.from, DEFAULT_QUERY_FROM)?;
    let to = time("to", p.to, DEFAULT_QUERY_TO)?;
    let points = match p.points {
        None => DEFAULT_POINTS,
        Some(text) => text
            .parse()
            .map_err(|_| ApiError::bad_request("invalid_points", format!("points: `{text}` is not a whole number")))?,
    };
    let agg = match p.agg.as_deref() {
        None => Agg::Auto,
        Some(text) => Agg::parse(text).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_agg",
                format!("agg: `{text}` is not one of auto, lttb, minmax, avg, raw"),
            )
        })?,
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
    let aggregate = match p.aggregate.as_deref() {
        None => None,
        Some(text) => Some(AggregateOp::parse(text).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_aggregate",
                format!("aggregate: `{text}` is not one of sum, avg, min, max, count"),
            )
        })?),
    };
    let rank = match p.rank.as_deref() {
        None => None,
        Some(text) => Some(RankStat::parse(text).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_rank",
                format!("rank: `{text}` is not one of max, min, avg, last"),
            )
        })?),
    };
    let lines =
        match p.lines {
            None => None,
            Some(text) => Some(text.parse().map_err(|_| {
                ApiError::bad_request("invalid_lines", format!("lines: `{text}` is not a whole number"))
            })?),
        };
    let bottom = match p.bottom.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(text) => {
            return Err(ApiError::bad_request(
                "invalid_bottom",
                format!("bottom: `{text}` is not true or false"),
            ))
        }
    };
    let transform = match p.transform.as_deref() {
        None | Some("") => None,
        Some(text) => Some(
            Transform::parse(text)
                .map_err(|e| ApiError::bad_request("invalid_transform", format!("transform: {e}")))?,
        ),
    };
    let by =
        p.by.map(|text| text.split(',').map(|l| l.trim().to_owned()).collect())
            .unwrap_or_default();
    Ok(QueryRequest {
        series,
        select: p.select,
        aggregate,
        by,
        lines,
        rank,
        bottom,
        transform,
        from,
        to,
        points,
        agg,
        resolution,
    })
}
