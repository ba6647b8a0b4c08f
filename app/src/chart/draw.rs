//! `draw_panel`: axes, round time ticks, value labels, annotations
//! (shaded ranges, hairlines at instants) behind the data, one line per
//! series broken at gaps, dashed threshold lines, and an explicit message
//! when the window holds nothing.

use super::stacking::stack_lines;
use super::states::{state_colour, state_runs};
use super::value_scale::ValueScale;
use super::{ChartTheme, PlotFrame};
use crate::domain::{format_tick, format_time_label, split_at_gaps, time_ticks, DateParts, Severity};
use crate::model::{Thresholds, ValueAxis, ValueMapping};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One series as drawn.
#[derive(Debug, Clone, Copy)]
pub struct ChartLine<'a> {
    /// `(t_ms, value)` in time order.
    pub points: &'a [(i64, f64)],
    /// The grid the points were reduced on, which says where data is
    /// missing (see `domain::split_at_gaps`).
    pub bucket: Option<i64>,
}

/// Everything one drawing needs; borrowed, so a redraw allocates little.
pub struct PanelChart<'a> {
    /// One line per series; the n-th takes `colors[n]`, else the theme's
    /// n-th colour.
    pub lines: &'a [ChartLine<'a>],
    pub colors: &'a [Option<RGBColor>],
    /// Drawn as a state timeline (a row per line, coloured by these
    /// mappings) rather than as lines.
    pub states: Option<&'a [ValueMapping]>,
    /// Lines stacked as areas (not on a log axis).
    pub stacked: bool,
    /// Per line, whether it is read against the right-hand axis.
    pub right: &'a [bool],
    /// Written along the right-hand axis.
    pub right_unit: Option<&'a str>,
    pub thresholds: Thresholds,
    /// Annotated times and alerts' firing periods.
    pub notes: &'a [NoteSpan],
    /// Fixed bounds and the log scale, if the panel asks for them.
    pub axis: ValueAxis,
    /// Written along the value axis.
    pub unit: Option<&'a str>,
    pub from: i64,
    pub to: i64,
    pub theme: &'a ChartTheme,
    /// Device pixels per CSS pixel; text and strokes scale with it so the
    /// chart looks the same on any screen.
    pub scale: f64,
    /// The viewer's offset from UTC, so ticks land on local round times.
    pub utc_offset_ms: i64,
    /// Wall-clock breakdown of a time, in the viewer's zone.
    pub date_parts: &'a dyn Fn(i64) -> DateParts,
}

type DrawResult<DB, T> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A note on the time axis: `(start, end)` in ms (equal for an instant),
/// and for an alert's firing period its severity, which colours it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoteSpan {
    pub start: i64,
    pub end: i64,
    pub alert: Option<Severity>,
}

