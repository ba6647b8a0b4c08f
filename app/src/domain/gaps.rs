//! Missing data must look missing: a chart line is broken wherever the
//! time between two neighbours is far above the series' usual spacing.

/// How many times the median spacing a step may be before it is a gap.
const GAP_FACTOR: i64 = 3;

/// Splits time-ordered `points` into runs with no gap inside. A gap is a
/// step longer than [`GAP_FACTOR`] times the median step; series with
/// fewer than three points are one run.
pub fn split_at_gaps(points: &[(i64, f64)]) -> Vec<&[(i64, f64)]> {
    if points.len() < 3 {
        return if points.is_empty() { Vec::new() } else { vec![points] };
    }
    let mut steps: Vec<i64> = points.windows(2).map(|w| w[1].0 - w[0].0).collect();
    let mid = steps.len() / 2;
    let median = *steps.select_nth_unstable(mid).1;
    let limit = median.max(1).saturating_mul(GAP_FACTOR);
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..points.len() {
        if points[i].0 - points[i - 1].0 > limit {
            runs.push(&points[start..i]);
            start = i;
        }
    }
    runs.push(&points[start..]);
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ts: &[i64]) -> Vec<(i64, f64)> {
        ts.iter().map(|&t| (t, 1.0)).collect()
    }

    #[test]
    fn regular_series_is_one_run() {
        let p = at(&[0, 10, 20, 30, 40]);
        assert_eq!(split_at_gaps(&p), vec![&p[..]]);
    }

    #[test]
    fn a_missing_stretch_breaks_the_line() {
        let p = at(&[0, 10, 20, 30, 200, 210, 220]);
        assert_eq!(split_at_gaps(&p), vec![&p[..4], &p[4..]]);
    }

    #[test]
    fn short_and_empty_inputs() {
        assert!(split_at_gaps(&[]).is_empty());
        let p = at(&[0, 1000]);
        assert_eq!(split_at_gaps(&p).len(), 1);
        let same = at(&[5, 5, 5, 5]);
        assert_eq!(split_at_gaps(&same).len(), 1);
    }
}
