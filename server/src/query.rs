//! The query engine: normalises each query to a [`ResolvedQuery`], answers
//! it from the result cache or from the store (the planner picks raw points
//! or a rollup tier, the window is summed up, the data reduced to the
//! requested size: min-max buckets by default, LTTB or means on request),
//! and tags every answer with an ETag.
//!
//! - `budget`: what one request may read and return.
//! - `resolved`: a query checked and its window resolved (the cache key).
//! - [`cache`]: the result cache, which the store's writes invalidate.
//! - [`plan`]: which data answers a query.
//! - `compute`, `from_rollup`: the answer, from raw points or buckets.
//! - `selection`: queries by selector, per series or aggregated.
//! - `slow_log`: the slowest recent computations, for the System page.
//! - `transform`: rates, derivatives, differences and moving averages.

mod budget;
pub mod cache;
mod compute;
mod from_rollup;
pub mod plan;
mod resolved;
mod selection;
mod slow_log;
mod transform;

pub use budget::{Over, QueryBudget};
pub use cache::QueryCache;
pub use compute::stats_of;
pub use resolved::{ResolvedQuery, MAX_POINTS};
pub use slow_log::SlowLog;

use crate::clock;
use crate::store::{CompiledSelector, SelectedSeries, SeriesHash, Store, StoreError};
use app::model::{QueryRequest, QueryResult, SlowQuery};
use budget::Spending;
use rustc_hash::FxHashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Why one query got no answer. The engine knows nothing of HTTP;
/// `crate::error` maps these to statuses.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query is wrong; `code` is stable, `message` says what and where.
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    #[error("no series with key `{0}`")]
    SeriesNotFound(String),
    /// The request would cost more than its budget; `asked` counts what
    /// it had cost so far with the step that was refused.
    #[error("{}", over_budget(*over, *asked, *limit))]
    OverBudget { over: Over, asked: u64, limit: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn over_budget(over: Over, asked: u64, limit: u64) -> String {
    match over {
        Over::Points => format!(
            "the answers would hold {asked} points, more than the {limit} one request may return; ask for fewer points or fewer queries"
        ),
        Over::Rows => format!(
            "the request would read at least {asked} stored points or buckets, more than the {limit} one request may read; use a shorter window or a coarser resolution"
        ),
    }
}

impl QueryError {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        QueryError::Invalid {
            code,
            message: message.into(),
        }
    }

    /// The same refusal for a repeat of the query (a store failure as its
    /// message: the cause itself is not shared).
    fn same_again(&self) -> QueryError {
        match self {
            QueryError::Invalid { code, message } => QueryError::invalid(code, message.clone()),
            QueryError::SeriesNotFound(key) => QueryError::SeriesNotFound(key.clone()),
            &QueryError::OverBudget { over, asked, limit } => QueryError::OverBudget { over, asked, limit },
            QueryError::Store(e) => QueryError::Store(StoreError::Failed(e.to_string())),
        }
    }
}

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
        hash_points(&r.points, &r.stats, &mut h);
        (r.matched, r.more).hash(&mut h);
        for line in &r.lines {
            (&line.series, &line.labels, line.series_count, &line.unit).hash(&mut h);
            hash_points(&line.points, &line.stats, &mut h);
        }
        Answer {
            etag: h.finish(),
            result,
        }
    }
}

fn hash_points(points: &[(i64, f64)], s: &app::model::Stats, h: &mut impl Hasher) {
    for &(t, v) in points {
        (t, v.to_bits()).hash(h);
    }
    (s.count, [s.min, s.max, s.avg, s.last].map(|x| x.map(f64::to_bits))).hash(h);
}

/// Points in an answer, its lines' included.
pub fn points_in(r: &QueryResult) -> u64 {
    (r.points.len() + r.lines.iter().map(|l| l.points.len()).sum::<usize>()) as u64
}

