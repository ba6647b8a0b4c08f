//! The transforms a query may ask for ([`Transform`]), computed on the
//! values a line is made of before they are reduced to the answer's
//! points: stored points when the answer reads them, rollup buckets when
//! it reads a tier, the aggregated buckets of a group.
//!
//! A bucket stands for its points by its last value (for changes) and by
//! its sum and count (for means), at its middle. A change from one
//! bucket's last value to the next is exact for gauges and for counters
//! that did not restart in between; a counter that restarted and climbed
//! past its old value within one bucket reads as a smaller increase (the
//! stored points, read for shorter windows, see every restart).

use app::model::Transform;

/// One value a transform reads: a stored point, or a bucket of them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub t: i64,
    /// The newest value, what changes are taken between.
    pub last: f64,
    /// Sum and count of the values, what means are made of.
    pub sum: f64,
    pub count: u64,
}

impl Sample {
    pub fn point((t, v): (i64, f64)) -> Sample {
        Sample {
            t,
            last: v,
            sum: v,
            count: 1,
        }
    }
}

/// `transform` of time-ordered `samples`, one value per sample at its
/// time, for the samples at or after `from` (the earlier ones are what
/// the first are computed from). A change needs the sample before: one
/// without, or at the same time, gives no value. A moving average covers
/// the samples in `(t - window, t]`, every stored value weighing the same.
pub fn apply(transform: Transform, samples: &[Sample], from: i64) -> Vec<(i64, f64)> {
    let start = samples.partition_point(|s| s.t < from);
    match transform {
        Transform::MovingAvg(window) => moving_avg(samples, start, window),
        change => samples[start.saturating_sub(1)..]
            .windows(2)
            .filter(|pair| pair[1].t >= from)
            .filter_map(|pair| change_between(change, &pair[0], &pair[1]))
            .collect(),
    }
}

/// `transform` of a line's points, from its first point on.
pub fn apply_to_points(transform: Transform, points: &[(i64, f64)]) -> Vec<(i64, f64)> {
    let samples: Vec<Sample> = points.iter().copied().map(Sample::point).collect();
    apply(transform, &samples, i64::MIN)
}

fn change_between(transform: Transform, before: &Sample, now: &Sample) -> Option<(i64, f64)> {
    let dt = now.t - before.t;
    if dt <= 0 {
        return None;
    }
    let delta = now.last - before.last;
    let per_second = |d: f64| d * 1_000.0 / dt as f64;
    let value = match transform {
        Transform::Difference => delta,
        Transform::Derivative => per_second(delta),
        // A counter that went down restarted from zero: it rose by its value.
        Transform::Rate => per_second(if delta < 0.0 { now.last } else { delta }),
        Transform::MovingAvg(_) => return None,
    };
    value.is_finite().then_some((now.t, value))
}

