//! Stacked lines: each line drawn on top of the ones before it, so the
//! top edge is their sum at every time (Grafana's "stack series").
//! Stacked panels ask for bucket means on one time grid (the same window
//! and width for every line), so their times line up; a line without a
//! value at a time adds nothing there.

use std::collections::BTreeMap;

/// The top edge of each line once stacked: line `n`'s value at a time
/// plus those of the lines before it at that time, in time order.
pub fn stack_lines(lines: &[&[(i64, f64)]]) -> Vec<Vec<(i64, f64)>> {
    let mut running: BTreeMap<i64, f64> = BTreeMap::new();
    lines
        .iter()
        .map(|points| {
            for &(t, v) in points.iter().filter(|p| p.1.is_finite()) {
                *running.entry(t).or_insert(0.0) += v;
            }
            // Every time seen so far: a line missing at a time keeps the
            // lower lines' sum there, so no edge dives to zero.
            if points.is_empty() {
                Vec::new()
            } else {
                running.iter().map(|(&t, &v)| (t, v)).collect()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_edge_is_the_sum_so_far() {
        let a = [(0, 1.0), (10, 2.0), (20, 3.0)];
        let b = [(0, 10.0), (20, 30.0)];
        let stacked = stack_lines(&[&a, &b]);
        assert_eq!(stacked[0], vec![(0, 1.0), (10, 2.0), (20, 3.0)]);
        assert_eq!(stacked[1], vec![(0, 11.0), (10, 2.0), (20, 33.0)]);
    }

    #[test]
    fn hidden_lines_add_nothing_and_draw_nothing() {
        let a = [(0, 1.0)];
        let stacked = stack_lines(&[&[], &a, &[(0, f64::NAN)]]);
        assert!(stacked[0].is_empty());
        assert_eq!(stacked[1], vec![(0, 1.0)]);
        assert_eq!(stacked[2], vec![(0, 1.0)], "a NaN adds nothing");
    }
}
