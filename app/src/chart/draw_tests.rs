use super::*;

const HOUR_START: i64 = 1_795_428_000_000; // 2026-11-23T10:00:00Z

fn render(points: &[(i64, f64)], from: i64, to: i64) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 240)).into_drawing_area();
        let chart = PanelChart {
            points,
            from,
            to,
            theme: &ChartTheme::LIGHT,
            scale: 1.0,
            utc_offset_ms: 0,
            date_parts: &DateParts::from_utc_ms,
        };
        draw_panel(&root, &chart).unwrap();
        root.present().unwrap();
    }
    svg
}

/// Polylines in the series colour (axes and ticks are polylines too).
fn series_lines(svg: &str) -> usize {
    let colour = format!(
        "stroke=\"#{:02X}{:02X}{:02X}\"",
        ChartTheme::LIGHT.line.0,
        ChartTheme::LIGHT.line.1,
        ChartTheme::LIGHT.line.2
    );
    svg.split("<polyline")
        .skip(1)
        .filter(|tag| tag.split("/>").next().is_some_and(|t| t.contains(&colour)))
        .count()
}

/// The trimmed contents of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>').and_then(|(_, rest)| rest.split_once("</text>")))
        .map(|(content, _)| content.trim().to_owned())
        .collect()
}

fn hour_of_sine() -> Vec<(i64, f64)> {
    (0..3600)
        .step_by(10)
        .map(|s| (HOUR_START + s * 1000, (s as f64 / 300.0).sin() * 5.0 + 20.0))
        .collect()
}

#[test]
fn draws_the_line_with_time_and_value_labels() {
    let svg = render(&hour_of_sine(), HOUR_START, HOUR_START + 3_600_000);
    assert_eq!(series_lines(&svg), 1, "one unbroken line");
    let labels = texts(&svg);
    for tick in ["10:00", "10:10", "10:30", "10:50", "11:00"] {
        assert!(labels.iter().any(|l| l == tick), "missing time tick {tick}: {labels:?}");
    }
    assert!(
        labels.iter().any(|l| l == "16") && labels.iter().any(|l| l == "24"),
        "value labels: {labels:?}"
    );
    assert!(!labels.iter().any(|l| l.contains("No data")));
}

#[test]
fn gaps_break_the_line() {
    let mut points = hour_of_sine();
    points.retain(|p| !(HOUR_START + 1_200_000..HOUR_START + 2_400_000).contains(&p.0));
    let svg = render(&points, HOUR_START, HOUR_START + 3_600_000);
    assert_eq!(series_lines(&svg), 2);
}

#[test]
fn an_empty_window_says_so() {
    let svg = render(&[], HOUR_START, HOUR_START + 3_600_000);
    assert!(texts(&svg).iter().any(|l| l == "No data in this range"));
    assert_eq!(series_lines(&svg), 0);
}

#[test]
fn flat_and_single_point_series_draw() {
    let flat: Vec<(i64, f64)> = (0..10).map(|i| (HOUR_START + i * 60_000, 7.0)).collect();
    assert_eq!(series_lines(&render(&flat, HOUR_START, HOUR_START + 600_000)), 1);
    let single = render(&[(HOUR_START + 5, 1.0)], HOUR_START, HOUR_START + 10);
    assert!(single.contains("<circle"));
}

#[test]
fn value_range_pads_and_never_collapses() {
    assert_eq!(value_range(&[]), (0.0, 1.0));
    assert_eq!(value_range(&[(0, 0.0)]), (-1.0, 1.0));
    let (lo, hi) = value_range(&[(0, 10.0), (1, 20.0), (2, f64::NAN)]);
    assert!(lo < 10.0 && hi > 20.0 && hi < 21.0);
}
