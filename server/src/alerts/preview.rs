//! A rule tried on the past: its series over a window, replayed through
//! the state machine at each evaluation time (the trailing window reduced
//! from the answer's points, so from rollups on long windows), and drawn
//! as a panel draws it, with the thresholds and the stretches the rule
//! would have fired shaded, as an SVG the alerts page shows.

use super::reading::reduce;
use app::chart::{draw_panel, ChartLine, ChartTheme, NoteSpan, PanelChart};
use app::domain::{AlertState, DateParts, Evaluation};
use app::model::{CheckedRule, Stats, Thresholds, ValueAxis};
use plotters::prelude::{IntoDrawingArea, SVGBackend};

/// Most evaluations a preview replays (they are spread over the window).
const MAX_STEPS: i64 = 600;
/// The drawing's size in pixels.
const SIZE: (u32, u32) = (900, 260);

/// Where `rule` would have fired over `points` (in time order) between
/// `from` and `to`: the stretches, with the worst severity of each.
pub fn replay(rule: &CheckedRule, points: &[(i64, f64)], from: i64, to: i64) -> Vec<NoteSpan> {
    let step = rule.every_ms.max((to - from) / MAX_STEPS).max(1);
    let mut state = AlertState::Normal { since: from };
    let mut spans: Vec<NoteSpan> = Vec::new();
    let mut last_value_at = None;
    let mut t = from + step;
    while t <= to {
        let start = points.partition_point(|p| p.0 < t - rule.window_ms);
        let end = points.partition_point(|p| p.0 <= t);
        let window = &points[start..end];
        if let Some(&(newest, _)) = window.last() {
            last_value_at = Some(newest);
        }
        let stale = window
            .last()
            .is_none_or(|&(newest, _)| t - newest >= rule.logic.no_data_ms);
        let evaluation = match reduce(rule.draft.reducer, &stats_of(window), window) {
            Some(v) if !stale => Evaluation::Value(v),
            _ => Evaluation::NoValue,
        };
        state = state.next(&rule.logic, t, &evaluation, last_value_at);
        match (state.counts_as(rule.no_data_as), spans.last_mut()) {
            (Some(s), Some(open)) if open.end == t - step => {
                open.end = t;
                open.alert = open.alert.max(Some(s));
            }
            (Some(s), _) => spans.push(NoteSpan {
                start: t,
                end: t,
                alert: Some(s),
            }),
            (None, _) => {}
        }
        t += step;
    }
    spans
}

fn stats_of(points: &[(i64, f64)]) -> Stats {
    let values = points.iter().map(|p| p.1);
    Stats {
        count: points.len() as u64,
        min: values.clone().reduce(f64::min),
        max: values.clone().reduce(f64::max),
        avg: (!points.is_empty()).then(|| values.sum::<f64>() / points.len() as f64),
        last: points.last().map(|p| p.1),
    }
}

/// The series drawn with the rule's thresholds and `fired` shaded, as SVG.
pub fn draw(
    rule: &CheckedRule,
    points: &[(i64, f64)],
    unit: Option<&str>,
    from: i64,
    to: i64,
    fired: &[NoteSpan],
) -> String {
    let lines = [ChartLine { points, bucket: None }];
    let chart = PanelChart {
        lines: &lines,
        colors: &[],
        states: None,
        stacked: false,
        right: &[],
        right_unit: None,
        thresholds: Thresholds {
            warn: rule.draft.warning,
            crit: rule.draft.critical,
        },
        notes: fired,
        axis: ValueAxis::default(),
        unit,
        from,
        to,
        theme: &ChartTheme::LIGHT,
        scale: 1.0,
        utc_offset_ms: 0,
        date_parts: &DateParts::from_utc_ms,
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        if draw_panel(&root, &chart).is_err() || root.present().is_err() {
            return String::new();
        }
    }
    svg
}

/// "Would have fired 2 times (critical) in the last 6 hours", or not.
pub fn summary(fired: &[NoteSpan], hours: i64) -> String {
    let worst = fired.iter().filter_map(|s| s.alert).max();
    match (fired.len(), worst) {
        (0, _) | (_, None) => format!("Would not have fired in the last {hours} hours."),
        (n, Some(s)) => format!(
            "Would have fired {n} time{} in the last {hours} hours (at worst {}).",
            if n == 1 { "" } else { "s" },
            s.as_str()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::test_rule::hot_boiler;
    use app::domain::Severity;
    use app::model::AlertRuleDraft;

    fn rule() -> CheckedRule {
        AlertRuleDraft {
            every: Some("10s".into()),
            no_data_after: Some("10m".into()),
            ..hot_boiler()
        }
        .checked()
        .unwrap()
    }

    #[test]
    fn the_replay_finds_each_stretch_over_a_threshold_with_its_worst_severity() {
        // One point a minute for an hour: 85 from minute 10 to 19, 95 at
        // minute 15, 50 otherwise.
        let points: Vec<(i64, f64)> = (0..60)
            .map(|m| {
                let v = match m {
                    15 => 95.0,
                    10..=19 => 85.0,
                    _ => 50.0,
                };
                (m * 60_000, v)
            })
            .collect();
        let fired = replay(&rule(), &points, 0, 3_600_000);
        assert_eq!(fired.len(), 1, "{fired:?}");
        assert_eq!(fired[0].alert, Some(Severity::Critical));
        assert_eq!(fired[0].start, 600_000);
        assert_eq!(fired[0].end, 19 * 60_000 + 50_000);
        assert!(summary(&fired, 1).starts_with("Would have fired 1 time in the last 1 hours (at worst critical)"));
        assert_eq!(summary(&[], 6), "Would not have fired in the last 6 hours.");
        let svg = draw(&rule(), &points, Some("°C"), 0, 3_600_000, &fired);
        assert!(
            svg.starts_with("<svg") && svg.contains("polyline"),
            "{}",
            &svg[..200.min(svg.len())]
        );
    }
}