/// The most points the answer to `w` holds, when known before reading.
fn promised_for(w: &ResolvedQuery) -> Option<u64> {
    budget::promised(w.points, w.agg, w.selection.as_ref().map_or(1, |s| s.lines))
}

/// One query's outcome: its answer and whether the cache had it.
pub struct Served {
    pub answer: Arc<Answer>,
    pub cached: bool,
}

/// A computed miss: its slot, its query with the answer or the error, and
/// the series a query by selector matched.
type Computed = (
    usize,
    (Result<(ResolvedQuery, QueryResult), QueryError>, Option<Members>),
);

/// The series a query by selector matched, in key order.
type Members = Arc<Vec<SelectedSeries>>;

/// Runs queries through the cache and the store; cheap to clone, shared
/// by the REST handlers and (through `site::SiteBackend`) the server
/// functions.
#[derive(Clone)]
pub struct QueryService {
    store: Store,
    cache: QueryCache,
    slow: SlowLog,
    budget: QueryBudget,
}

impl QueryService {
    /// The service, with `cache` told of every write `store` acknowledges
    /// and each request held to `budget`.
    pub fn new(store: Store, cache: QueryCache, budget: QueryBudget) -> Self {
        store.observe(Arc::new(cache.clone()));
        QueryService {
            store,
            cache,
            slow: SlowLog::default(),
            budget,
        }
    }

    pub fn cache(&self) -> &QueryCache {
        &self.cache
    }

    /// Answers `queries` in order: from the cache where it can, the rest
    /// on one reader connection, each distinct query once (a batch that
    /// repeats a query costs one computation), within the request's
    /// budget. The outer error sank the whole batch (a store failure, or
    /// the budget: then nothing is answered); inner ones are per query.
    pub async fn run_batch(&self, queries: &[QueryRequest]) -> Result<Vec<Result<Served, QueryError>>, QueryError> {
        let now = clock::now_ms();
        let read_at = self.cache.epoch();
        let mut slots: Vec<Option<Result<Served, QueryError>>> = Vec::with_capacity(queries.len());
        let mut misses: Vec<(usize, ResolvedQuery, Option<Members>)> = Vec::new();
        let mut first_asked: FxHashMap<ResolvedQuery, usize> = FxHashMap::default();
        let mut repeats: Vec<(usize, usize)> = Vec::new();
        let mut promised = 0u64;
        for (i, q) in queries.iter().enumerate() {
            let resolved = match ResolvedQuery::resolve(q, now) {
                Ok(window) => self.with_members(window).await,
                Err(e) => Err(e),
            };
            slots.push(match resolved {
                Err(e) => Some(Err(e)),
                Ok((window, members)) => match self.cache.get(&window) {
                    Some(answer) => {
                        promised += points_in(&answer.result);
                        Some(Ok(Served { answer, cached: true }))
                    }
                    None => {
                        promised += promised_for(&window).unwrap_or(0);
                        match first_asked.get(&window) {
                            Some(&first) => repeats.push((i, first)),
                            None => {
                                first_asked.insert(window.clone(), i);
                                misses.push((i, window, members));
                            }
                        }
                        None
                    }
                },
            });
        }
        budget::check_points(promised, &self.budget)?;
        let computed = if misses.is_empty() {
            Vec::new()
        } else {
            self.read_misses(misses, promised).await?
        };
        if let Some((_, (Err(over @ QueryError::OverBudget { .. }), _))) =
            computed.iter().find(|(_, (c, _))| c.is_err())
        {
            return Err(over.same_again());
        }
        for (i, outcome, members) in computed.into_iter().map(|(i, (o, m))| (i, o, m)) {
            slots[i] = Some(outcome.map(|(window, result)| {
                let answer = Arc::new(Answer::new(result));
                let keys: Vec<SeriesHash> = match &members {
                    Some(m) => m.iter().map(|s| SeriesHash::of(&s.key)).collect(),
                    None => vec![SeriesHash::of(&window.series)],
                };
                self.cache.insert(window, answer.clone(), read_at, keys);
                Served { answer, cached: false }
            }));
        }
        for (i, first) in repeats {
            slots[i] = slots[first].as_ref().map(|outcome| match outcome {
                Ok(served) => Ok(Served {
                    answer: served.answer.clone(),
                    cached: false,
                }),
                Err(e) => Err(e.same_again()),
            });
        }
        let answered: u64 = slots
            .iter()
            .flatten()
            .flatten()
            .map(|s| points_in(&s.answer.result))
            .sum();
        budget::check_points(answered, &self.budget)?;
        Ok(slots
            .into_iter()
            .map(|slot| slot.unwrap_or_else(|| Err(StoreError::Failed("a query got no answer".into()).into())))
            .collect())
    }