/// Draws the whole panel onto `area`, replacing what was there, and says
/// where the plot landed (in the area's pixels divided by `scale`).
pub fn draw_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &PanelChart) -> DrawResult<DB, PlotFrame> {
    let theme = chart.theme;
    let s = chart.scale.max(0.5);
    let px = |css: f64| (css * s).round() as u32;
    area.fill(&theme.background)?;
    let (width, height) = area.dim_in_pixel();
    let label_font = ("sans-serif", 13.0 * s).into_font().color(&theme.text);

    let (from, to) = (chart.from, chart.to.max(chart.from + 1));
    let max_ticks = (f64::from(width) / (90.0 * s)).max(2.0) as usize;
    let (ticks, step) = time_ticks(from, to, max_ticks, chart.utc_offset_ms);
    let scale = ValueScale { log: chart.axis.log };
    let stacked = chart.stacked && !chart.axis.log && chart.states.is_none();
    let plotted = if stacked {
        let raw: Vec<&[(i64, f64)]> = chart.lines.iter().map(|l| l.points).collect();
        stack_lines(&raw).into_iter().map(std::borrow::Cow::Owned).collect()
    } else {
        scale.lines(chart.lines)
    };
    // Stacked areas stand on zero.
    let floor = [(from, 0.0)];
    let floor = if stacked { &floor[..] } else { &[] };
    let on_right = |n: usize| !stacked && chart.states.is_none() && chart.right.get(n).copied().unwrap_or(false);
    let has_right = (0..chart.lines.len()).any(on_right);
    let side = |right: bool| {
        plotted
            .iter()
            .enumerate()
            .filter(move |(n, _)| on_right(*n) == right)
            .flat_map(|(_, p)| p.iter())
    };
    let (y_min, y_max) = match chart.states {
        // Rows from the top: line n between n and n + 1 below the top.
        Some(_) => (-(chart.lines.len().max(1) as f64), 0.0),
        None => scale.range(chart.axis, side(false).chain(floor)),
    };
    let (y2_min, y2_max) = scale.range(ValueAxis::default(), side(true));

    let y_axis = px(if chart.unit.is_some() { 64.0 } else { 48.0 });
    let x_label = |t: &i64| format_time_label((chart.date_parts)(*t), step);
    let right = right_margin(&ticks, (from, to), width.saturating_sub(y_axis), &x_label, 13.0 * s, px);
    let mut plot = ChartBuilder::on(area)
        .margin_top(px(8.0))
        .margin_right(right)
        .x_label_area_size(px(22.0))
        .y_label_area_size(y_axis)
        .right_y_label_area_size(if has_right { y_axis } else { 0 })
        .build_cartesian_2d((from..to).with_key_points(ticks), y_min..y_max)?
        .set_secondary_coord(from..to, y2_min..y2_max);

    let y_labels = (f64::from(height) / (36.0 * s)).max(2.0) as usize;
    let y_step = (y_max - y_min) / y_labels as f64;
    let y_label = |v: &f64| {
        let value = scale.value_at(*v);
        // On a log axis the step between labels grows with the value.
        let step = if scale.log {
            value * (10f64.powf(y_step) - 1.0)
        } else {
            y_step
        };
        format_tick(value, step)
    };
    let mut mesh = plot.configure_mesh();
    if let Some(unit) = chart.unit {
        mesh.y_desc(unit);
    }
    mesh.bold_line_style(theme.grid.stroke_width(px(1.0)))
        .light_line_style(TRANSPARENT)
        .axis_style(theme.axis.stroke_width(px(1.0)))
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .y_labels(if chart.states.is_some() { 0 } else { y_labels })
        .label_style(label_font.clone())
        .draw()?;
    if has_right {
        let y2_step = (y2_max - y2_min) / y_labels as f64;
        let y2_label = |v: &f64| {
            let value = scale.value_at(*v);
            let step = if scale.log {
                value * (10f64.powf(y2_step) - 1.0)
            } else {
                y2_step
            };
            // The unit follows each value: a rotated title there would
            // overlap the labels, which are not measured (below).
            match chart.right_unit {
                Some(unit) => format!("{} {unit}", format_tick(value, step)),
                None => format_tick(value, step),
            }
        };
        // Ticks pointing in: with outward ones plotters measures the
        // labels in the browser through an inline style, which the CSP refuses.
        plot.configure_secondary_axes()
            .set_all_tick_mark_size(-(px(4.0) as i32))
            .axis_style(theme.axis.stroke_width(px(1.0)))
            .y_labels(y_labels)
            .y_label_formatter(&y2_label)
            .label_style(label_font.clone())
            .draw()?;
    }

    for note in chart.notes.iter().filter(|n| n.end >= from && n.start <= to) {
        let (start, end) = (note.start.max(from), note.end.min(to));
        let colour = match note.alert {
            None => theme.note,
            Some(Severity::Warning) => theme.warn,
            Some(Severity::Critical) => theme.crit,
        };
        if end > start {
            let band = colour.mix(0.14).filled();
            plot.draw_series(std::iter::once(Rectangle::new([(start, y_min), (end, y_max)], band)))?;
        }
        let edge = colour.stroke_width(px(1.0).max(1));
        for t in [start, end].into_iter().take(if end > start { 2 } else { 1 }) {
            plot.draw_series(DashedLineSeries::new([(t, y_min), (t, y_max)], px(3.0), px(3.0), edge))?;
        }
    }

    if let Some(mappings) = chart.states {
        for (n, line) in chart.lines.iter().enumerate() {
            let (top, bottom) = (-(n as f64) - 0.1, -(n as f64) - 0.9);
            for (start, end, v) in state_runs(line.points, line.bucket) {
                let (start, end) = (start.max(from), end.min(to));
                if end > start {
                    let fill = state_colour(mappings, v, theme).filled();
                    plot.draw_series(std::iter::once(Rectangle::new([(start, top), (end, bottom)], fill)))?;
                }
            }
        }
    }
    let levels = if chart.states.is_some() {
        [(None, theme.warn), (None, theme.crit)]
    } else {
        [(chart.thresholds.warn, theme.warn), (chart.thresholds.crit, theme.crit)]
    };
    for (value, colour) in levels {
        let Some(v) = value
            .and_then(|v| scale.to_plot(v))
            .filter(|v| (y_min..=y_max).contains(v))
        else {
            continue;
        };
        let style = colour.stroke_width(px(1.5).max(1));
        plot.draw_series(DashedLineSeries::new([(from, v), (to, v)], px(6.0), px(4.0), style))?;
    }

    if stacked {
        // From the top edge down: each lower area paints over the one above.
        for (n, (series, points)) in chart.lines.iter().zip(&plotted).enumerate().rev() {
            let colour = chart.colors.get(n).copied().flatten().unwrap_or(theme.line(n));
            let fill = blend(colour, theme.background, AREA_OPACITY);
            for run in split_at_gaps(points, series.bucket) {
                let area = AreaSeries::new(run.iter().copied(), 0.0, fill.filled());
                plot.draw_series(area.border_style(colour.stroke_width(px(1.5).max(1))))?;
            }
        }
    }
    let drawn_as_lines = if chart.states.is_some() || stacked {
        0
    } else {
        chart.lines.len()
    };
    for (n, (series, points)) in chart.lines.iter().zip(&plotted).enumerate().take(drawn_as_lines) {
        let colour = chart.colors.get(n).copied().flatten().unwrap_or(theme.line(n));
        let line = colour.stroke_width(px(1.5).max(1));
        for run in split_at_gaps(points, series.bucket) {
            match (run.len() == 1, on_right(n)) {
                (true, false) => plot.draw_series(std::iter::once(Circle::new(run[0], px(1.5), line.filled())))?,
                (true, true) => {
                    plot.draw_secondary_series(std::iter::once(Circle::new(run[0], px(1.5), line.filled())))?
                }
                (false, false) => plot.draw_series(LineSeries::new(run.iter().copied(), line))?,
                (false, true) => plot.draw_secondary_series(LineSeries::new(run.iter().copied(), line))?,
            };
        }
    }

    let (xs, ys) = plot.plotting_area().get_pixel_range();
    let frame = PlotFrame {
        left: f64::from(xs.start) / s,
        right: f64::from(xs.end) / s,
        top: f64::from(ys.start) / s,
        bottom: f64::from(ys.end) / s,
        from,
        to,
        y_min: scale.value_at(y_min),
        y_max: scale.value_at(y_max),
        right_span: has_right.then(|| scale.value_at(y2_max) - scale.value_at(y2_min)),
    };
    if plotted.iter().all(|p| p.is_empty()) {
        let centre = Pos::new(HPos::Center, VPos::Center);
        let style = ("sans-serif", 16.0 * s).into_font().color(&theme.text).pos(centre);
        area.draw_text("No data in this range", &style, (width as i32 / 2, height as i32 / 2))?;
    }
    Ok(frame)
}

