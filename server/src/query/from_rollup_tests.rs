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

fn pieces(rows: &[Summary]) -> Vec<Piece> {
    rows.iter().copied().map(Piece::Bucket).collect()
}

#[test]
fn extremes_keep_every_bucket_peak_in_order() {
    let rows = pieces(&[
        bucket(0, 1.0, 5.0, 1.0, 5.0),
        bucket(60, 0.0, 9.0, 9.0, 0.0),
        bucket(120, 2.0, 2.0, 2.0, 2.0),
    ]);
    assert_eq!(
        extremes(&rows, 0, 179, 10, 60),
        (vec![(15, 1.0), (45, 5.0), (75, 9.0), (105, 0.0), (150, 2.0)], Some(60))
    );
    let many: Vec<Piece> = (0..1_000)
        .map(|i| Piece::Bucket(bucket(i * 60, 0.0, if i == 777 { 99.0 } else { 1.0 }, 0.0, 1.0)))
        .collect();
    let (out, grid) = extremes(&many, 0, 60_000, 100, 60);
    assert!(out.len() <= 100);
    assert!(out.iter().any(|p| p.1 == 99.0), "the peak survives re-bucketing");
    assert_eq!(grid, Some(grid_for(0, 60_000, 100, 60)));
    assert_eq!(grid.map(|g| g % 60), Some(0), "the grid is made of whole buckets");
}

#[test]
fn first_and_last_values_order_a_buckets_extremes() {
    // Starts at its low, or ends at its high: it rose.
    assert!(low_first(&bucket(0, 0.0, 9.0, 0.0, 5.0)));
    assert!(low_first(&bucket(0, 0.0, 9.0, 5.0, 9.0)));
    // Starts at its high, or ends at its low: it fell, even when it ends
    // higher than it started.
    assert!(!low_first(&bucket(0, 0.0, 9.0, 9.0, 5.0)));
    assert!(!low_first(&bucket(0, 0.0, 9.0, 3.0, 0.0)));
    // Neither: the overall direction decides.
    assert!(low_first(&bucket(0, 0.0, 9.0, 3.0, 4.0)));
    assert!(!low_first(&bucket(0, 0.0, 9.0, 4.0, 3.0)));
}

#[test]
fn every_point_lies_inside_the_window() {
    // The window starts 45 into the first bucket and ends 10 into the last.
    let (from, to) = (45, 130);
    let rows = pieces(&[
        bucket(0, 1.0, 5.0, 1.0, 5.0),
        bucket(60, 0.0, 9.0, 0.0, 9.0),
        bucket(120, 2.0, 3.0, 2.0, 3.0),
    ]);
    let (points, _) = extremes(&rows, from, to, 100, 60);
    assert_eq!(points.len(), 6);
    assert!(points.iter().all(|p| (from..=to).contains(&p.0)), "{points:?}");
    assert!(points.windows(2).all(|w| w[0].0 <= w[1].0), "time order: {points:?}");
    let means = means(&rows, from, to);
    assert!(means.iter().all(|p| (from..=to).contains(&p.0)), "{means:?}");
    let (grid, _) = grid_means(&rows, from, to, 100, 60);
    assert_eq!(grid.first().map(|p| p.0), Some(from));
}

#[test]
fn cut_buckets_answer_with_their_points_at_their_times() {
    let rows = vec![
        Piece::Points(vec![(50, 4.0), (52, 1.0), (58, 2.0)]),
        Piece::Bucket(bucket(60, 0.0, 9.0, 0.0, 9.0)),
        Piece::Points(vec![(121, 7.0)]),
    ];
    let (points, _) = extremes(&rows, 50, 121, 100, 60);
    assert_eq!(points, [(50, 4.0), (52, 1.0), (75, 0.0), (105, 9.0), (121, 7.0)]);
    let s = stats(&rows);
    assert_eq!((s.count, s.min, s.max, s.last), (6, Some(0.0), Some(9.0), Some(7.0)));
    assert_eq!(means(&rows, 50, 121), [(54, 7.0 / 3.0), (90, 4.5), (121, 7.0)]);
}

#[test]
fn stats_and_means_from_buckets() {
    let rows = pieces(&[bucket(0, 1.0, 5.0, 1.0, 5.0), bucket(60, 0.0, 9.0, 9.0, 0.0)]);
    let s = stats(&rows);
    assert_eq!(
        (s.count, s.min, s.max, s.avg, s.last),
        (4, Some(0.0), Some(9.0), Some(3.75), Some(0.0))
    );
    assert_eq!(means(&rows, 0, 119), [(30, 3.0), (90, 4.5)]);
    assert_eq!(
        grid_means(&rows, 0, 119, 2, 60),
        (vec![(0, 3.75)], Some(120)),
        "one grid bucket, weighted by count"
    );
    assert_eq!(grid_means(&rows, 0, 119, 10, 60), (vec![(0, 3.0), (60, 4.5)], Some(60)));
    assert_eq!(stats(&[]), Stats::default());
}
