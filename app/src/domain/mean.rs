//! Mean downsampling on a fixed time grid (what InfluxDB's
//! `GROUP BY time(..)` with `mean()` and Grafana's "avg" give): one point
//! per non-empty bucket, the mean of its values at the bucket's start.
//! Smooth, but it flattens spikes: the dashboard uses min-max instead.

use super::minmax::grid_width;

/// Appends to `out` the mean of every `width`-wide grid bucket of
/// time-ordered `points`, at the bucket's start. Empty buckets add nothing.
pub fn mean_into(points: &[(i64, f64)], width: i64, out: &mut Vec<(i64, f64)>) {
    let width = width.max(1);
    let mut rest = points;
    while let Some(&(t, _)) = rest.first() {
        let start = t.div_euclid(width).saturating_mul(width);
        let split = rest.partition_point(|p| p.0 < start.saturating_add(width));
        let sum: f64 = rest[..split].iter().map(|p| p.1).sum();
        out.push((start, sum / split as f64));
        rest = &rest[split..];
    }
}

/// At most `target` points (1 or more) over `[from, to]`: bucket means on
/// the grid (the first at `from` when its bucket starts earlier), or the
/// points themselves when there are no more than `target`.
pub fn downsample_mean(points: &[(i64, f64)], from: i64, to: i64, target: usize) -> Vec<(i64, f64)> {
    if points.len() <= target {
        return points.to_vec();
    }
    let mut out = Vec::with_capacity(target);
    mean_into(points, mean_grid(from, to, target, 1), &mut out);
    if let Some(first) = out.first_mut() {
        first.0 = first.0.max(from);
    }
    out
}

/// The bucket width, a multiple of `unit`, that keeps the means of
/// `[from, to]` within `target` points (a window off the grid meets one
/// bucket more than it spans).
pub fn mean_grid(from: i64, to: i64, target: usize, unit: i64) -> i64 {
    grid_width(from, to, target.saturating_sub(1).max(1), unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_per_bucket_at_its_start() {
        let points = [(0, 1.0), (5, 3.0), (10, 10.0), (35, 4.0), (39, 6.0)];
        let mut out = Vec::new();
        mean_into(&points, 10, &mut out);
        assert_eq!(
            out,
            [(0, 2.0), (10, 10.0), (30, 5.0)],
            "the empty bucket 20 stays a gap"
        );
    }

    #[test]
    fn never_more_than_asked_for_and_small_inputs_pass_through() {
        let points: Vec<(i64, f64)> = (0..10_000).map(|i| (i * 3 + 7, (i % 13) as f64)).collect();
        for target in [1, 2, 3, 10, 999, 1_000] {
            let out = downsample_mean(&points, 0, 40_000, target);
            assert!(out.len() <= target, "{target}: {}", out.len());
        }
        assert_eq!(downsample_mean(&points[..5], 0, 100, 5), points[..5]);
        assert!(downsample_mean(&[], 0, 100, 5).is_empty());
    }

    #[test]
    fn the_mean_of_everything_is_kept() {
        let points: Vec<(i64, f64)> = (0..1_000).map(|i| (i, i as f64)).collect();
        let mut out = Vec::new();
        mean_into(&points, 100, &mut out);
        assert_eq!(out.len(), 10);
        let total: f64 = out.iter().map(|p| p.1).sum::<f64>() / out.len() as f64;
        assert!(
            (total - 499.5).abs() < 1e-9,
            "equal buckets average to the overall mean"
        );
    }
}
