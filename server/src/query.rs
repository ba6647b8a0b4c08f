//! The query engine: resolves a window, reads the series' points, sums
//! them up, and reduces them to the requested size with LTTB.

use crate::clock;
use crate::error::ApiError;
use crate::store::read::{read_points, series_by_key};
use crate::store::rollup::Summary;
use crate::store::{Store, StoreError};
use app::backend::{Backend, BackendFuture};
use app::domain::downsample_lttb;
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
    if q.points > MAX_POINTS {
        return Err(ApiError::bad_request(
            "invalid_points",
            format!("points must be at most {MAX_POINTS}, got {}", q.points),
        ));
    }
    let series = series_by_key(conn, &q.series)?
        .ok_or_else(|| ApiError::not_found("series_not_found", format!("no series with key `{}`", q.series)))?;
    let raw = read_points(conn, series.id, from, to)?;
    let stats = stats_of(&raw);
    let points = match q.agg {
        Agg::Raw if raw.len() > MAX_POINTS => {
            return Err(ApiError::bad_request(
                "too_many_points",
                format!(
                    "the window holds {} points, more than {MAX_POINTS}; use agg=lttb or a shorter window",
                    raw.len()
                ),
            ))
        }
        Agg::Raw => raw,
        Agg::Lttb => {
            downsample_lttb(&raw, q.points).map_err(|e| ApiError::bad_request("invalid_points", e.to_string()))?
        }
    };
    Ok(QueryResult {
        series: q.series.clone(),
        from,
        to,
        resolution: "raw".into(),
        agg: q.agg,
        points,
        stats,
    })
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
