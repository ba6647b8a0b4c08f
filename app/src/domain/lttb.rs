//! Largest-Triangle-Three-Buckets downsampling, exactly as Steinarsson's
//! reference code (thesis 2013, flot-downsample) selects points.
//!
//! With `n` points and threshold `k` (3 <= k < n): `every = (n-2)/(k-2)`;
//! bucket `i` (0-based, `i < k-2`) is `[floor(i*every)+1, floor((i+1)*every)+1)`;
//! the third vertex is the plain mean of x and y over the next bucket
//! (clamped to `n`, so the last bucket looks at the last point); the first
//! index with the strictly largest triangle area wins. The first and last
//! points are always kept.

use thiserror::Error;

/// A sample on a plane: `x` is time (any unit), `y` the value.
pub trait XY {
    fn x(&self) -> f64;
    fn y(&self) -> f64;
}

impl XY for (i64, f64) {
    fn x(&self) -> f64 {
        self.0 as f64
    }
    fn y(&self) -> f64 {
        self.1
    }
}

impl XY for (f64, f64) {
    fn x(&self) -> f64 {
        self.0
    }
    fn y(&self) -> f64 {
        self.1
    }
}

impl XY for [f64; 2] {
    fn x(&self) -> f64 {
        self[0]
    }
    fn y(&self) -> f64 {
        self[1]
    }
}

/// LTTB needs room for at least the first and the last point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("points must be at least 2 to downsample (got {0})")]
pub struct ThresholdTooSmall(pub usize);

/// Selects at most `threshold` of `data` and calls `keep` with each chosen
/// index, in increasing order, without allocating.
///
/// `data` must be sorted by x; unsorted input still yields `threshold`
/// indices but they mean nothing. A NaN y is never preferred over a real
/// one (its area compares false). `threshold >= data.len()` keeps every
/// point; `threshold == 2` keeps the first and the last.
pub fn lttb_select<P: XY>(data: &[P], threshold: usize, mut keep: impl FnMut(usize)) -> Result<(), ThresholdTooSmall> {
    if threshold < 2 {
        return Err(ThresholdTooSmall(threshold));
    }
    let n = data.len();
    if threshold >= n {
        (0..n).for_each(keep);
        return Ok(());
    }
    keep(0);
    let every = (n - 2) as f64 / (threshold - 2).max(1) as f64;
    let buckets = threshold - 2;
    // The third vertex of bucket i is the mean of bucket i + 1 (the last
    // point for the last bucket).
    let next_bucket = |i: usize| bucket_edge(i + 1, every)..bucket_edge(i + 2, every).min(n);
    let mut a = 0;
    let mut third = mean(&data[next_bucket(0)]);
    for i in 0..buckets {
        let bucket = &data[bucket_edge(i, every)..bucket_edge(i + 1, every)];
        let after_next: &[P] = if i + 1 < buckets {
            &data[next_bucket(i + 1)]
        } else {
            &[]
        };
        let (chosen, next_third) = largest_triangle_and_mean(bucket, (data[a].x(), data[a].y()), third, after_next);
        a = bucket_edge(i, every) + chosen;
        keep(a);
        third = next_third;
    }
    keep(n - 1);
    Ok(())
}

/// Index in `bucket` of the first point with the strictly largest area of
/// the triangle it makes with vertices `a` and `c` (0 when every area is
/// NaN), and the mean of `ahead` (the third vertex two buckets on).
///
/// One loop does both: the mean is a chain of dependent additions (kept in
/// order, as the reference sums) and the areas are independent of it, so
/// the processor overlaps the two.
fn largest_triangle_and_mean<P: XY>(
    bucket: &[P],
    (ax, ay): (f64, f64),
    (cx, cy): (f64, f64),
    ahead: &[P],
) -> (usize, (f64, f64)) {
    let area = |p: &P| ((ax - cx) * (p.y() - ay) - (ax - p.x()) * (cy - ay)).abs() * 0.5;
    let (mut best, mut chosen) = (-1.0, 0);
    let (mut sx, mut sy) = (0.0, 0.0);
    let both = bucket.len().min(ahead.len());
    for (j, (p, q)) in bucket[..both].iter().zip(&ahead[..both]).enumerate() {
        let x = area(p);
        if x > best {
            best = x;
            chosen = j;
        }
        sx += q.x();
        sy += q.y();
    }
    for (j, p) in bucket.iter().enumerate().skip(both) {
        let x = area(p);
        if x > best {
            best = x;
            chosen = j;
        }
    }
    for q in &ahead[both..] {
        sx += q.x();
        sy += q.y();
    }
    let len = ahead.len() as f64;
    (chosen, (sx / len, sy / len))
}

/// [`lttb_select`] collecting the chosen points.
pub fn downsample_lttb<P: XY + Copy>(data: &[P], threshold: usize) -> Result<Vec<P>, ThresholdTooSmall> {
    let mut out = Vec::with_capacity(threshold.min(data.len()));
    lttb_select(data, threshold, |i| out.push(data[i]))?;
    Ok(out)
}

/// Start index of bucket `i`; the +1 skips the always-kept first point.
fn bucket_edge(i: usize, every: f64) -> usize {
    (i as f64 * every).floor() as usize + 1
}

fn mean<P: XY>(points: &[P]) -> (f64, f64) {
    let (sx, sy) = points.iter().fold((0.0, 0.0), |(sx, sy), p| (sx + p.x(), sy + p.y()));
    let len = points.len() as f64;
    (sx / len, sy / len)
}

#[cfg(test)]
#[path = "lttb_tests.rs"]
mod tests;
