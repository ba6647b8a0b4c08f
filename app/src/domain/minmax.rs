//! Min-max downsampling on a fixed time grid: each bucket keeps its lowest
//! and its highest point, in time order, so no spike or dip is ever lost,
//! and a bucket with no points stays empty, so gaps stay gaps. Bucket
//! edges are multiples of the width from the epoch: successive polls of a
//! sliding window share every bucket but the newest ones.

/// The bucket width for about `buckets` buckets over `[from, to]`: the
/// span divided by the count, rounded up to a multiple of `unit` (so
/// buckets line up with a rollup tier's rows; 1 for raw points).
pub fn grid_width(from: i64, to: i64, buckets: usize, unit: i64) -> i64 {
    let unit = unit.max(1);
    let span = to.saturating_sub(from).saturating_add(1).max(1) as u64;
    let raw = span.div_ceil(buckets.max(1) as u64).max(1);
    i64::try_from(raw.div_ceil(unit as u64).saturating_mul(unit as u64)).unwrap_or(i64::MAX)
}

/// Appends to `out` the lowest and the highest point of every `width`-wide
/// grid bucket of time-ordered `points` (once when they are the same
/// point). At most two points per bucket; NaN values never win.
pub fn minmax_into(points: &[(i64, f64)], width: i64, out: &mut Vec<(i64, f64)>) {
    let width = width.max(1);
    let mut rest = points;
    while let Some(&(t, _)) = rest.first() {
        let end = t.div_euclid(width).saturating_add(1).saturating_mul(width);
        let split = rest.partition_point(|p| p.0 < end);
        let bucket = &rest[..split];
        let (mut lo, mut hi) = (0, 0);
        for (i, p) in bucket.iter().enumerate() {
            if p.1 < bucket[lo].1 || bucket[lo].1.is_nan() {
                lo = i;
            }
            if p.1 > bucket[hi].1 || bucket[hi].1.is_nan() {
                hi = i;
            }
        }
        let (a, b) = (lo.min(hi), lo.max(hi));
        out.push(bucket[a]);
        if b != a {
            out.push(bucket[b]);
        }
        rest = &rest[split..];
    }
}

/// How many grid buckets of `unit`-multiple width keep a min-max answer
/// over `[from, to]` within `target` points (a window off the grid meets
/// one bucket more than it spans), and their width. Below 4 points, one
/// bucket as wide as the whole time range.
pub fn grid_for(from: i64, to: i64, target: usize, unit: i64) -> i64 {
    if target < 4 {
        return i64::MAX / 2;
    }
    grid_width(from, to, target / 2 - 1, unit)
}

/// At most `target` points (2 or more) over the window `[from, to]`: the
/// lowest and highest point of each grid bucket, or all points when there
/// are no more than `target`.
pub fn downsample_minmax(points: &[(i64, f64)], from: i64, to: i64, target: usize) -> Vec<(i64, f64)> {
    if points.len() <= target {
        return points.to_vec();
    }
    let mut out = Vec::with_capacity(target);
    minmax_into(points, grid_for(from, to, target, 1), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sample_spike_and_dip_survive_a_month_at_1hz() {
        let n = 30 * 86_400;
        let mut points: Vec<(i64, f64)> = (0..n).map(|s| (s * 1_000, 20.0 + (s % 60) as f64 / 100.0)).collect();
        points[1_234_567].1 = 500.0;
        points[2_000_001].1 = -300.0;
        let out = downsample_minmax(&points, 0, (n - 1) * 1_000, 1_000);
        assert!(out.len() <= 1_000 && out.len() >= 990, "{}", out.len());
        assert!(out.contains(&(1_234_567_000, 500.0)));
        assert!(out.contains(&(2_000_001_000, -300.0)));
        assert!(out.windows(2).all(|w| w[0].0 < w[1].0), "time order");
    }

    #[test]
    fn empty_buckets_stay_empty() {
        let mut points: Vec<(i64, f64)> = (0..100).map(|s| (s * 10, s as f64)).collect();
        points.extend((300..400).map(|s| (s * 10, s as f64)));
        let mut out = Vec::new();
        minmax_into(&points, 100, &mut out);
        assert!(
            !out.iter().any(|p| (1_000..3_000).contains(&p.0)),
            "no point inside the gap"
        );
        assert_eq!(out.len(), 40);
    }

    #[test]
    fn buckets_sit_on_the_epoch_grid() {
        assert_eq!(grid_width(0, 999, 10, 1), 100);
        assert_eq!(grid_width(0, 1_000, 10, 1), 101);
        assert_eq!(grid_width(0, 86_400_000, 100, 60_000), 900_000);
        assert_eq!(grid_width(5, 5, 0, 0), 1);
        // Shifting the window by less than a bucket keeps the old buckets.
        let points: Vec<(i64, f64)> = (0..1_000).map(|s| (s * 10, ((s * 37) % 101) as f64)).collect();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        minmax_into(&points[..900], 100, &mut a);
        minmax_into(&points[5..], 100, &mut b);
        let whole_buckets = |v: &[(i64, f64)]| {
            v.iter()
                .filter(|p| (100..9_000).contains(&p.0))
                .copied()
                .collect::<Vec<_>>()
        };
        assert_eq!(whole_buckets(&a), whole_buckets(&b));
    }

    #[test]
    fn never_more_than_asked_for() {
        let points: Vec<(i64, f64)> = (0..5_000).map(|s| (s * 7 + 3, ((s * 31) % 17) as f64)).collect();
        for target in [2, 3, 4, 5, 10, 11, 100, 999] {
            for (from, to) in [(0, 35_000), (3, 35_002), (-500, 40_000)] {
                let out = downsample_minmax(&points, from, to, target);
                assert!(out.len() <= target, "{target} from {from}: {}", out.len());
                assert!(out.len() >= target.min(2));
            }
        }
    }

    #[test]
    fn edge_cases() {
        assert!(downsample_minmax(&[], 0, 10, 10).is_empty());
        let few = [(1, 1.0), (2, 2.0)];
        assert_eq!(downsample_minmax(&few, 0, 10, 10), few);
        let mut out = Vec::new();
        minmax_into(&[(5, f64::NAN), (6, 1.0), (7, 3.0)], 100, &mut out);
        assert_eq!(out, [(6, 1.0), (7, 3.0)]);
        out.clear();
        minmax_into(&[(5, 2.0)], 100, &mut out);
        assert_eq!(out, [(5, 2.0)], "one point, kept once");
    }
}
