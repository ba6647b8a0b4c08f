//! Dashboards as the API stores them: a title and ordered panels, each
//! charting one or several series with an optional unit and thresholds.

use super::{
    check_variables, Agg, AggregateOp, DashboardVariable, ErrorBody, QueryRequest, RankStat, Transform, MAX_LINES,
};
use crate::domain::{parse_hex_color, Selector};
use serde::{Deserialize, Serialize};

/// Most panels one dashboard may hold; a poll asks for every series of
/// every panel in one batch, so this also bounds the batch.
pub const MAX_PANELS: usize = 32;
/// Most series one panel may chart.
pub const MAX_PANEL_SERIES: usize = 8;
/// Longest title, in characters, of a dashboard or a panel.
pub const MAX_TITLE_CHARS: usize = 200;
/// Columns of the dashboard's grid; a panel spans 1 to this many.
pub const GRID_COLUMNS: u8 = 12;
/// Chart heights a panel may ask for, CSS pixels.
pub const PANEL_HEIGHTS_PX: std::ops::RangeInclusive<u16> = 120..=1200;
/// Most value mappings one panel may have.
pub const MAX_MAPPINGS: usize = 32;
/// Longest text a value maps to, in characters.
pub const MAX_MAPPING_CHARS: usize = 32;
/// Most line colours one panel may set.
pub const MAX_PANEL_COLORS: usize = 20;
/// Longest series key a panel may name, in bytes (a key with the most
/// labels a write allows is longer, but no chart needs one).
pub const MAX_SERIES_KEY_BYTES: usize = 8_192;

/// Lines drawn across a panel; a value beyond one colours the panel.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// At or above this the panel shows a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn: Option<f64>,
    /// At or above this the panel shows a critical state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crit: Option<f64>,
}

/// How a panel's latest values stand against its thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PanelLevel {
    Ok,
    Warn,
    Crit,
}

impl Thresholds {
    /// The level of `value`: crit wins over warn; no value is `Ok`.
    pub fn level(&self, value: Option<f64>) -> PanelLevel {
        let Some(v) = value else { return PanelLevel::Ok };
        if self.crit.is_some_and(|c| v >= c) {
            PanelLevel::Crit
        } else if self.warn.is_some_and(|w| v >= w) {
            PanelLevel::Warn
        } else {
            PanelLevel::Ok
        }
    }
}

/// The value axis of a chart: bounds that do not follow the data, and a
/// logarithmic scale for values spanning decades.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ValueAxis {
    /// The axis' lowest value; the data's (with some air) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// The axis' highest value; the data's (with some air) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Powers of ten equally spaced; values at or below zero are not drawn.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub log: bool,
}

impl ValueAxis {
    pub fn is_default(&self) -> bool {
        *self == ValueAxis::default()
    }
}

/// How a panel shows its lines.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PanelKind {
    /// Lines over time, with legend, crosshair and zoom.
    #[default]
    Chart,
    /// Each line's latest value as a big number over a sparkline of the
    /// window, coloured by the thresholds.
    Stat,
    /// A table of the lines: latest value and time, min, avg and max.
    Table,
    /// Each line's latest value on a half-circle dial from the axis'
    /// minimum (0 when unset) to its maximum (the thresholds' or the
    /// window's highest when unset), coloured by the thresholds.
    Gauge,
    /// One row per line, coloured by its value's mapping over time: for
    /// states (on/off, idle/running/fault).
    Timeline,
}

impl PanelKind {
    pub fn is_chart(&self) -> bool {
        *self == PanelKind::Chart
    }

    /// The name the API and the editor use.
    pub fn as_str(self) -> &'static str {
        match self {
            PanelKind::Chart => "chart",
            PanelKind::Stat => "stat",
            PanelKind::Table => "table",
            PanelKind::Gauge => "gauge",
            PanelKind::Timeline => "timeline",
        }
    }

    /// Every kind, in the editor's order.
    pub const ALL: [PanelKind; 5] = [
        PanelKind::Chart,
        PanelKind::Stat,
        PanelKind::Table,
        PanelKind::Gauge,
        PanelKind::Timeline,
    ];

    /// Whether it draws over time on a canvas (zoom, crosshair, readout).
    pub fn is_timed(&self) -> bool {
        matches!(self, PanelKind::Chart | PanelKind::Timeline)
    }
}

/// A value shown as a word, in a colour: `0` as `off`, `1` as `on`
/// (Grafana's value mappings). Stats, tables, gauges, readouts and the
/// state timeline show the text; the timeline and the stat use the colour.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueMapping {
    pub value: f64,
    pub text: String,
    /// `#rrggbb`; the theme's n-th line colour for the n-th mapping when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

