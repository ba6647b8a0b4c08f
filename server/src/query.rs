//! The query engine: resolves a window, lets the planner pick raw points
//! or a rollup tier, sums the window up, and reduces the data to the
//! requested size (min-max buckets by default, LTTB on request).

mod from_rollup;
pub mod plan;

use crate::clock;
use crate::error::ApiError;
use crate::store::read::{read_points, read_rollup, series_by_key};
use crate::store::rollup::{bucket_start, Summary};
use crate::store::{Store, StoreError};
use app::backend::{Backend, BackendFuture};
use app::domain::{downsample_lttb, downsample_minmax};
use app::model::{Agg, ErrorBody, QueryOutcome, QueryRequest, QueryResult, SeriesInfo, Stats};
use rusqlite::Connection;

/// Largest `points` a query may ask for, and largest raw answer.
pub const MAX_POINTS: usize = 100_000;

/// Runs queries against the store; cheap to clone, shared by the REST
/// handlers and (as the `app` backend) by the server functions.
#[derive(Clone)]
pub struct QueryService {
    store: Store,
}

impl QueryService {
    pub fn new(store: Store) -> Self {
        QueryService { store }
    }

    /// Answers `queries` in order on one reader connection. The outer error
    /// is a store failure that sank the whole batch; inner ones are per query.
    pub async fn run_batch(
        &self,
        queries: Vec<QueryRequest>,
    ) -> Result<Vec<Result<QueryResult, ApiError>>, StoreError> {
        let now = clock::now_ms();
        self.store
            .read(move |conn| Ok(queries.iter().map(|q| answer(conn, q, now)).collect()))
            .await
    }

    pub async fn run(&self, query: QueryRequest) -> Result<QueryResult, ApiError> {
        let mut results = self.run_batch(vec![query]).await?;
        results
            .pop()
            .unwrap_or_else(|| Err(ApiError::bad_request("empty_batch", "no query")))
    }
}

fn answer(conn: &Connection, q: &QueryRequest, now: i64) -> Result<QueryResult, ApiError> {
    let (from, to) = (q.from.resolve(now), q.to.resolve(now));
    if from > to {
        return Err(ApiError::bad_request(
            "invalid_range",
            format!("from ({from}) is after to ({to})"),
        ));
    }
    if q.points > MAX_POINTS || (q.points < 2 && q.agg != Agg::Raw) {
        return Err(ApiError::bad_request(
            "invalid_points",
            format!("points must be from 2 to {MAX_POINTS}, got {}", q.points),
        ));
    }
    let series = series_by_key(conn, &q.series)?
        .ok_or_else(|| ApiError::not_found("series_not_found", format!("no series with key `{}`", q.series)))?;
    let source = plan::choose(conn, &series, from, to, q)?;
    let (points, stats, rows_read) = match source {
        plan::Source::Raw => {
            let raw = read_points(conn, series.id, from, to)?;
            let (stats, rows) = (stats_of(&raw), raw.len() as u64);
            (reduce_raw(raw, from, to, q)?, stats, rows)
        }
        plan::Source::Rollup(tier) => {
            let rows = read_rollup(conn, tier, series.id, bucket_start(from, tier.width_ms()), to)?;
            let points = match q.agg {
                Agg::Raw => too_many(from_rollup::means(&rows))?,
                Agg::Lttb => from_rollup::lttb(&rows, q.points)
                    .map_err(|e| ApiError::bad_request("invalid_points", e.to_string()))?,
                Agg::Auto | Agg::Minmax => from_rollup::extremes(&rows, from, to, q.points),
            };
            (points, from_rollup::stats(&rows), rows.len() as u64)
        }
    };
    Ok(QueryResult {
        series: q.series.clone(),
        from,
        to,
        resolution: source.name().into(),
        rows_read,
        agg: q.agg,
        points,
        stats,
    })
}

fn reduce_raw(raw: Vec<(i64, f64)>, from: i64, to: i64, q: &QueryRequest) -> Result<Vec<(i64, f64)>, ApiError> {
    match q.agg {
        Agg::Raw => too_many(raw),
        Agg::Lttb => {
            downsample_lttb(&raw, q.points).map_err(|e| ApiError::bad_request("invalid_points", e.to_string()))
        }
        Agg::Auto | Agg::Minmax => Ok(downsample_minmax(&raw, from, to, q.points)),
    }
}

/// `agg=raw` answers are capped at [`MAX_POINTS`].
fn too_many(points: Vec<(i64, f64)>) -> Result<Vec<(i64, f64)>, ApiError> {
    if points.len() > MAX_POINTS {
        return Err(ApiError::bad_request(
            "too_many_points",
            format!(
                "the window holds {} points, more than {MAX_POINTS}; use another agg or a shorter window",
                points.len()
            ),
        ));
    }
    Ok(points)
}

/// Count, extremes, mean and last value of time-ordered points.
pub fn stats_of(points: &[(i64, f64)]) -> Stats {
    Summary::of(points).map_or_else(Stats::default, |s| Stats {
        count: s.count,
        min: Some(s.min),
        max: Some(s.max),
        avg: Some(s.sum / s.count as f64),
        last: Some(s.last),
    })
}

impl Backend for QueryService {
    fn list_series(&self, filter: String, limit: usize) -> BackendFuture<'_, Result<Vec<SeriesInfo>, ErrorBody>> {
        Box::pin(async move {
            self.store
                .list_series(filter, limit)
                .await
                .map_err(|e| ApiError::from(e).into())
        })
    }

    fn query_batch(&self, queries: Vec<QueryRequest>) -> BackendFuture<'_, Vec<QueryOutcome>> {
        Box::pin(async move {
            let n = queries.len();
            match self.run_batch(queries).await {
                Ok(results) => results.into_iter().map(|r| r.map_err(ErrorBody::from).into()).collect(),
                Err(e) => vec![QueryOutcome::Err(ApiError::from(e).into()); n],
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_cover_every_point() {
        let s = stats_of(&[(1, 2.0), (2, -1.0), (3, 5.0)]);
        assert_eq!(
            s,
            Stats {
                count: 3,
                min: Some(-1.0),
                max: Some(5.0),
                avg: Some(2.0),
                last: Some(5.0)
            }
        );
        assert_eq!(stats_of(&[]), Stats::default());
    }
}
