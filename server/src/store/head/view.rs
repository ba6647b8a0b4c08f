//! What one reader sees of the head, and how head points extend what the
//! chunks and rollups answer.

use super::HeadPoints;
use app::domain::{bucket_start, Summary};
use rustc_hash::FxHashMap;

/// The heads of some series as they were when a reader began, taken before
/// its SQL snapshot (see the module `head`).
#[derive(Debug, Default)]
pub struct HeadView {
    series: FxHashMap<i64, HeadPoints>,
}

impl HeadView {
    pub(super) fn new(series: FxHashMap<i64, HeadPoints>) -> HeadView {
        HeadView { series }
    }

    /// The head points of `series` that its stored points, ending at
    /// `stored_last` in the reader's snapshot, do not hold yet.
    pub fn fresh(&self, series: i64, stored_last: Option<i64>) -> &[(i64, f64)] {
        let Some(points) = self.series.get(&series) else {
            return &[];
        };
        let start = stored_last.map_or(0, |last| points.partition_point(|p| p.0 <= last));
        &points[start..]
    }

    /// Whether `series` has head points in this view.
    pub fn holds(&self, series: i64) -> bool {
        self.series.contains_key(&series)
    }
}

/// The points of time-ordered `points` inside `[from, to]`.
pub fn within(points: &[(i64, f64)], from: i64, to: i64) -> &[(i64, f64)] {
    let lo = points.partition_point(|p| p.0 < from);
    let hi = points.partition_point(|p| p.0 <= to);
    &points[lo..hi.max(lo)]
}

/// Extends `rows`, a tier's buckets of `width` starting in `[from, to]`
/// in time order, with `fresh`, points newer than every point the rows
/// summarise: the bucket they share with the last row is combined with
/// it, the others are added.
pub fn extend_buckets(rows: &mut Vec<Summary>, fresh: &[(i64, f64)], width: i64, from: i64, to: i64) {
    let mut rest = fresh;
    while let Some(&(t, _)) = rest.first() {
        let start = bucket_start(t, width);
        let split = rest.partition_point(|p| p.0 < start + width);
        let (bucket, later) = rest.split_at(split);
        rest = later;
        if start < from || start > to {
            continue;
        }
        let Some(mut summary) = Summary::of(bucket) else {
            continue;
        };
        summary.start = start;
        summary.end = start + width;
        match rows.last_mut() {
            Some(last) if last.start == start => *last = last.then(&summary),
            _ => rows.push(summary),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::MINUTE_MS;

    fn bucket(start: i64, points: &[(i64, f64)]) -> Summary {
        let mut s = Summary::of(points).unwrap();
        s.start = start;
        s.end = start + MINUTE_MS;
        s
    }

    #[test]
    fn fresh_points_are_those_after_the_stored_last_time() {
        let view = HeadView::new(
            [(7, HeadPoints::new(vec![(10, 1.0), (20, 2.0), (30, 3.0)]))]
                .into_iter()
                .collect(),
        );
        assert_eq!(view.fresh(7, None).len(), 3);
        assert_eq!(
            view.fresh(7, Some(20)),
            &[(30, 3.0)],
            "flushed already in this snapshot"
        );
        assert_eq!(view.fresh(7, Some(5)).len(), 3);
        assert!(view.fresh(8, None).is_empty());
    }

    #[test]
    fn within_keeps_both_edges() {
        let points = [(1, 1.0), (2, 2.0), (3, 3.0), (4, 4.0)];
        assert_eq!(within(&points, 2, 3), &[(2, 2.0), (3, 3.0)]);
        assert!(within(&points, 5, 9).is_empty());
        assert!(within(&points, 3, 2).is_empty());
    }

    #[test]
    fn head_points_combine_with_the_last_stored_bucket_and_add_new_ones() {
        let stored = [(1_000, 5.0), (2_000, 1.0)];
        let fresh = [(3_000, 9.0), (61_000, 2.0), (62_000, 4.0), (200_000, 7.0)];
        let mut rows = vec![bucket(0, &stored)];
        extend_buckets(&mut rows, &fresh, MINUTE_MS, 0, 120_000);
        let all: Vec<(i64, f64)> = stored.iter().chain(&fresh[..1]).copied().collect();
        assert_eq!(rows[0], bucket(0, &all), "the shared minute is exact");
        assert_eq!(rows[1], bucket(60_000, &fresh[1..3]));
        assert_eq!(rows.len(), 2, "the bucket starting after `to` is left out");
    }

    #[test]
    fn buckets_before_the_window_are_left_out() {
        let mut rows = Vec::new();
        extend_buckets(&mut rows, &[(1_000, 1.0), (70_000, 2.0)], MINUTE_MS, 60_000, 120_000);
        assert_eq!(rows, vec![bucket(60_000, &[(70_000, 2.0)])]);
    }
}
