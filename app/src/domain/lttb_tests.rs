use super::*;

fn indices(data: &[(i64, f64)], threshold: usize) -> Vec<usize> {
    let mut out = Vec::new();
    lttb_select(data, threshold, |i| out.push(i)).unwrap();
    out
}

fn ramp(n: usize) -> Vec<(i64, f64)> {
    (0..n).map(|i| (i as i64 * 1000, i as f64)).collect()
}

#[test]
fn thresholds_below_two_are_rejected() {
    let data = ramp(10);
    assert_eq!(lttb_select(&data, 0, |_| {}), Err(ThresholdTooSmall(0)));
    assert_eq!(downsample_lttb(&data, 1), Err(ThresholdTooSmall(1)));
}

#[test]
fn threshold_two_keeps_first_and_last() {
    assert_eq!(indices(&ramp(10), 2), vec![0, 9]);
}

#[test]
fn threshold_at_or_above_length_keeps_everything() {
    assert_eq!(indices(&ramp(5), 5), vec![0, 1, 2, 3, 4]);
    assert_eq!(indices(&ramp(5), 1000), vec![0, 1, 2, 3, 4]);
    assert_eq!(indices(&[], 3), Vec::<usize>::new());
    assert_eq!(indices(&ramp(1), 2), vec![0]);
}

#[test]
fn hand_computed_irregular_case() {
    // every = 2.5, buckets [1,3) and [3,6). Bucket 0 against the mean of
    // points 3..6 (6.33, 4.67): areas 13.5 and 3.83, so 1. Bucket 1 against
    // point 6 (10, 4): areas 12, 21 and 5.5, so 4.
    let data = [(0, 0.0), (1, 5.0), (3, 1.0), (4, 2.0), (7, 9.0), (8, 3.0), (10, 4.0)];
    assert_eq!(indices(&data, 4), vec![0, 1, 4, 6]);
}

#[test]
fn constant_series_takes_first_of_each_bucket() {
    let data: Vec<(i64, f64)> = (0..10).map(|i| (i, 3.5)).collect();
    // every = 4: buckets [1,5) and [5,9); all areas are 0 and the first wins.
    assert_eq!(indices(&data, 4), vec![0, 1, 5, 9]);
}

#[test]
fn a_single_spike_survives() {
    let mut data = ramp(10_000);
    data[6_543].1 = 1e6;
    assert!(indices(&data, 50).contains(&6_543));
}

#[test]
fn nan_values_are_never_preferred() {
    let data = [(0, 0.0), (1, f64::NAN), (2, 7.0), (3, 1.0), (4, 0.0)];
    // every = 1.5: bucket [1,2) holds only the NaN, so it is taken; every
    // area measured from a NaN vertex is NaN, so bucket [2,4) yields its first.
    assert_eq!(indices(&data, 4), vec![0, 1, 2, 4]);
    let data = [(0, 0.0), (1, f64::NAN), (2, 7.0), (3, 0.0)];
    // every = 2: the single bucket [1,3) skips the NaN.
    assert_eq!(indices(&data, 3), vec![0, 2, 3]);
}

#[test]
fn unsorted_input_still_yields_threshold_indices() {
    let data = [(5, 1.0), (1, 2.0), (9, 0.0), (3, 4.0), (7, 2.0), (2, 8.0)];
    let picked = indices(&data, 4);
    assert_eq!(picked.len(), 4);
    assert!(picked.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn works_on_float_pairs_and_arrays() {
    let tuples: Vec<(f64, f64)> = (0..20).map(|i| (i as f64, (i % 3) as f64)).collect();
    let arrays: Vec<[f64; 2]> = tuples.iter().map(|&(x, y)| [x, y]).collect();
    let a = downsample_lttb(&tuples, 7).unwrap();
    let b = downsample_lttb(&arrays, 7).unwrap();
    assert_eq!(a.len(), 7);
    assert!(a.iter().zip(&b).all(|(p, q)| p.0 == q[0] && p.1 == q[1]));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn selection_is_ordered_bounded_and_keeps_the_ends(
            values in prop::collection::vec(-1e9f64..1e9, 0..400),
            threshold in 2usize..500,
        ) {
            let data: Vec<(i64, f64)> = values.iter().enumerate().map(|(i, &v)| (i as i64 * 7, v)).collect();
            let picked = indices(&data, threshold);
            prop_assert_eq!(picked.len(), threshold.min(data.len()));
            prop_assert!(picked.windows(2).all(|w| w[0] < w[1]));
            if !data.is_empty() {
                prop_assert_eq!(picked[0], 0);
                prop_assert_eq!(*picked.last().unwrap(), data.len() - 1);
            }
        }
    }
}

/// The point-by-point selection, written as plainly as the convention reads.
fn reference(data: &[(i64, f64)], k: usize) -> Vec<usize> {
    let n = data.len();
    if k >= n {
        return (0..n).collect();
    }
    let every = (n - 2) as f64 / (k - 2).max(1) as f64;
    let edge = |i: usize| (i as f64 * every).floor() as usize + 1;
    let mut out = vec![0];
    let mut a = 0;
    for i in 0..k - 2 {
        let next = &data[edge(i + 1)..edge(i + 2).min(n)];
        let (mut sx, mut sy) = (0.0, 0.0);
        for p in next {
            sx += p.0 as f64;
            sy += p.1;
        }
        let (cx, cy) = (sx / next.len() as f64, sy / next.len() as f64);
        let (ax, ay) = (data[a].0 as f64, data[a].1);
        let (mut best, mut chosen) = (-1.0, edge(i));
        for (j, &(t, by)) in data.iter().enumerate().take(edge(i + 1)).skip(edge(i)) {
            let bx = t as f64;
            let area = ((ax - cx) * (by - ay) - (ax - bx) * (cy - ay)).abs() * 0.5;
            if area > best {
                best = area;
                chosen = j;
            }
        }
        out.push(chosen);
        a = chosen;
    }
    out.push(n - 1);
    out
}

proptest::proptest! {
    #[test]
    fn blocks_select_what_the_point_by_point_loop_selects(
        steps in proptest::collection::vec((0i64..3, -3i8..4), 3..400),
        k in 3usize..60,
    ) {
        // Small integer values and repeated times make many equal areas,
        // where only the first may win.
        let mut t = 0;
        let data: Vec<(i64, f64)> = steps
            .iter()
            .map(|&(dt, v)| {
                t += dt;
                (t, f64::from(v))
            })
            .collect();
        proptest::prop_assert_eq!(indices(&data, k), reference(&data, k));
    }
}