    /// A query by selector with the series it matches now (their keys are
    /// part of its cache key); any other query as it is.
    async fn with_members(&self, window: ResolvedQuery) -> Result<(ResolvedQuery, Option<Members>), QueryError> {
        let Some(selection) = window.selection.clone() else {
            return Ok((window, None));
        };
        let compiled = CompiledSelector::new(&selection.selector).map_err(StoreError::from)?;
        let members = self.store.select_series(compiled, self.budget.series).await?;
        let keys: Vec<String> = members.iter().map(|m| m.key.clone()).collect();
        let window = ResolvedQuery {
            selection: Some(Arc::new(selection.with_members(&keys))),
            ..window
        };
        Ok((window, Some(Arc::new(members))))
    }

    /// Computes the answers the cache lacked, on one reader connection.
    async fn read_misses(
        &self,
        misses: Vec<(usize, ResolvedQuery, Option<Members>)>,
        promised: u64,
    ) -> Result<Vec<Computed>, StoreError> {
        let series: Vec<Arc<str>> = misses
            .iter()
            .flat_map(|(_, w, members)| match members {
                Some(m) => m.iter().map(|s| Arc::from(s.key.as_str())).collect::<Vec<_>>(),
                None => vec![w.series.clone()],
            })
            .collect();
        let keys: Vec<&str> = series.iter().map(|s| &**s).collect();
        let slow = self.slow.clone();
        let mut spending = Spending::new(self.budget, promised);
        self.store
            .read_series(&keys, move |reader| {
                let mut computed = Vec::with_capacity(misses.len());
                for (i, w, members) in misses {
                    let started = std::time::Instant::now();
                    let outcome = match (&w.selection, &members) {
                        (Some(sel), Some(m)) => selection::compute_selection(reader, &w, sel, m, &mut spending),
                        _ => compute::compute(reader, &w, &mut spending),
                    }
                    .and_then(|r| {
                        if promised_for(&w).is_none() {
                            spending.answer(points_in(&r))?;
                        }
                        Ok(r)
                    });
                    match &outcome {
                        Ok(r) => slow.record(slow_query(&w, r, started.elapsed())),
                        // The request is refused whole: read no further.
                        Err(QueryError::OverBudget { .. }) => {
                            computed.push((i, (outcome.map(|r| (w, r)), members)));
                            break;
                        }
                        Err(_) => {}
                    }
                    computed.push((i, (outcome.map(|r| (w, r)), members)));
                }
                Ok(computed)
            })
            .await
    }

    /// Answers one query.
    pub async fn run(&self, query: QueryRequest) -> Result<Served, QueryError> {
        let mut results = self.run_batch(std::slice::from_ref(&query)).await?;
        results
            .pop()
            .unwrap_or_else(|| Err(StoreError::Failed("a query got no answer".into()).into()))
    }

    /// The slowest answers computed in the last minutes, slowest first.
    pub fn slow_queries(&self) -> Vec<SlowQuery> {
        self.slow.slowest(clock::now_ms())
    }
}

fn slow_query(w: &ResolvedQuery, r: &QueryResult, took: std::time::Duration) -> SlowQuery {
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
