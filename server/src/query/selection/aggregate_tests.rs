use super::*;
use proptest::prelude::*;

/// The buckets of every series merged, as `aggregate` merges them.
fn merged(series: &[Vec<Summary>], width: i64) -> BTreeMap<i64, Partial> {
    let mut buckets: BTreeMap<i64, Partial> = BTreeMap::new();
    for runs in series {
        for (start, p) in grid_partials(runs, width) {
            buckets.entry(start).and_modify(|b| b.merge(&p)).or_insert(p);
        }
    }
    buckets
}

/// Each point as its own run, as a raw read gives them.
fn raw_runs(points: &[(i64, f64)]) -> Vec<Summary> {
    points
        .iter()
        .filter_map(|p| Summary::of(std::slice::from_ref(p)))
        .collect()
}

/// The points grouped into `tier`-wide rollup buckets, as the store keeps them.
fn rollup_runs(points: &[(i64, f64)], tier: i64) -> Vec<Summary> {
    let mut out: Vec<Summary> = Vec::new();
    for chunk in points.chunk_by(|a, b| a.0.div_euclid(tier) == b.0.div_euclid(tier)) {
        let mut s = Summary::of(chunk).unwrap();
        s.start = chunk[0].0.div_euclid(tier) * tier;
        s.end = s.start + tier;
        out.push(s);
    }
    out
}

/// What each operator gives for one bucket, computed from the points.
fn model(series: &[Vec<(i64, f64)>], start: i64, width: i64, op: AggregateOp) -> Option<f64> {
    let inside: Vec<Vec<f64>> = series
        .iter()
        .map(|pts| {
            pts.iter()
                .filter(|p| p.0.div_euclid(width) * width == start)
                .map(|p| p.1)
                .collect::<Vec<_>>()
        })
        .filter(|v| !v.is_empty())
        .collect();
    if inside.is_empty() {
        return None;
    }
    let all: Vec<f64> = inside.iter().flatten().copied().collect();
    Some(match op {
        AggregateOp::Avg => all.iter().sum::<f64>() / all.len() as f64,
        AggregateOp::Sum => inside.iter().map(|v| v.iter().sum::<f64>() / v.len() as f64).sum(),
        AggregateOp::Min => all.iter().copied().fold(f64::INFINITY, f64::min),
        AggregateOp::Max => all.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        AggregateOp::Count => inside.len() as f64,
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn avg_weighs_every_point_and_sum_adds_series_means() {
    // One series with three points in the bucket, one with one.
    let a = [(0, 1.0), (10, 2.0), (20, 3.0)];
    let b = [(5, 10.0)];
    let buckets = merged(&[raw_runs(&a), raw_runs(&b)], 60);
    let p = buckets[&0];
    assert_eq!(p.value(AggregateOp::Avg), 4.0, "(1+2+3+10)/4, not the mean of means 6");
    assert_eq!(p.value(AggregateOp::Sum), 12.0, "2 + 10");
    assert_eq!(p.value(AggregateOp::Min), 1.0);
    assert_eq!(p.value(AggregateOp::Max), 10.0);
    assert_eq!(p.value(AggregateOp::Count), 2.0);
}

fn series_strategy() -> impl Strategy<Value = Vec<Vec<(i64, f64)>>> {
    let one = prop::collection::btree_map(0i64..600_000, -1000i32..1000, 0..40)
        .prop_map(|m| m.into_iter().map(|(t, v)| (t, v as f64 / 8.0)).collect::<Vec<_>>());
    prop::collection::vec(one, 1..6)
}

proptest! {
    /// From raw points or from minute rollups, every bucket's aggregate
    /// equals the brute-force value over the points themselves.
    #[test]
    fn aggregates_equal_the_brute_force_model(
        series in series_strategy(),
        minutes_per_bucket in 1i64..5,
        from_rollups in any::<bool>(),
    ) {
        let width = minutes_per_bucket * 60_000;
        let runs: Vec<Vec<Summary>> = series
            .iter()
            .map(|pts| if from_rollups { rollup_runs(pts, 60_000) } else { raw_runs(pts) })
            .collect();
        let buckets = merged(&runs, width);
        for op in [AggregateOp::Sum, AggregateOp::Avg, AggregateOp::Min, AggregateOp::Max, AggregateOp::Count] {
            for (&start, p) in &buckets {
                let expected = model(&series, start, width, op).expect("a bucket with points");
                prop_assert!(close(p.value(op), expected), "{op:?} at {start}: {} vs {expected}", p.value(op));
            }
        }
        let expected_buckets: std::collections::BTreeSet<i64> = series
            .iter()
            .flatten()
            .map(|p| p.0.div_euclid(width) * width)
            .collect();
        prop_assert_eq!(buckets.keys().copied().collect::<std::collections::BTreeSet<_>>(), expected_buckets);
    }
}
