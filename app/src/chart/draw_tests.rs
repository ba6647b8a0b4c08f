use super::*;

const HOUR_START: i64 = 1_795_428_000_000; // 2026-11-23T10:00:00Z

fn render(points: &[(i64, f64)], from: i64, to: i64) -> String {
    render_many(&[points], Thresholds::default(), from, to).0
}

fn render_many(lines: &[&[(i64, f64)]], thresholds: Thresholds, from: i64, to: i64) -> (String, PlotFrame) {
    let lines: Vec<ChartLine> = lines.iter().map(|&points| ChartLine { points, bucket: None }).collect();
    render_lines(&lines, thresholds, from, to)
}

fn render_lines(lines: &[ChartLine], thresholds: Thresholds, from: i64, to: i64) -> (String, PlotFrame) {
    render_on_axis(lines, thresholds, ValueAxis::default(), from, to)
}

fn render_on_axis(
    lines: &[ChartLine],
    thresholds: Thresholds,
    axis: ValueAxis,
    from: i64,
    to: i64,
) -> (String, PlotFrame) {
    render_noted(lines, thresholds, axis, &[], (from, to))
}

fn render_noted(
    lines: &[ChartLine],
    thresholds: Thresholds,
    axis: ValueAxis,
    notes: &[NoteSpan],
    (from, to): (i64, i64),
) -> (String, PlotFrame) {
    render_chart(lines, (from, to), |chart| {
        chart.thresholds = thresholds;
        chart.axis = axis;
        chart.notes = notes;
    })
}

/// Draws `lines` over `[from, to]` as an 800 × 240 SVG: a plain light
/// chart in °C, as `set` changes it.
fn render_chart<'a>(
    lines: &'a [ChartLine<'a>],
    (from, to): (i64, i64),
    set: impl FnOnce(&mut PanelChart<'a>),
) -> (String, PlotFrame) {
    let mut chart = PanelChart {
        lines,
        colors: &[],
        states: None,
        stacked: false,
        right: &[],
        right_unit: None,
        thresholds: Thresholds::default(),
        notes: &[],
        axis: ValueAxis::default(),
        unit: Some("°C"),
        from,
        to,
        theme: &ChartTheme::LIGHT,
        scale: 1.0,
        utc_offset_ms: 0,
        date_parts: &DateParts::from_utc_ms,
    };
    set(&mut chart);
    let mut svg = String::new();
    let frame;
    {
        let root = SVGBackend::with_string(&mut svg, (800, 240)).into_drawing_area();
        frame = draw_panel(&root, &chart).unwrap();
        root.present().unwrap();
    }
    (svg, frame)
}

/// Polylines in the first series' colour (axes and ticks are polylines too).
fn series_lines(svg: &str) -> usize {
    lines_in(svg, ChartTheme::LIGHT.line(0))
}