/// One chart of a dashboard.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelSpec {
    pub title: String,
    /// A chart unless said otherwise.
    #[serde(default, skip_serializing_if = "PanelKind::is_chart")]
    pub kind: PanelKind,
    /// Series keys, drawn in this order (the legend follows it); empty
    /// for a panel over a selection.
    #[serde(default)]
    pub series: Vec<String>,
    /// Many series by selector, in place of `series`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<PanelSelection>,
    /// Shown after values; the first series' unit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Columns of the dashboard's 12 the panel spans on a wide screen;
    /// the screen's default (half, a third or a quarter) when absent.
    /// Narrow screens give every panel the whole width.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u8>,
    /// Height of the chart in CSS pixels (120 to 1200); 220 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u16>,
    #[serde(default, skip_serializing_if = "ValueAxis::is_default")]
    pub axis: ValueAxis,
    /// Rate, derivative, difference or moving average of every line,
    /// computed by the server before the lines are reduced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<Transform>,
    /// Values shown as words (and colours), checked in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mappings: Vec<ValueMapping>,
    /// `#rrggbb` per line, in line order; an empty one keeps the theme's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub colors: Vec<String>,
    /// A chart's lines stacked as areas, each on the ones before it (the
    /// top edge is their sum); asked as bucket means on one time grid.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stack: bool,
    /// Lines (0-based, in line order) read against a second value axis
    /// on the right, with their own scale and unit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub right_axis: Vec<usize>,
}

/// A panel over many series: the selector and how its lines are made, as
/// a query by selector takes them (see [`QueryRequest`]).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PanelSelection {
    pub select: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<AggregateOp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<RankStat>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bottom: bool,
}

impl PanelSpec {
    /// The queries a poll asks for this panel (window and width left to
    /// the caller): one per series, or one for the selection.
    pub fn queries(&self) -> Vec<QueryRequest> {
        match &self.selection {
            Some(s) => vec![QueryRequest {
                select: Some(s.select.clone()),
                aggregate: s.aggregate,
                by: s.by.clone(),
                lines: s.lines,
                rank: s.rank,
                bottom: s.bottom,
                transform: self.transform,
                agg: self.agg(),
                ..QueryRequest::default()
            }],
            None => self
                .series
                .iter()
                .map(|key| QueryRequest {
                    series: key.clone(),
                    transform: self.transform,
                    agg: self.agg(),
                    ..QueryRequest::default()
                })
                .collect(),
        }
    }

    /// How its answers are reduced: min-max (no extreme hidden), or bucket
    /// means on one grid when stacked (stacked min-max pairs would not line up).
    fn agg(&self) -> Agg {
        if self.stack {
            Agg::Avg
        } else {
            Agg::Auto
        }
    }

    /// A name for the panel's data: its first series or its selector.
    pub fn first_name(&self) -> &str {
        match &self.selection {
            Some(s) => &s.select,
            None => self.series.first().map_or("", String::as_str),
        }
    }
}

/// What a client sends to create or replace a dashboard.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardDraft {
    pub title: String,
    #[serde(default)]
    pub panels: Vec<PanelSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<DashboardVariable>,
}

/// A stored dashboard.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub id: i64,
    pub title: String,
    pub panels: Vec<PanelSpec>,
    /// Values chosen at the top of the dashboard, used in its panels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<DashboardVariable>,
    /// Last change, epoch milliseconds.
    pub updated: i64,
}

impl DashboardDraft {
    /// The draft with titles trimmed, or the first thing wrong with it,
    /// naming the panel by its position (1-based, as the editor shows it).
    pub fn validated(mut self) -> Result<DashboardDraft, ErrorBody> {
        self.title = checked_title(&self.title, "dashboard title")?;
        if self.panels.len() > MAX_PANELS {
            return Err(invalid(format!(
                "a dashboard holds at most {MAX_PANELS} panels, this one has {}",
                self.panels.len()
            )));
        }
        check_variables(&self.variables).map_err(invalid)?;
        for (i, panel) in self.panels.iter_mut().enumerate() {
            let at = format!("panel {}", i + 1);
            panel.title = checked_title(&panel.title, &format!("{at}: title"))?;
            if let Some(selection) = &panel.selection {
                check_selection(selection, &panel.series, &at)?;
            } else if panel.series.is_empty() || panel.series.len() > MAX_PANEL_SERIES {
                return Err(invalid(format!(
                    "{at}: a panel charts 1 to {MAX_PANEL_SERIES} series, not {}",
                    panel.series.len()
                )));
            }
            if let Some(bad) = panel.series.iter().position(|s| s.trim().is_empty()) {
                return Err(invalid(format!("{at}: series {} has an empty key", bad + 1)));
            }
            if let Some(bad) = panel.series.iter().position(|s| s.len() > MAX_SERIES_KEY_BYTES) {
                return Err(invalid(format!(
                    "{at}: the key of series {} is longer than {MAX_SERIES_KEY_BYTES} bytes",
                    bad + 1
                )));
            }
            panel.unit = panel.unit.take().map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
            if panel.unit.as_ref().is_some_and(|u| u.chars().count() > 32) {
                return Err(invalid(format!("{at}: the unit is longer than 32 characters")));
            }
            if panel.width.is_some_and(|w| w == 0 || w > GRID_COLUMNS) {
                return Err(invalid(format!("{at}: width must be from 1 to {GRID_COLUMNS} columns")));
            }
            if panel.height.is_some_and(|h| !PANEL_HEIGHTS_PX.contains(&h)) {
                return Err(invalid(format!(
                    "{at}: height must be from {} to {} pixels",
                    PANEL_HEIGHTS_PX.start(),
                    PANEL_HEIGHTS_PX.end()
                )));
            }
            check_axis(panel.axis, &at)?;
            check_looks(panel, &at)?;
            let t = panel.thresholds;
            if [t.warn, t.crit].into_iter().flatten().any(|v| !v.is_finite()) {
                return Err(invalid(format!("{at}: thresholds must be finite numbers")));
            }
        }
        Ok(self)
    }
}

