//! Moving a chart's time window: zooming around a time (the wheel, the
//! keyboard) and panning by a span (a drag with Shift, `t←` / `t→`).
//! Windows are epoch ms, `from < to`.

use super::MIN_ZOOM_MS;

/// The widest window a zoom out may reach: ten years.
pub const MAX_WINDOW_MS: i64 = 10 * 365 * 86_400_000;

/// The window `factor` times as wide (below 1 zooms in), with `around`
/// staying at the same place across it; no narrower than a second and
/// no wider than [`MAX_WINDOW_MS`].
pub fn zoom_window((from, to): (i64, i64), around: i64, factor: f64) -> (i64, i64) {
    let span = (to - from).max(1);
    let wanted = (span as f64 * factor).round();
    let new_span = if wanted.is_finite() {
        (wanted as i64).clamp(MIN_ZOOM_MS, MAX_WINDOW_MS)
    } else {
        span
    };
    let around = around.clamp(from, to);
    let share = (around - from) as f64 / span as f64;
    let new_from = around - (share * new_span as f64).round() as i64;
    (new_from, new_from + new_span)
}

/// The window moved by `by` ms (negative: back in time).
pub fn pan_window((from, to): (i64, i64), by: i64) -> (i64, i64) {
    (from.saturating_add(by), to.saturating_add(by))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooming_keeps_the_time_under_the_cursor_in_place() {
        assert_eq!(zoom_window((0, 10_000), 2_500, 2.0), (-2_500, 17_500));
        assert_eq!(zoom_window((0, 10_000), 5_000, 0.5), (2_500, 7_500));
        assert_eq!(zoom_window((0, 10_000), 0, 0.5), (0, 5_000));
    }

    #[test]
    fn zooming_stays_between_a_second_and_ten_years() {
        assert_eq!(zoom_window((0, 1_500), 0, 0.1), (0, MIN_ZOOM_MS));
        let (from, to) = zoom_window((0, MAX_WINDOW_MS), MAX_WINDOW_MS / 2, 4.0);
        assert_eq!(to - from, MAX_WINDOW_MS);
        assert_eq!(zoom_window((0, 10_000), 5_000, f64::NAN), (0, 10_000));
        assert_eq!(
            zoom_window((0, 10_000), 50_000, 1.0),
            (0, 10_000),
            "a time outside counts as the edge"
        );
    }

    #[test]
    fn panning_moves_both_ends() {
        assert_eq!(pan_window((1_000, 2_000), -500), (500, 1_500));
        assert_eq!(pan_window((1_000, 2_000), 500), (1_500, 2_500));
    }
}
