//! Where values land on a chart's value axis: as they are, or as their
//! base-10 logarithm for a log axis (so powers of ten are equally spaced;
//! values at or below zero have no place and are not drawn); and the
//! axis' extent: the data's with some air, unless the panel fixes a bound.

use super::ChartLine;
use crate::model::ValueAxis;
use std::borrow::Cow;

#[derive(Debug, Clone, Copy)]
pub struct ValueScale {
    pub log: bool,
}

impl ValueScale {
    /// `v` on the plot's scale; `None` where a log axis has no place for it.
    pub fn to_plot(self, v: f64) -> Option<f64> {
        match self.log {
            false => Some(v),
            true => (v > 0.0).then(|| v.log10()),
        }
    }

    /// The value at `y` on the plot's scale.
    pub fn value_at(self, y: f64) -> f64 {
        if self.log {
            10f64.powf(y)
        } else {
            y
        }
    }

    /// Each line's points on the plot's scale, borrowed when nothing changes.
    pub fn lines<'a>(self, lines: &[ChartLine<'a>]) -> Vec<Cow<'a, [(i64, f64)]>> {
        lines
            .iter()
            .map(|l| match self.log {
                false => Cow::Borrowed(l.points),
                true => Cow::Owned(
                    l.points
                        .iter()
                        .filter_map(|&(t, v)| Some((t, self.to_plot(v)?)))
                        .collect(),
                ),
            })
            .collect()
    }

    /// The axis' extent on the plot's scale: `axis`' bounds where it has
    /// them, the data's with 5% air elsewhere; bounds that cross fall back
    /// to the data's.
    pub fn range<'a>(self, axis: ValueAxis, points: impl Iterator<Item = &'a (i64, f64)>) -> (f64, f64) {
        let (lo, hi) = value_range(points);
        let fixed_lo = axis.min.and_then(|v| self.to_plot(v)).unwrap_or(lo);
        let fixed_hi = axis.max.and_then(|v| self.to_plot(v)).unwrap_or(hi);
        if fixed_lo < fixed_hi {
            (fixed_lo, fixed_hi)
        } else {
            (lo, hi)
        }
    }
}

/// The y extent of `points` with 5% air; a flat or empty series still gets
/// a non-empty range.
fn value_range<'a>(points: impl Iterator<Item = &'a (i64, f64)>) -> (f64, f64) {
    let (lo, hi) = points
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        return (0.0, 1.0);
    }
    if lo == hi {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return (lo - pad, hi + pad);
    }
    let pad = (hi - lo) * 0.05;
    (lo - pad, hi + pad)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POINTS: [(i64, f64); 4] = [(0, 0.0), (1, 1.0), (2, 100.0), (3, -5.0)];

    #[test]
    fn a_log_scale_keeps_positive_values_as_powers_of_ten() {
        let log = ValueScale { log: true };
        let line = [ChartLine {
            points: &POINTS,
            bucket: None,
        }];
        assert_eq!(&*log.lines(&line)[0], &[(1, 0.0), (2, 2.0)]);
        assert_eq!(log.to_plot(-1.0), None);
        assert!((log.value_at(2.0) - 100.0).abs() < 1e-9);
        assert!(matches!(ValueScale { log: false }.lines(&line)[0], Cow::Borrowed(_)));
    }

    #[test]
    fn value_range_pads_and_never_collapses() {
        assert_eq!(value_range([].iter()), (0.0, 1.0));
        assert_eq!(value_range([(0, 0.0)].iter()), (-1.0, 1.0));
        let (lo, hi) = value_range([(0, 10.0), (1, 20.0), (2, f64::NAN)].iter());
        assert!(lo < 10.0 && hi > 20.0 && hi < 21.0);
    }

    #[test]
    fn fixed_bounds_win_unless_they_cross() {
        let linear = ValueScale { log: false };
        let data = [(0, 10.0), (1, 20.0)];
        assert_eq!(linear.range(ValueAxis::default(), data.iter()), (9.5, 20.5));
        let axis = ValueAxis {
            min: Some(0.0),
            max: Some(15.0),
            log: false,
        };
        assert_eq!(linear.range(axis, data.iter()), (0.0, 15.0));
        let only_min = ValueAxis {
            min: Some(0.0),
            ..ValueAxis::default()
        };
        assert_eq!(linear.range(only_min, data.iter()), (0.0, 20.5));
        let crossing = ValueAxis {
            min: Some(30.0),
            ..ValueAxis::default()
        };
        assert_eq!(linear.range(crossing, data.iter()), (9.5, 20.5));
        let log_axis = ValueAxis {
            min: Some(1.0),
            max: Some(1000.0),
            log: true,
        };
        assert_eq!(ValueScale { log: true }.range(log_axis, data.iter()), (0.0, 3.0));
    }
}
