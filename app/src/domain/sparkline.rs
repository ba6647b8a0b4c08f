//! The SVG polyline of a sparkline: a series' points scaled into a small
//! box, no axes.

/// `points` attribute of an SVG `<polyline>` drawing time-ordered
/// `points` inside `width` x `height` (y grows downwards); empty when
/// there is nothing to draw. A flat series sits in the middle.
pub fn sparkline_points(points: &[(i64, f64)], width: f64, height: f64) -> String {
    let finite = || points.iter().filter(|p| p.1.is_finite());
    let (Some(first), Some(last)) = (finite().next(), finite().next_back()) else {
        return String::new();
    };
    let (lo, hi) = finite().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let span_t = (last.0 - first.0).max(1) as f64;
    let y = |v: f64| {
        if hi > lo {
            height - (v - lo) / (hi - lo) * height
        } else {
            height / 2.0
        }
    };
    finite()
        .map(|&(t, v)| format!("{:.1},{:.1}", (t - first.0) as f64 / span_t * width, y(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_into_the_box() {
        let got = sparkline_points(&[(0, 1.0), (5, 3.0), (10, 2.0)], 100.0, 20.0);
        assert_eq!(got, "0.0,20.0 50.0,0.0 100.0,10.0");
    }

    #[test]
    fn flat_empty_and_nan() {
        assert_eq!(
            sparkline_points(&[(0, 4.0), (10, 4.0)], 10.0, 20.0),
            "0.0,10.0 10.0,10.0"
        );
        assert_eq!(sparkline_points(&[], 10.0, 20.0), "");
        assert_eq!(sparkline_points(&[(0, f64::NAN)], 10.0, 20.0), "");
        assert_eq!(sparkline_points(&[(3, 1.0), (4, f64::NAN)], 10.0, 20.0), "0.0,10.0");
    }
}
