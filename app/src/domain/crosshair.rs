//! What the hover crosshair reads off a chart's points: the point nearest
//! in time to the cursor, and the extent of the grid bucket it falls in
//! (the min and max a downsampled answer kept for that bucket).

/// Index of the point of time-ordered `points` nearest in time to `t`
/// (the earlier on a tie); `None` for no points.
pub fn nearest_index(points: &[(i64, f64)], t: i64) -> Option<usize> {
    let after = points.partition_point(|p| p.0 < t);
    let before = after.checked_sub(1);
    match (before, points.get(after)) {
        (None, None) => None,
        (Some(b), None) => Some(b),
        (None, Some(_)) => Some(after),
        (Some(b), Some(a)) => Some(if t - points[b].0 <= a.0 - t { b } else { after }),
    }
}

/// The lowest and highest value among `points` in the `width`-wide grid
/// bucket (edges at multiples of `width` from the epoch, as the server's
/// min-max grid) that holds `t`; `None` when the bucket is empty.
pub fn bucket_extent(points: &[(i64, f64)], t: i64, width: i64) -> Option<(f64, f64)> {
    let width = width.max(1);
    let start = t.div_euclid(width).saturating_mul(width);
    let end = start.saturating_add(width);
    let lo = points.partition_point(|p| p.0 < start);
    let hi = points.partition_point(|p| p.0 < end);
    points[lo..hi]
        .iter()
        .map(|p| p.1)
        .filter(|v| !v.is_nan())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((a, b)) => Some((f64::min(a, v), f64::max(b, v))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PTS: [(i64, f64); 5] = [(0, 1.0), (10, 5.0), (20, -2.0), (30, 4.0), (40, 0.5)];

    #[test]
    fn nearest_point_at_edges_and_ties() {
        assert_eq!(nearest_index(&[], 5), None);
        assert_eq!(nearest_index(&PTS, -100), Some(0));
        assert_eq!(nearest_index(&PTS, 1_000), Some(4));
        assert_eq!(nearest_index(&PTS, 14), Some(1));
        assert_eq!(nearest_index(&PTS, 16), Some(2));
        assert_eq!(nearest_index(&PTS, 15), Some(1), "a tie takes the earlier point");
        assert_eq!(nearest_index(&PTS, 30), Some(3));
    }

    #[test]
    fn bucket_extent_covers_exactly_the_grid_bucket() {
        assert_eq!(bucket_extent(&PTS, 25, 20), Some((-2.0, 4.0)), "bucket [20, 40)");
        assert_eq!(bucket_extent(&PTS, 0, 20), Some((1.0, 5.0)));
        assert_eq!(bucket_extent(&PTS, 45, 20), Some((0.5, 0.5)));
        assert_eq!(bucket_extent(&PTS, 60, 20), None, "empty bucket: a gap");
        assert_eq!(
            bucket_extent(&[(-5, 3.0), (-1, 7.0)], -3, 10),
            Some((3.0, 7.0)),
            "before the epoch"
        );
        assert_eq!(bucket_extent(&[(1, f64::NAN), (2, 2.0)], 1, 10), Some((2.0, 2.0)));
    }
}