/// Sliding sums over the window; the sums are rebuilt from the window's
/// samples whenever it empties, so rounding does not carry across gaps.
fn moving_avg(samples: &[Sample], start: usize, window: i64) -> Vec<(i64, f64)> {
    let mut out = Vec::with_capacity(samples.len() - start);
    let (mut oldest, mut sum, mut count) = (0, 0.0, 0u64);
    for (i, s) in samples.iter().enumerate() {
        sum += s.sum;
        count += s.count;
        while samples[oldest].t <= s.t.saturating_sub(window) {
            sum -= samples[oldest].sum;
            count -= samples[oldest].count;
            oldest += 1;
        }
        if oldest == i {
            (sum, count) = (s.sum, s.count);
        }
        if i >= start && count > 0 {
            out.push((s.t, sum / count as f64));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn points(values: &[(i64, f64)]) -> Vec<Sample> {
        values.iter().copied().map(Sample::point).collect()
    }

    #[test]
    fn changes_between_neighbours() {
        let s = points(&[(0, 1.0), (2_000, 5.0), (4_000, 4.0), (4_000, 9.0), (5_000, 10.0)]);
        assert_eq!(
            apply(Transform::Difference, &s, 0),
            vec![(2_000, 4.0), (4_000, -1.0), (5_000, 1.0)],
            "no value for the first point, none between equal times"
        );
        assert_eq!(
            apply(Transform::Derivative, &s, 0),
            vec![(2_000, 2.0), (4_000, -0.5), (5_000, 1.0)]
        );
        assert_eq!(
            apply(Transform::Difference, &s, 1_000),
            vec![(2_000, 4.0), (4_000, -1.0), (5_000, 1.0)],
            "the point before the window is what the first change is from"
        );
        assert_eq!(
            apply(Transform::Difference, &s, 2_001),
            vec![(4_000, -1.0), (5_000, 1.0)]
        );
        assert!(apply(Transform::Rate, &[], 0).is_empty());
        assert!(apply(Transform::Rate, &points(&[(1, 1.0)]), 0).is_empty());
    }

    #[test]
    fn a_counter_restart_counts_from_zero() {
        let s = points(&[(0, 100.0), (10_000, 150.0), (20_000, 20.0), (30_000, 70.0)]);
        assert_eq!(
            apply(Transform::Rate, &s, 0),
            vec![(10_000, 5.0), (20_000, 2.0), (30_000, 5.0)]
        );
        assert_eq!(apply(Transform::Derivative, &s, 0)[1], (20_000, -13.0));
    }

    #[test]
    fn moving_average_over_a_trailing_window() {
        let s = points(&[(0, 1.0), (1_000, 3.0), (2_000, 5.0), (10_000, 7.0), (10_500, 9.0)]);
        assert_eq!(
            apply(Transform::MovingAvg(2_000), &s, 0),
            vec![(0, 1.0), (1_000, 2.0), (2_000, 4.0), (10_000, 7.0), (10_500, 8.0)],
            "(t - window, t]: the sample exactly a window back is out"
        );
        assert_eq!(
            apply(Transform::MovingAvg(2_000), &s, 1_500),
            vec![(2_000, 4.0), (10_000, 7.0), (10_500, 8.0)],
            "samples before the window still count in its first averages"
        );
    }

    #[test]
    fn buckets_weigh_by_their_points() {
        let s = [
            Sample {
                t: 30_000,
                last: 2.0,
                sum: 10.0,
                count: 10,
            },
            Sample {
                t: 90_000,
                last: 8.0,
                sum: 30.0,
                count: 2,
            },
        ];
        assert_eq!(apply(Transform::MovingAvg(120_000), &s, 0)[1], (90_000, 40.0 / 12.0));
        assert_eq!(apply(Transform::Rate, &s, 0), vec![(90_000, 0.1)]);
    }

    proptest! {
        /// The sliding sums agree with averaging each window from scratch.
        #[test]
        fn moving_average_matches_a_brute_force_model(
            steps in prop::collection::vec((1i64..5_000, -1e3f64..1e3), 0..200),
            window in 1i64..20_000,
            from in 0i64..400_000,
        ) {
            let mut t = 0;
            let samples: Vec<Sample> = steps.iter().map(|&(dt, v)| { t += dt; Sample::point((t, v)) }).collect();
            let got = apply(Transform::MovingAvg(window), &samples, from);
            let want: Vec<(i64, f64)> = samples.iter().filter(|s| s.t >= from).map(|s| {
                let inside: Vec<f64> = samples.iter().filter(|o| o.t > s.t - window && o.t <= s.t).map(|o| o.sum).collect();
                (s.t, inside.iter().sum::<f64>() / inside.len() as f64)
            }).collect();
            prop_assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                prop_assert_eq!(g.0, w.0);
                prop_assert!((g.1 - w.1).abs() <= 1e-6 * (1.0 + w.1.abs()), "{:?} vs {:?}", g, w);
            }
        }
    }
}