/// How much of a line's colour a stacked area's fill takes (the rest is
/// the background): opaque, so the areas below never show through.
const AREA_OPACITY: f64 = 0.45;

fn blend(c: RGBColor, bg: RGBColor, share: f64) -> RGBColor {
    let mix = |a: u8, b: u8| (f64::from(a) * share + f64::from(b) * (1.0 - share)).round() as u8;
    RGBColor(mix(c.0, bg.0), mix(c.1, bg.1), mix(c.2, bg.2))
}

/// Width of a time label's character, in font sizes: enough for digits,
/// colons and month names in a sans-serif face. An estimate, not a
/// measurement: measuring text in the browser makes plotters add an
/// element with an inline style, which the page's CSP refuses.
const LABEL_CHAR_EM: f64 = 0.62;

/// The plot's right margin in device pixels: the usual air, or, when the
/// last time tick lies near the right edge, room for half its label (a
/// label is centred on its tick), so it is never cut off.
fn right_margin(
    ticks: &[i64],
    (from, to): (i64, i64),
    plot_width: u32,
    label: &dyn Fn(&i64) -> String,
    font_px: f64,
    px: impl Fn(f64) -> u32,
) -> u32 {
    let air = px(12.0);
    let Some(last) = ticks.iter().copied().filter(|t| (from..=to).contains(t)).max() else {
        return air;
    };
    let half = (label(&last).chars().count() as f64 * font_px * LABEL_CHAR_EM / 2.0).ceil() as u32 + px(2.0);
    let from_edge = (to - last) as f64 / (to - from).max(1) as f64 * f64::from(plot_width.saturating_sub(air));
    if from_edge >= f64::from(half) {
        return air;
    }
    air.max(half.saturating_sub(from_edge as u32))
}

#[cfg(test)]
#[path = "draw_tests.rs"]
mod tests;
