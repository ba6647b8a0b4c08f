//! Missing data must look missing, and only missing data: a chart line is
//! broken where no data was stored, never where downsampling left two
//! neighbours far apart.
//!
//! An answer reduced on a time grid (min-max, means, rollup buckets) says
//! its bucket width: its line breaks where a whole bucket between two
//! points holds none. Min-max places two points in a bucket, wherever its
//! extremes fall, so distances between neighbours say nothing there.
//! Stored points (an unreduced answer, LTTB's choice) break where the time
//! between two neighbours is far above the series' usual spacing.

/// How many times the median spacing a step between stored points may be
/// before it is a gap.
const GAP_FACTOR: i64 = 3;

/// Splits time-ordered `points` into runs with no gap inside. With
/// `bucket` (the answer's grid width, see `QueryResult::bucket`), a gap is
/// one or more empty grid buckets between two points; without, a step
/// longer than [`GAP_FACTOR`] times the median step (series with fewer
/// than three points are then one run).
pub fn split_at_gaps(points: &[(i64, f64)], bucket: Option<i64>) -> Vec<&[(i64, f64)]> {
    let rule = match bucket.filter(|&b| b > 0) {
        Some(width) => Gap::EmptyBucket(width),
        None if points.len() < 3 => return if points.is_empty() { Vec::new() } else { vec![points] },
        None => Gap::LongStep(median_step(points).max(1).saturating_mul(GAP_FACTOR)),
    };
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..points.len() {
        if rule.between(points[i - 1].0, points[i].0) {
            runs.push(&points[start..i]);
            start = i;
        }
    }
    if !points.is_empty() {
        runs.push(&points[start..]);
    }
    runs
}

/// What separates two neighbours by a gap.
enum Gap {
    /// At least one whole grid bucket of this width between them.
    EmptyBucket(i64),
    /// More than this many milliseconds between them.
    LongStep(i64),
}

impl Gap {
    fn between(&self, a: i64, b: i64) -> bool {
        match *self {
            Gap::EmptyBucket(width) => b.div_euclid(width) - a.div_euclid(width) >= 2,
            Gap::LongStep(limit) => b - a > limit,
        }
    }
}

fn median_step(points: &[(i64, f64)]) -> i64 {
    let mut steps: Vec<i64> = points.windows(2).map(|w| w[1].0 - w[0].0).collect();
    let mid = steps.len() / 2;
    *steps.select_nth_unstable(mid).1
}

#[cfg(test)]
#[path = "gaps_tests.rs"]
mod tests;
