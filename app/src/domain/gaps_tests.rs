use super::*;
use crate::domain::{grid_for, minmax_into, MINUTE_MS};

fn at(ts: &[i64]) -> Vec<(i64, f64)> {
    ts.iter().map(|&t| (t, 1.0)).collect()
}

/// A day of a regulator at 1 Hz (a level held for 20 minutes, noise far
/// below the steps), as the server answers it from minute rollups: each
/// minute's low and high at a quarter and three quarters of the minute,
/// then the lowest and highest of each grid bucket for `points` points.
fn step_series_from_minutes(points: usize) -> (Vec<(i64, f64)>, i64) {
    let day = 86_400_000;
    let mut minutes = Vec::new();
    for m in 0..day / MINUTE_MS {
        let level = ((m / 20) % 5) as f64 * 0.05 + 2.0;
        let wobble = ((m * 7_919) % 13) as f64 * 1e-4;
        let start = m * MINUTE_MS;
        minutes.extend([(start + 15_000, level - wobble), (start + 45_000, level + wobble)]);
    }
    let grid = grid_for(0, day - 1, points, MINUTE_MS);
    let mut out = Vec::new();
    minmax_into(&minutes, grid, &mut out);
    (out, grid)
}

#[test]
fn a_min_max_answer_of_a_step_series_is_one_line_at_every_width() {
    for points in [300, 600, 1_200, 1_800, 2_560] {
        let (answer, grid) = step_series_from_minutes(points);
        assert_eq!(split_at_gaps(&answer, Some(grid)).len(), 1, "{points} points");
        // Distances between min-max neighbours say nothing: the median rule
        // would cut this unbroken day into dashes.
        assert!(split_at_gaps(&answer, None).len() > 10, "{points} points");
    }
}

#[test]
fn an_empty_bucket_breaks_a_bucketed_line() {
    // Buckets of 100: 0 and 100 hold points, 200 and 300 none, 400 does.
    let p = at(&[10, 90, 105, 199, 401, 480]);
    assert_eq!(split_at_gaps(&p, Some(100)), vec![&p[..4], &p[4..]]);
    // Neighbouring buckets join, however far apart their points are.
    let p = at(&[0, 199, 200, 399]);
    assert_eq!(split_at_gaps(&p, Some(100)).len(), 1);
    // Times before the epoch sit on the same grid.
    let p = at(&[-150, -50, 50]);
    assert_eq!(split_at_gaps(&p, Some(100)).len(), 1);
}

#[test]
fn stored_points_break_where_a_step_is_far_above_the_usual() {
    let p = at(&[0, 10, 20, 30, 40]);
    assert_eq!(split_at_gaps(&p, None), vec![&p[..]]);
    let p = at(&[0, 10, 20, 30, 200, 210, 220]);
    assert_eq!(split_at_gaps(&p, None), vec![&p[..4], &p[4..]]);
    // A sparse series, every ten minutes, with an hour missing.
    let mut sparse: Vec<i64> = (0..12).map(|i| i * 600_000).collect();
    sparse.extend((18..30).map(|i| i * 600_000));
    let p = at(&sparse);
    assert_eq!(split_at_gaps(&p, None), vec![&p[..12], &p[12..]]);
}

#[test]
fn short_and_empty_inputs() {
    assert!(split_at_gaps(&[], None).is_empty());
    assert!(split_at_gaps(&[], Some(10)).is_empty());
    let p = at(&[0, 1000]);
    assert_eq!(split_at_gaps(&p, None).len(), 1);
    assert_eq!(
        split_at_gaps(&p, Some(10)).len(),
        2,
        "a bucketed pair with empty buckets between"
    );
    let same = at(&[5, 5, 5, 5]);
    assert_eq!(split_at_gaps(&same, None).len(), 1);
    assert_eq!(split_at_gaps(&same, Some(0)).len(), 1, "a zero width is no grid");
}
