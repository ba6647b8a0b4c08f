//! Answers from a rollup tier: each bucket row stands for its points by
//! its summary. Extremes keep their bucket (a minute or an hour), so a
//! spike shows at the right place at any zoom level.

use app::domain::{downsample_lttb, grid_for, mean_grid, minmax_into, Summary, ThresholdTooSmall};
use app::model::Stats;

/// The stats of time-ordered buckets or runs of points.
pub fn stats(rows: &[Summary]) -> Stats {
    rows.iter()
        .copied()
        .reduce(|a, b| a.then(&b))
        .map_or_else(Stats::default, |whole| whole.stats())
}

/// Each bucket's mean, at the middle of the bucket.
pub fn means(rows: &[Summary]) -> Vec<(i64, f64)> {
    rows.iter()
        .filter(|r| r.count > 0)
        .map(|r| (r.start + (r.end - r.start) / 2, r.sum / r.count as f64))
        .collect()
}

/// Each bucket's lowest and highest value, in the order the bucket's first
/// and last values suggest (falling buckets peak first), at a quarter and
/// three quarters of the bucket; then min-max buckets of the time grid
/// when that is still more than `target` points.
pub fn extremes(rows: &[Summary], from: i64, to: i64, target: usize) -> Vec<(i64, f64)> {
    let mut points = Vec::with_capacity(rows.len() * 2);
    for r in rows.iter().filter(|r| r.count > 0) {
        let width = r.end - r.start;
        let (early, late) = (r.start + width / 4, r.start + width * 3 / 4);
        if r.min == r.max {
            points.push((r.start + width / 2, r.min));
        } else if r.first > r.last {
            points.extend([(early, r.max), (late, r.min)]);
        } else {
            points.extend([(early, r.min), (late, r.max)]);
        }
    }
    if points.len() <= target {
        return points;
    }
    let unit = rows.first().map_or(1, |r| r.end - r.start);
    let mut out = Vec::with_capacity(target);
    minmax_into(&points, grid_for(from, to, target, unit), &mut out);
    out
}

/// Means over grid buckets of a multiple of the tier's width, at each
/// grid bucket's start: every point weighs the same, however the points
/// spread over the rollup buckets.
pub fn grid_means(rows: &[Summary], from: i64, to: i64, target: usize) -> Vec<(i64, f64)> {
    let unit = rows.first().map_or(1, |r| r.end - r.start);
    let width = mean_grid(from, to, target, unit);
    let mut out: Vec<(i64, f64)> = Vec::with_capacity(target.min(rows.len()));
    let mut current: Option<(i64, f64, u64)> = None;
    for r in rows.iter().filter(|r| r.count > 0) {
        let start = r.start.div_euclid(width) * width;
        match &mut current {
            Some((s, sum, count)) if *s == start => {
                *sum += r.sum;
                *count += r.count;
            }
            _ => {
                out.extend(current.map(|(s, sum, count)| (s, sum / count as f64)));
                current = Some((start, r.sum, r.count));
            }
        }
    }
    out.extend(current.map(|(s, sum, count)| (s, sum / count as f64)));
    out
}

/// LTTB over the bucket means.
pub fn lttb(rows: &[Summary], target: usize) -> Result<Vec<(i64, f64)>, ThresholdTooSmall> {
    downsample_lttb(&means(rows), target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(start: i64, min: f64, max: f64, first: f64, last: f64) -> Summary {
        Summary {
            start,
            end: start + 60,
            count: 2,
            min,
            max,
            sum: min + max,
            first,
            last,
        }
    }

    #[test]
    fn extremes_keep_every_bucket_peak_in_order() {
        let rows = [
            bucket(0, 1.0, 5.0, 1.0, 5.0),
            bucket(60, 0.0, 9.0, 9.0, 0.0),
            bucket(120, 2.0, 2.0, 2.0, 2.0),
        ];
        assert_eq!(
            extremes(&rows, 0, 179, 10),
            [(15, 1.0), (45, 5.0), (75, 9.0), (105, 0.0), (150, 2.0)]
        );
        let many: Vec<Summary> = (0..1_000)
            .map(|i| bucket(i * 60, 0.0, if i == 777 { 99.0 } else { 1.0 }, 0.0, 1.0))
            .collect();
        let out = extremes(&many, 0, 60_000, 100);
        assert!(out.len() <= 100);
        assert!(out.iter().any(|p| p.1 == 99.0), "the peak survives re-bucketing");
    }

    #[test]
    fn stats_and_means_from_buckets() {
        let rows = [bucket(0, 1.0, 5.0, 1.0, 5.0), bucket(60, 0.0, 9.0, 9.0, 0.0)];
        let s = stats(&rows);
        assert_eq!(
            (s.count, s.min, s.max, s.avg, s.last),
            (4, Some(0.0), Some(9.0), Some(3.75), Some(0.0))
        );
        assert_eq!(means(&rows), [(30, 3.0), (90, 4.5)]);
        assert_eq!(
            grid_means(&rows, 0, 119, 2),
            [(0, 3.75)],
            "one grid bucket, weighted by count"
        );
        assert_eq!(grid_means(&rows, 0, 119, 10), [(0, 3.0), (60, 4.5)]);
        assert_eq!(stats(&[]), Stats::default());
    }
}
