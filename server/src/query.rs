//! The query engine: normalises each query to a [`Window`], answers it
//! from the result cache or from the store (the planner picks raw points
//! or a rollup tier, the window is summed up, the data reduced to the
//! requested size: min-max buckets by default, LTTB or means on request),
//! and tags every answer with an ETag.

mod compute;
mod from_rollup;
pub mod plan;
mod slow_log;
mod window;

pub use compute::stats_of;
pub use slow_log::SlowLog;
pub use window::{Window, MAX_POINTS};

use crate::cache::QueryCache;
use crate::clock;
use crate::error::ApiError;
use crate::store::{Store, StoreError};
use app::backend::{Backend, BackendFuture};
use app::model::{
    Dashboard, DashboardDraft, ErrorBody, QueryOutcome, QueryRequest, QueryResult, SeriesInfo, SlowQuery,
};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// An answer and its entity tag: a hash of everything in it, so equal
/// tags mean equal bodies whichever way the answer was made.
#[derive(Debug, PartialEq)]
pub struct Answer {
    pub result: QueryResult,
    pub etag: u64,
}

impl Answer {
    pub fn new(result: QueryResult) -> Self {
        let mut h = std::hash::DefaultHasher::new();
        let r = &result;
        (&r.series, r.from, r.to, &r.resolution, r.rows_read, r.agg).hash(&mut h);
        for &(t, v) in &r.points {
            (t, v.to_bits()).hash(&mut h);
        }
        let s = &r.stats;
        (s.count, [s.min, s.max, s.avg, s.last].map(|x| x.map(f64::to_bits))).hash(&mut h);
        Answer {
            etag: h.finish(),
            result,
        }
    }
}

/// One query's outcome: its answer and whether the cache had it.
pub struct Served {
    pub answer: Arc<Answer>,
    pub cached: bool,
}

/// A computed miss: its slot, and its window with the answer or the error.
type Computed = (usize, Result<(Window, QueryResult), ApiError>);

/// Runs queries through the cache and the store; cheap to clone, shared
/// by the REST handlers and (as the `app` backend) by the server functions.
#[derive(Clone)]
pub struct QueryService {
    store: Store,
    cache: QueryCache,
    slow: SlowLog,
}

impl QueryService {
    /// The service, with `cache` told of every write `store` acknowledges.
    pub fn new(store: Store, cache: QueryCache) -> Self {
        store.observe(Arc::new(cache.clone()));
        QueryService {
            store,
            cache,
            slow: SlowLog::default(),
        }
    }

    pub fn cache(&self) -> &QueryCache {
        &self.cache
    }

    /// Answers `queries` in order: from the cache where it can, the rest
    /// on one reader connection. The outer error is a store failure that
    /// sank the whole batch; inner ones are per query.
    pub async fn run_batch(&self, queries: &[QueryRequest]) -> Result<Vec<Result<Served, ApiError>>, StoreError> {
        let now = clock::now_ms();
        let read_at = self.cache.epoch();
        let mut slots: Vec<Option<Result<Served, ApiError>>> = Vec::with_capacity(queries.len());
        let mut misses: Vec<(usize, Window)> = Vec::new();
        for (i, q) in queries.iter().enumerate() {
            slots.push(match Window::resolve(q, now) {
                Err(e) => Some(Err(e)),
                Ok(window) => match self.cache.get(&window) {
                    Some(answer) => Some(Ok(Served { answer, cached: true })),
                    None => {
                        misses.push((i, window));
                        None
                    }
                },
            });
        }
        let computed = if misses.is_empty() {
            Vec::new()
        } else {
            self.read_misses(misses).await?
        };
        for (i, outcome) in computed {
            slots[i] = Some(outcome.map(|(window, result)| {
                let answer = Arc::new(Answer::new(result));
                self.cache.insert(window, answer.clone(), read_at);
                Served { answer, cached: false }
            }));
        }
        Ok(slots
            .into_iter()
            .map(|slot| slot.unwrap_or_else(|| Err(StoreError::Failed("a query got no answer".into()).into())))
            .collect())
    }

    /// Computes the answers the cache lacked, on one reader connection.
    async fn read_misses(&self, misses: Vec<(usize, Window)>) -> Result<Vec<Computed>, StoreError> {
        let series: Vec<std::sync::Arc<str>> = misses.iter().map(|(_, w)| w.series.clone()).collect();
        let keys: Vec<&str> = series.iter().map(|s| &**s).collect();
        let slow = self.slow.clone();
        self.store
            .read_series(&keys, move |conn| {
                Ok(misses
                    .into_iter()
                    .map(|(i, w)| {
                        let started = std::time::Instant::now();
                        let computed = compute::compute(conn, &w);
                        if let Ok(r) = &computed {
                            slow.record(slow_query(&w, r, started.elapsed()));
                        }
                        (i, computed.map(|r| (w, r)))
                    })
                    .collect())
            })
            .await
    }

    pub async fn run(&self, query: QueryRequest) -> Result<Served, ApiError> {
        let mut results = self.run_batch(std::slice::from_ref(&query)).await?;
        results
            .pop()
            .unwrap_or_else(|| Err(ApiError::bad_request("empty_batch", "no query")))
    }
}

fn slow_query(w: &Window, r: &QueryResult, took: std::time::Duration) -> SlowQuery {
    SlowQuery {
        series: w.series.to_string(),
        from: r.from,
        to: r.to,
        points: w.points,
        resolution: r.resolution.clone(),
        rows_read: r.rows_read,
        took_us: took.as_micros() as u64,
        at: clock::now_ms(),
    }
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
            match self.run_batch(&queries).await {
                Ok(results) => results
                    .into_iter()
                    .map(|r| match r {
                        Ok(served) => QueryOutcome::Ok(served.answer.result.clone()),
                        Err(e) => QueryOutcome::Err(e.into()),
                    })
                    .collect(),
                Err(e) => vec![QueryOutcome::Err(ApiError::from(e).into()); n],
            }
        })
    }

    fn dashboards(&self) -> BackendFuture<'_, Result<Vec<Dashboard>, ErrorBody>> {
        Box::pin(async move { self.store.dashboards().await.map_err(|e| ApiError::from(e).into()) })
    }

    fn save_dashboard(
        &self,
        id: Option<i64>,
        draft: DashboardDraft,
    ) -> BackendFuture<'_, Result<Dashboard, ErrorBody>> {
        Box::pin(async move {
            let saved = match id {
                None => self.store.create_dashboard(draft).await.map(Some),
                Some(id) => self.store.replace_dashboard(id, draft).await,
            };
            match saved {
                Ok(Some(dashboard)) => Ok(dashboard),
                Ok(None) => Err(ApiError::dashboard_not_found(id.unwrap_or_default()).into()),
                Err(e) => Err(ApiError::from(e).into()),
            }
        })
    }

    fn slow_queries(&self) -> Vec<SlowQuery> {
        self.slow.slowest(clock::now_ms())
    }

    fn delete_dashboard(&self, id: i64) -> BackendFuture<'_, Result<(), ErrorBody>> {
        Box::pin(async move {
            match self.store.delete_dashboard(id).await {
                Ok(true) => Ok(()),
                Ok(false) => Err(ApiError::dashboard_not_found(id).into()),
                Err(e) => Err(ApiError::from(e).into()),
            }
        })
    }
}
