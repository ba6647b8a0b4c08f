//! Rollup math: the summary of a bucket of points (count, min, max, sum,
//! first, last) and the buckets a set of times falls into. A bucket's
//! summary is extended in place when new points fill a gap among its
//! stored ones, and recomputed from all its points when a write replaces
//! a stored point, so it stays exact after late, out-of-order and replaced
//! points.

use crate::model::Stats;

/// Width of the fine rollup tier.
pub const MINUTE_MS: i64 = 60_000;
/// Width of the coarse rollup tier, and of a chunk's window.
pub const HOUR_MS: i64 = 3_600_000;

/// The rollup tiers, finest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollupTier {
    Minute,
    Hour,
}

impl RollupTier {
    pub fn width_ms(self) -> i64 {
        match self {
            RollupTier::Minute => MINUTE_MS,
            RollupTier::Hour => HOUR_MS,
        }
    }
}

/// A bucket's or chunk's summary. `first`/`last` are the values at the
/// earliest and latest time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub start: i64,
    pub end: i64,
    pub count: u64,
    pub min: f64,
    pub max: f64,
    pub sum: f64,
    pub first: f64,
    pub last: f64,
}

impl Summary {
    /// Summary of time-ordered points; `None` when there are none.
    pub fn of(points: &[(i64, f64)]) -> Option<Summary> {
        let (&(start, first), &(end, last)) = (points.first()?, points.last()?);
        let mut s = Summary {
            start,
            end,
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            sum: 0.0,
            first,
            last,
        };
        for &(_, v) in points {
            s.count += 1;
            s.min = s.min.min(v);
            s.max = s.max.max(v);
            s.sum += v;
        }
        Some(s)
    }
}

impl Summary {
    /// The summary of this run of points followed by `later`, a run that
    /// starts after this one ends.
    pub fn then(&self, later: &Summary) -> Summary {
        Summary {
            start: self.start,
            end: later.end,
            count: self.count + later.count,
            min: self.min.min(later.min),
            max: self.max.max(later.max),
            sum: self.sum + later.sum,
            first: self.first,
            last: later.last,
        }
    }
}

impl Summary {
    /// The stats of the points this summary stands for.
    pub fn stats(&self) -> Stats {
        Stats {
            count: self.count,
            min: Some(self.min),
            max: Some(self.max),
            avg: (self.count > 0).then(|| self.sum / self.count as f64),
            last: Some(self.last),
        }
    }
}

/// Start of the `width`-wide bucket holding `t`, on a grid from the epoch.
pub fn bucket_start(t: i64, width: i64) -> i64 {
    t.div_euclid(width) * width
}

/// The distinct bucket starts of time-ordered `times`, in order.
pub fn touched_buckets(times: impl IntoIterator<Item = i64>, width: i64) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    for t in times {
        let b = bucket_start(t, width);
        if out.last() != Some(&b) {
            out.push(b);
        }
    }
    out.dedup();
    out
}

/// The points of time-ordered `points` inside `[start, start + width)`.
pub fn bucket_slice(points: &[(i64, f64)], start: i64, width: i64) -> &[(i64, f64)] {
    let lo = points.partition_point(|p| p.0 < start);
    let hi = points.partition_point(|p| p.0 < start + width);
    &points[lo..hi]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn summary_of_points() {
        let s = Summary::of(&[(10, 3.0), (20, -1.0), (30, 4.0)]).unwrap();
        assert_eq!(
            s,
            Summary {
                start: 10,
                end: 30,
                count: 3,
                min: -1.0,
                max: 4.0,
                sum: 6.0,
                first: 3.0,
                last: 4.0
            }
        );
        assert_eq!(Summary::of(&[]), None);
    }

    #[test]
    fn buckets_at_their_edges() {
        assert_eq!(bucket_start(59_999, 60_000), 0);
        assert_eq!(bucket_start(60_000, 60_000), 60_000);
        assert_eq!(bucket_start(-1, 60_000), -60_000);
        assert_eq!(
            touched_buckets([0, 59_999, 60_000, 180_000], 60_000),
            [0, 60_000, 180_000]
        );
        let points = [(0, 1.0), (59_999, 2.0), (60_000, 3.0)];
        assert_eq!(bucket_slice(&points, 0, 60_000), &points[..2]);
        assert_eq!(bucket_slice(&points, 60_000, 60_000), &points[2..]);
        assert!(bucket_slice(&points, 120_000, 60_000).is_empty());
    }

    proptest! {
        /// Summaries of buckets merge into the summary of the whole.
        #[test]
        fn bucket_summaries_combine_to_the_whole(values in prop::collection::vec(-1e6f64..1e6, 1..300)) {
            let points: Vec<(i64, f64)> = values.iter().enumerate().map(|(i, &v)| (i as i64 * 7_000, v)).collect();
            let whole = Summary::of(&points).unwrap();
            let parts: Vec<Summary> = touched_buckets(points.iter().map(|p| p.0), 60_000)
                .into_iter()
                .filter_map(|b| Summary::of(bucket_slice(&points, b, 60_000)))
                .collect();
            prop_assert_eq!(parts.iter().map(|s| s.count).sum::<u64>(), whole.count);
            prop_assert_eq!(parts.iter().map(|s| s.min).fold(f64::INFINITY, f64::min), whole.min);
            prop_assert_eq!(parts.iter().map(|s| s.max).fold(f64::NEG_INFINITY, f64::max), whole.max);
            prop_assert_eq!(parts[0].first, whole.first);
            prop_assert_eq!(parts[parts.len() - 1].last, whole.last);
            let sum: f64 = parts.iter().map(|s| s.sum).sum();
            prop_assert!((sum - whole.sum).abs() <= 1e-6 * whole.sum.abs().max(1.0));
            let chained = parts[1..].iter().fold(parts[0], |acc, s| acc.then(s));
            prop_assert_eq!((chained.start, chained.end, chained.count), (whole.start, whole.end, whole.count));
            prop_assert_eq!((chained.min, chained.max, chained.first, chained.last), (whole.min, whole.max, whole.first, whole.last));
        }
    }
}
