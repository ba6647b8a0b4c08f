//! A query normalised: its window resolved to epoch milliseconds, checked,
//! and, when it is relative to now, moved onto a grid so that polls of a
//! sliding window within one step ask the same question (and can share a
//! cached answer and an ETag).

use super::selection::Selection;
use super::QueryError;
use app::domain::{grid_width, TimeSpec};
use app::model::{Agg, QueryRequest, Resolution, Transform};
use std::sync::Arc;

/// Largest `points` a query may ask for, and largest raw answer.
pub const MAX_POINTS: usize = 100_000;

/// Shortest step a relative window moves by.
const MIN_STEP_MS: i64 = 1_000;

/// The normalised query: what the engine answers and the cache's key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResolvedQuery {
    pub series: Arc<str>,
    /// Inclusive bounds, epoch milliseconds.
    pub from: i64,
    pub to: i64,
    pub points: usize,
    pub agg: Agg,
    pub resolution: Resolution,
    /// Computed from each line's stored values before they are reduced.
    pub transform: Option<Transform>,
    /// For a query by selector (then `series` is the selector's text):
    /// what it selects and how it combines the series.
    pub selection: Option<Arc<Selection>>,
}

impl ResolvedQuery {
    /// Resolves `q` at `now`. Relative ends are resolved at `now` rounded
    /// up to the answer's bucket width (at least a second): the window
    /// keeps its span, reaches at most one bucket (about two pixels) past
    /// now, and stays the same until now crosses the next bucket edge.
    pub fn resolve(q: &QueryRequest, now: i64) -> Result<ResolvedQuery, QueryError> {
        if q.points > MAX_POINTS || (q.points < 2 && q.agg != Agg::Raw) {
            return Err(QueryError::invalid(
                "invalid_points",
                format!("points must be from 2 to {MAX_POINTS}, got {}", q.points),
            ));
        }
        let (from, to) = (q.from.resolve(now), q.to.resolve(now));
        if from > to {
            return Err(QueryError::invalid(
                "invalid_range",
                format!("from ({from}) is after to ({to})"),
            ));
        }
        let relative = |t: TimeSpec| matches!(t, TimeSpec::FromNow(_));
        let (from, to) = if relative(q.from) || relative(q.to) {
            let step = live_step(from, to, q.points);
            let now = now.div_euclid(step).saturating_add(1).saturating_mul(step);
            let checked = |t: TimeSpec| {
                t.resolve_checked(now)
                    .map_err(|e| QueryError::invalid("invalid_time", e.to_string()))
            };
            (checked(q.from)?, checked(q.to)?)
        } else {
            (from, to)
        };
        let selection = Selection::of(q)?.map(Arc::new);
        let series = match &selection {
            Some(s) => s.selector.to_string(),
            None => q.series.clone(),
        };
        Ok(ResolvedQuery {
            series: series.into(),
            from,
            to,
            points: q.points,
            agg: q.agg,
            resolution: q.resolution,
            transform: q.transform,
            selection,
        })
    }
}

/// About the width of the answer's buckets (a min-max bucket holds two
/// points), and never under a second.
fn live_step(from: i64, to: i64, points: usize) -> i64 {
    grid_width(from, to, (points / 2).max(2), 1).max(MIN_STEP_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: TimeSpec, to: TimeSpec, points: usize) -> QueryRequest {
        QueryRequest {
            series: "s".into(),
            from,
            to,
            points,
            agg: Agg::Auto,
            resolution: Resolution::Auto,
            ..Default::default()
        }
    }

    #[test]
    fn a_sliding_window_holds_still_within_a_step() {
        let day = 86_400_000;
        let q = query(TimeSpec::FromNow(-30 * day), TimeSpec::FromNow(0), 1_000);
        let now = 1_764_000_000_123;
        let a = ResolvedQuery::resolve(&q, now).unwrap();
        let step = live_step(0, 30 * day, 1_000);
        assert_eq!(a.to - a.from, 30 * day, "the span is kept");
        assert!(a.to >= now && a.to - now <= step, "at most one step past now");
        assert_eq!(a.to % step, 0);
        let later = ResolvedQuery::resolve(&q, a.to - 1).unwrap();
        assert_eq!(later, a, "same question until the next edge");
        let next = ResolvedQuery::resolve(&q, a.to + 1).unwrap();
        assert_eq!(next.to, a.to + step);
    }

    #[test]
    fn absolute_windows_are_left_alone_and_short_ones_step_by_a_second() {
        let q = query(TimeSpec::At(1_000), TimeSpec::At(5_000), 100);
        let w = ResolvedQuery::resolve(&q, 99_999).unwrap();
        assert_eq!((w.from, w.to), (1_000, 5_000));
        let q = query(TimeSpec::FromNow(-60_000), TimeSpec::FromNow(0), 1_000);
        let w = ResolvedQuery::resolve(&q, 1_795_428_010_500).unwrap();
        assert_eq!((w.from, w.to), (1_795_427_951_000, 1_795_428_011_000));
        let before_1970 = query(TimeSpec::FromNow(-60_000), TimeSpec::FromNow(0), 1_000);
        let refused = ResolvedQuery::resolve(&before_1970, 10_500).unwrap_err();
        assert!(refused.to_string().contains("1970"), "{refused}");
        let q = query(TimeSpec::At(0), TimeSpec::FromNow(0), 2);
        let w = ResolvedQuery::resolve(&q, 10_500).unwrap();
        assert_eq!((w.from, w.to), (0, 10_502), "two points: two steps per window");
    }

    #[test]
    fn bad_points_and_reversed_windows_are_refused() {
        let q = query(TimeSpec::At(0), TimeSpec::At(10), 1);
        assert!(ResolvedQuery::resolve(&q, 0).is_err());
        let q = query(TimeSpec::At(0), TimeSpec::At(10), MAX_POINTS + 1);
        assert!(ResolvedQuery::resolve(&q, 0).is_err());
        let q = query(TimeSpec::At(10), TimeSpec::At(0), 100);
        assert!(ResolvedQuery::resolve(&q, 0).is_err());
    }
}
