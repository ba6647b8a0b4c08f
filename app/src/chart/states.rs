//! The state timeline: one row per line (the first at the top), each
//! stretch of time coloured by what its value maps to, so on/off or
//! idle/running/fault signals read at a glance.

use super::ChartTheme;
use crate::domain::{mapping_for, parse_hex_color, split_at_gaps};
use crate::model::ValueMapping;
use plotters::style::RGBColor;

/// Stretches `(start, end, value)` of time-ordered points: a value holds
/// from its point to the next point of another value; the last point of
/// a run of data (a gap or the end follows) holds for one `bucket`, as
/// the point stands for its bucket, or not at all without a grid.
pub fn state_runs(points: &[(i64, f64)], bucket: Option<i64>) -> Vec<(i64, i64, f64)> {
    let mut out: Vec<(i64, i64, f64)> = Vec::new();
    for run in split_at_gaps(points, bucket) {
        let mut runs: Vec<(i64, i64, f64)> = Vec::new();
        for (i, &(t, v)) in run.iter().enumerate() {
            let end = run.get(i + 1).map_or(t + bucket.unwrap_or(0), |next| next.0);
            match runs.last_mut() {
                Some(last) if last.2 == v => last.1 = end,
                _ => runs.push((t, end, v)),
            }
        }
        out.extend(runs);
    }
    out
}

/// The colour of `value`: its mapping's own, else the theme's colour for
/// the mapping's place, else (unmapped) the axis grey.
pub fn state_colour(mappings: &[ValueMapping], value: f64, theme: &ChartTheme) -> RGBColor {
    match mapping_for(mappings, value) {
        Some((i, m)) => m
            .color
            .as_deref()
            .and_then(parse_hex_color)
            .map_or(theme.line(i), |(r, g, b)| RGBColor(r, g, b)),
        None => theme.axis,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_neighbours_merge_and_the_last_point_holds_its_bucket() {
        let points = [(0, 1.0), (10, 1.0), (20, 0.0), (30, 1.0)];
        assert_eq!(
            state_runs(&points, Some(10)),
            vec![(0, 20, 1.0), (20, 30, 0.0), (30, 40, 1.0)]
        );
        assert_eq!(state_runs(&points, None).last(), Some(&(30, 30, 1.0)));
        assert!(state_runs(&[], Some(10)).is_empty());
    }

    #[test]
    fn a_gap_ends_a_state_after_its_bucket() {
        // Buckets of 10 ms: nothing between 10 and 50 is a gap.
        let points = [(0, 1.0), (10, 1.0), (50, 1.0), (60, 0.0)];
        assert_eq!(
            state_runs(&points, Some(10)),
            vec![(0, 20, 1.0), (50, 60, 1.0), (60, 70, 0.0)]
        );
    }

    #[test]
    fn colours_come_from_the_mapping_then_the_theme() {
        let m = [
            ValueMapping {
                value: 0.0,
                text: "off".into(),
                color: None,
            },
            ValueMapping {
                value: 1.0,
                text: "on".into(),
                color: Some("#16a34a".into()),
            },
        ];
        let theme = ChartTheme::LIGHT;
        assert_eq!(state_colour(&m, 1.0, &theme), RGBColor(0x16, 0xa3, 0x4a));
        assert_eq!(state_colour(&m, 0.0, &theme), theme.line(0));
        assert_eq!(state_colour(&m, 7.0, &theme), theme.axis);
    }
}