fn lines_in(svg: &str, c: plotters::style::RGBColor) -> usize {
    let colour = format!("stroke=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
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
    assert!(
        labels.iter().any(|l| l == "°C"),
        "the unit along the value axis: {labels:?}"
    );
}

#[test]
fn gaps_break_the_line() {
    let mut points = hour_of_sine();
    points.retain(|p| !(HOUR_START + 1_200_000..HOUR_START + 2_400_000).contains(&p.0));
    let svg = render(&points, HOUR_START, HOUR_START + 3_600_000);
    assert_eq!(series_lines(&svg), 2);
}

#[test]
fn a_bucketed_answer_breaks_only_at_empty_buckets() {
    // Min-max pairs of 5-minute buckets, both extremes early in each bucket
    // but one: the pairs are far apart, yet no bucket is empty until 10:30.
    let bucket = 300_000;
    let mut points = Vec::new();
    for b in (0..12).filter(|b| !(6..8).contains(b)) {
        let start = HOUR_START + b * bucket;
        let late = if b == 3 { 290_000 } else { 20_000 };
        points.extend([(start + 1_000, 1.0), (start + late, 2.0)]);
    }
    let line = [ChartLine {
        points: &points,
        bucket: Some(bucket),
    }];
    let (svg, _) = render_lines(&line, Thresholds::default(), HOUR_START, HOUR_START + 3_600_000);
    assert_eq!(series_lines(&svg), 2, "broken once, at the two empty buckets");
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
fn several_series_take_their_own_colours_and_share_the_axes() {
    let a = hour_of_sine();
    let b: Vec<(i64, f64)> = a.iter().map(|&(t, v)| (t, v + 30.0)).collect();
    let (svg, frame) = render_many(&[&a, &b], Thresholds::default(), HOUR_START, HOUR_START + 3_600_000);
    assert_eq!(lines_in(&svg, ChartTheme::LIGHT.line(0)), 1);
    assert_eq!(lines_in(&svg, ChartTheme::LIGHT.line(1)), 1);
    assert!(frame.y_min < 16.0 && frame.y_max > 54.0, "{frame:?}");
}

#[test]
fn thresholds_in_range_are_dashed_lines_in_their_colours() {
    let a = hour_of_sine();
    let t = Thresholds {
        warn: Some(22.0),
        crit: Some(1_000.0),
    };
    let (svg, _) = render_many(&[&a], t, HOUR_START, HOUR_START + 3_600_000);
    assert!(lines_in(&svg, ChartTheme::LIGHT.warn) >= 2, "dashes of the warn line");
    assert_eq!(lines_in(&svg, ChartTheme::LIGHT.crit), 0, "crit is off the chart");
}

#[test]
fn the_frame_maps_the_plot_area_back_to_times() {
    let (_, frame) = render_many(
        &[&hour_of_sine()],
        Thresholds::default(),
        HOUR_START,
        HOUR_START + 3_600_000,
    );
    assert!(
        frame.left > 40.0 && frame.right <= 800.0 && frame.top >= 0.0 && frame.bottom < 240.0,
        "{frame:?}"
    );
    assert_eq!(frame.time_at(frame.left), HOUR_START);
    assert_eq!(frame.time_at(frame.right), HOUR_START + 3_600_000);
}

/// The x position and text of every `<text>` element.
fn placed_texts(svg: &str) -> Vec<(f64, String)> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let x = t.split("x=\"").nth(1)?.split('"').next()?.parse().ok()?;
            let (_, rest) = t.split_once('>')?;
            Some((x, rest.split_once("</text>")?.0.trim().to_owned()))
        })
        .collect()
}

#[test]
fn a_tick_at_the_right_edge_keeps_its_whole_label() {
    // 10:00 to 14:00: a tick falls exactly on the right edge.
    let to = HOUR_START + 4 * 3_600_000;
    let points: Vec<(i64, f64)> = (0..=240).map(|m| (HOUR_START + m * 60_000, m as f64)).collect();
    let svg = render(&points, HOUR_START, to);
    let (x, _) = placed_texts(&svg)
        .into_iter()
        .find(|(_, t)| t == "14:00")
        .expect("the last tick is labelled");
    // Centred on its tick: five characters of a 13 px font need ~18 px each side.
    assert!(x + 18.0 <= 800.0, "14:00 is centred at {x} of 800 px");
}