fn check_selection(s: &PanelSelection, series: &[String], at: &str) -> Result<(), ErrorBody> {
    if !series.is_empty() {
        return Err(invalid(format!(
            "{at}: a panel charts either series or a selector, not both"
        )));
    }
    Selector::parse(&s.select).map_err(|e| invalid(format!("{at}: selector: {e}")))?;
    if !s.by.is_empty() && s.aggregate.is_none() {
        return Err(invalid(format!("{at}: grouping by labels needs an aggregation")));
    }
    if s.lines.is_some_and(|n| n == 0 || n > MAX_LINES) {
        return Err(invalid(format!("{at}: lines must be from 1 to {MAX_LINES}")));
    }
    Ok(())
}

fn check_looks(panel: &PanelSpec, at: &str) -> Result<(), ErrorBody> {
    if panel.mappings.len() > MAX_MAPPINGS {
        return Err(invalid(format!("{at}: at most {MAX_MAPPINGS} value mappings")));
    }
    for (i, m) in panel.mappings.iter().enumerate() {
        let n = i + 1;
        if !m.value.is_finite() {
            return Err(invalid(format!("{at}: mapping {n}: the value must be a finite number")));
        }
        if m.text.trim().is_empty() || m.text.chars().count() > MAX_MAPPING_CHARS {
            return Err(invalid(format!(
                "{at}: mapping {n}: the text must be 1 to {MAX_MAPPING_CHARS} characters"
            )));
        }
        if panel.mappings[..i].iter().any(|o| o.value == m.value) {
            return Err(invalid(format!(
                "{at}: mapping {n}: the value {} is mapped twice",
                m.value
            )));
        }
        if let Some(c) = m.color.as_deref().filter(|c| parse_hex_color(c).is_none()) {
            return Err(invalid(format!(
                "{at}: mapping {n}: `{c}` is not a colour like #16a34a"
            )));
        }
    }
    if let Some(&n) = panel.right_axis.iter().find(|&&n| n >= MAX_LINES) {
        return Err(invalid(format!(
            "{at}: right_axis names line {n}; lines are 0 to {}",
            MAX_LINES - 1
        )));
    }
    if panel.colors.len() > MAX_PANEL_COLORS {
        return Err(invalid(format!("{at}: at most {MAX_PANEL_COLORS} line colours")));
    }
    if let Some(c) = panel
        .colors
        .iter()
        .find(|c| !c.is_empty() && parse_hex_color(c).is_none())
    {
        return Err(invalid(format!("{at}: `{c}` is not a colour like #2563eb")));
    }
    Ok(())
}

fn check_axis(axis: ValueAxis, at: &str) -> Result<(), ErrorBody> {
    if [axis.min, axis.max].into_iter().flatten().any(|v| !v.is_finite()) {
        return Err(invalid(format!("{at}: axis bounds must be finite numbers")));
    }
    if let (Some(min), Some(max)) = (axis.min, axis.max) {
        if min >= max {
            return Err(invalid(format!(
                "{at}: the axis minimum {min} is not below its maximum {max}"
            )));
        }
    }
    if axis.log && [axis.min, axis.max].into_iter().flatten().any(|v| v <= 0.0) {
        return Err(invalid(format!("{at}: a logarithmic axis needs bounds above zero")));
    }
    Ok(())
}

fn checked_title(title: &str, what: &str) -> Result<String, ErrorBody> {
    let trimmed = title.trim();
    if trimmed.is_empty() {
        return Err(invalid(format!("{what} is empty")));
    }
    if trimmed.chars().count() > MAX_TITLE_CHARS {
        return Err(invalid(format!("{what} is longer than {MAX_TITLE_CHARS} characters")));
    }
    Ok(trimmed.to_owned())
}

fn invalid(message: String) -> ErrorBody {
    ErrorBody::new("invalid_dashboard", message)
}

#[cfg(test)]
#[path = "dashboard_tests.rs"]
mod tests;