/// The y coordinates of every point of the polylines in colour `c`.
fn ys_in(svg: &str, c: plotters::style::RGBColor) -> Vec<f64> {
    let colour = format!("stroke=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
    svg.split("<polyline")
        .skip(1)
        .filter_map(|tag| tag.split("/>").next().filter(|t| t.contains(&colour)))
        .filter_map(|t| t.split("points=\"").nth(1)?.split('"').next())
        .flat_map(|pts| {
            pts.split(' ')
                .filter_map(|p| p.split(',').nth(1)?.parse().ok())
                .collect::<Vec<f64>>()
        })
        .collect()
}

#[test]
fn fixed_bounds_set_the_axis_and_lines_beyond_them_stay_inside_the_plot() {
    let points: Vec<(i64, f64)> = (0..60)
        .map(|i| (HOUR_START + i * 60_000, f64::from(i as i32 % 30)))
        .collect();
    let line = [ChartLine {
        points: &points,
        bucket: None,
    }];
    let axis = ValueAxis {
        min: Some(0.0),
        max: Some(20.0),
        log: false,
    };
    let (svg, frame) = render_on_axis(&line, Thresholds::default(), axis, HOUR_START, HOUR_START + 3_600_000);
    assert_eq!((frame.y_min, frame.y_max), (0.0, 20.0));
    assert!(texts(&svg).iter().any(|t| t == "20"), "{:?}", texts(&svg));
    let ys = ys_in(&svg, ChartTheme::LIGHT.line(0));
    assert!(!ys.is_empty());
    assert!(
        ys.iter().all(|y| (frame.top - 1.0..=frame.bottom + 1.0).contains(y)),
        "{ys:?} {frame:?}"
    );
}

#[test]
fn a_log_axis_spaces_decades_equally_and_leaves_out_values_at_or_below_zero() {
    let points: Vec<(i64, f64)> = [1.0, 10.0, 100.0, 1000.0, 0.0, -3.0]
        .iter()
        .enumerate()
        .map(|(i, v)| (HOUR_START + i as i64 * 600_000, *v))
        .collect();
    let line = [ChartLine {
        points: &points,
        bucket: None,
    }];
    let axis = ValueAxis {
        log: true,
        ..ValueAxis::default()
    };
    let (svg, frame) = render_on_axis(&line, Thresholds::default(), axis, HOUR_START, HOUR_START + 3_600_000);
    assert!(frame.y_min < 1.0 && frame.y_max > 1000.0, "{frame:?}");
    let mut ys = ys_in(&svg, ChartTheme::LIGHT.line(0));
    assert_eq!(ys.len(), 4, "the two points at or below zero are not drawn");
    ys.dedup();
    let gaps: Vec<f64> = ys.windows(2).map(|w| w[0] - w[1]).collect();
    assert!(
        gaps.iter().all(|g| (g - gaps[0]).abs() < 1.5),
        "one decade, one step: {gaps:?}"
    );
}

#[test]
fn annotations_draw_hairlines_and_shaded_ranges_inside_the_window() {
    let sine = hour_of_sine();
    let line = [ChartLine {
        points: &sine,
        bucket: None,
    }];
    let (from, to) = (HOUR_START, HOUR_START + 3_600_000);
    let note = |start, end| NoteSpan {
        start,
        end,
        alert: None,
    };
    let notes = [
        note(from + 600_000, from + 600_000),
        note(from + 1_200_000, from + 1_800_000),
        note(to + 1, to + 5_000),
    ];
    let (svg, _) = render_noted(&line, Thresholds::default(), ValueAxis::default(), &notes, (from, to));
    let n = ChartTheme::LIGHT.note;
    let colour = format!("#{:02X}{:02X}{:02X}", n.0, n.1, n.2);
    let bands = |svg: &str| {
        let tags = svg.split("<rect").skip(1).filter_map(|r| r.split("/>").next());
        tags.filter(|t| t.contains(&colour)).count()
    };
    assert!(lines_in(&svg, n) > 0, "dashed hairlines");
    assert_eq!(bands(&svg), 1, "the range is shaded");
    assert_eq!(series_lines(&svg), 1, "the data is still drawn");
    let (outside, _) = render_noted(
        &line,
        Thresholds::default(),
        ValueAxis::default(),
        &notes[2..],
        (from, to),
    );
    assert_eq!(
        (lines_in(&outside, n), bands(&outside)),
        (0, 0),
        "nothing of a note past the window"
    );
}

#[test]
fn a_state_timeline_fills_rows_in_the_mapped_colours_and_lines_take_their_colours() {
    let (from, to) = (HOUR_START, HOUR_START + 3_600_000);
    let pump: Vec<(i64, f64)> = (0..60)
        .map(|m| (from + m * 60_000, if m < 30 { 0.0 } else { 1.0 }))
        .collect();
    let lines = [ChartLine {
        points: &pump,
        bucket: Some(60_000),
    }];
    let mappings = [
        ValueMapping {
            value: 0.0,
            text: "off".into(),
            color: Some("#111111".into()),
        },
        ValueMapping {
            value: 1.0,
            text: "on".into(),
            color: Some("#16a34a".into()),
        },
    ];
    let (svg, _) = render_chart(&lines, (from, to), |chart| {
        chart.colors = &[Some(plotters::style::RGBColor(0xdc, 0x26, 0x26))];
        chart.states = Some(&mappings);
        chart.thresholds = Thresholds {
            warn: Some(0.5),
            crit: None,
        };
        chart.unit = None;
    });
    let rects = |colour: &str| {
        svg.split("<rect")
            .skip(1)
            .filter(|r| r.split("/>").next().is_some_and(|t| t.contains(colour)))
            .count()
    };
    assert_eq!((rects("#111111"), rects("#16A34A")), (1, 1), "one stretch off, one on");
    assert_eq!(
        lines_in(&svg, plotters::style::RGBColor(0xdc, 0x26, 0x26)),
        0,
        "no line on a timeline"
    );
    assert_eq!(lines_in(&svg, ChartTheme::LIGHT.warn), 0, "no threshold either");

    let colored = [ChartLine {
        points: &pump,
        bucket: None,
    }];
    let (svg, _) = render_chart(&colored, (from, to), |chart| {
        chart.colors = &[Some(plotters::style::RGBColor(0xdc, 0x26, 0x26))];
        chart.unit = None;
    });
    assert_eq!(
        lines_in(&svg, plotters::style::RGBColor(0xdc, 0x26, 0x26)),
        1,
        "the line in its own colour"
    );
    assert_eq!(series_lines(&svg), 0, "not in the theme's");
}

#[test]
fn stacked_lines_fill_areas_up_to_their_sum() {
    let (from, to) = (HOUR_START, HOUR_START + 3_600_000);
    let low: Vec<(i64, f64)> = (0..60).map(|m| (from + m * 60_000, 10.0)).collect();
    let high: Vec<(i64, f64)> = (0..60).map(|m| (from + m * 60_000, 20.0)).collect();
    let lines = [
        ChartLine {
            points: &low,
            bucket: Some(60_000),
        },
        ChartLine {
            points: &high,
            bucket: Some(60_000),
        },
    ];
    let (svg, frame) = render_chart(&lines, (from, to), |chart| {
        chart.stacked = true;
        chart.unit = None;
    });
    assert!(
        frame.y_min <= 0.0 && frame.y_max >= 30.0 && frame.y_max < 33.0,
        "{frame:?}"
    );
    let fills = |c: plotters::style::RGBColor| {
        let fill = blend(c, ChartTheme::LIGHT.background, AREA_OPACITY);
        let colour = format!("fill=\"#{:02X}{:02X}{:02X}\"", fill.0, fill.1, fill.2);
        svg.matches(&colour).count()
    };
    assert_eq!(
        (fills(ChartTheme::LIGHT.line(0)), fills(ChartTheme::LIGHT.line(1))),
        (1, 1),
        "an area each"
    );
}

#[test]
fn a_line_on_the_right_axis_has_its_own_scale_and_unit() {
    let (from, to) = (HOUR_START, HOUR_START + 3_600_000);
    let temp: Vec<(i64, f64)> = (0..60).map(|m| (from + m * 60_000, 20.0 + (m % 3) as f64)).collect();
    let power: Vec<(i64, f64)> = (0..60)
        .map(|m| (from + m * 60_000, 1_000.0 + (m % 5) as f64 * 100.0))
        .collect();
    let lines = [
        ChartLine {
            points: &temp,
            bucket: None,
        },
        ChartLine {
            points: &power,
            bucket: None,
        },
    ];
    let (svg, frame) = render_chart(&lines, (from, to), |chart| {
        chart.right = &[false, true];
        chart.right_unit = Some("W");
    });
    assert!(
        frame.y_max < 30.0,
        "the left axis fits the temperature alone: {frame:?}"
    );
    let labels = texts(&svg);
    assert!(labels.iter().any(|l| l == "°C"), "{labels:?}");
    let big = labels
        .iter()
        .filter_map(|l| l.strip_suffix(" W")?.parse::<f64>().ok())
        .filter(|v| *v >= 1_000.0)
        .count();
    assert!(big >= 2, "right-hand ticks in watts: {labels:?}");
    assert_eq!(lines_in(&svg, ChartTheme::LIGHT.line(1)), 1, "the right line is drawn");
}
