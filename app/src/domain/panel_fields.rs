//! A panel as the editor's form holds it (text fields), and its checked
//! conversion to the stored [`PanelSpec`].

use super::parse_hex_color;
use crate::model::{AggregateOp, PanelKind, PanelSelection, PanelSpec, Thresholds, Transform, ValueAxis, ValueMapping};

/// The editor's fields of one panel, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PanelFields {
    pub title: String,
    /// `stat` or `table`; empty for a chart.
    pub kind: String,
    pub series: Vec<String>,
    pub unit: String,
    pub warn: String,
    pub crit: String,
    /// A selector, for a panel over many series (then `series` is empty).
    pub select: String,
    /// `sum`, `avg`, `min`, `max`, `count`, or empty for a line per series.
    pub aggregate: String,
    /// Labels to group by, separated by commas.
    pub by: String,
    /// The most lines drawn; empty for the default.
    pub lines: String,
    /// Columns of 12 on a wide screen; empty for the screen's default.
    pub width: String,
    /// Chart height in pixels; empty for the default.
    pub height: String,
    /// The value axis' bounds; empty follows the data.
    pub y_min: String,
    pub y_max: String,
    /// A logarithmic value axis.
    pub log: bool,
    /// `rate`, `derivative`, `difference` or `moving_avg:<span>`; empty
    /// for the values as stored.
    pub transform: String,
    /// Value mappings, `0=off, 1=on #16a34a` (a colour after the text).
    pub mappings: String,
    /// Line colours in line order, `#2563eb, , #dc2626` (empty keeps the theme's).
    pub colors: String,
    /// Lines stacked as areas.
    pub stack: bool,
    /// Line numbers (from 1) on the right-hand axis, separated by commas.
    pub right_axis: String,
}

impl PanelFields {
    /// The fields showing `spec`.
    pub fn from_spec(spec: &PanelSpec) -> Self {
        let text = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        let selection = spec.selection.clone().unwrap_or_default();
        PanelFields {
            title: spec.title.clone(),
            kind: if spec.kind.is_chart() {
                String::new()
            } else {
                spec.kind.as_str().to_owned()
            },
            series: spec.series.clone(),
            unit: spec.unit.clone().unwrap_or_default(),
            warn: text(spec.thresholds.warn),
            crit: text(spec.thresholds.crit),
            select: selection.select,
            aggregate: selection.aggregate.map(|a| a.as_str().to_owned()).unwrap_or_default(),
            by: selection.by.join(", "),
            lines: selection.lines.map(|n| n.to_string()).unwrap_or_default(),
            width: spec.width.map(|w| w.to_string()).unwrap_or_default(),
            height: spec.height.map(|h| h.to_string()).unwrap_or_default(),
            y_min: text(spec.axis.min),
            y_max: text(spec.axis.max),
            log: spec.axis.log,
            transform: spec.transform.map(|t| t.to_string()).unwrap_or_default(),
            mappings: spec
                .mappings
                .iter()
                .map(|m| match &m.color {
                    Some(c) => format!("{}={} {c}", m.value, m.text),
                    None => format!("{}={}", m.value, m.text),
                })
                .collect::<Vec<_>>()
                .join(", "),
            colors: spec.colors.join(", "),
            stack: spec.stack,
            right_axis: spec
                .right_axis
                .iter()
                .map(|n| (n + 1).to_string())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The panel these fields describe; the error names the panel by its
    /// 1-based `position` and the field. A blank title takes the first
    /// series' key. Further checks are `DashboardDraft::validated`'s.
    pub fn to_spec(&self, position: usize) -> Result<PanelSpec, String> {
        let number = |name: &str, text: &str| -> Result<Option<f64>, String> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => Err(format!("panel {position}: {name} `{text}` is not a number")),
            }
        };
        let selection = self.selection(position)?;
        let title = match (self.title.trim(), &selection) {
            ("", Some(s)) => s.select.clone(),
            ("", None) => self.series.first().cloned().unwrap_or_default(),
            (t, _) => t.to_owned(),
        };
        let kind = match self.kind.trim() {
            "" => PanelKind::Chart,
            text => PanelKind::ALL
                .into_iter()
                .find(|k| k.as_str() == text)
                .ok_or_else(|| format!("panel {position}: there is no panel kind `{text}`"))?,
        };
        Ok(PanelSpec {
            title,
            kind,
            series: if selection.is_some() {
                Vec::new()
            } else {
                self.series.clone()
            },
            selection,
            unit: Some(self.unit.trim().to_owned()).filter(|u| !u.is_empty()),
            thresholds: Thresholds {
                warn: number("warn threshold", &self.warn)?,
                crit: number("crit threshold", &self.crit)?,
            },
            width: whole(position, "width", &self.width)?,
            height: whole(position, "height", &self.height)?,
            axis: ValueAxis {
                min: number("axis minimum", &self.y_min)?,
                max: number("axis maximum", &self.y_max)?,
                log: self.log,
            },
            transform: match self.transform.trim() {
                "" => None,
                text => Some(Transform::parse(text).map_err(|e| format!("panel {position}: transform {e}"))?),
            },
            mappings: self.mappings(position)?,
            colors: self.colors(position)?,
            stack: self.stack,
            right_axis: self
                .right_axis
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| match t.parse::<usize>() {
                    Ok(n) if n >= 1 => Ok(n - 1),
                    _ => Err(format!(
                        "panel {position}: right axis line `{t}` is not a line number from 1"
                    )),
                })
                .collect::<Result<_, _>>()?,
        })
    }
}

/// A whole number typed into a layout field; empty is none.
fn whole<T: std::str::FromStr>(position: usize, name: &str, text: &str) -> Result<Option<T>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| format!("panel {position}: {name} `{text}` is not a whole number"))
}

impl PanelFields {
    /// `value=text [#colour]` pairs, separated by commas.
    fn mappings(&self, position: usize) -> Result<Vec<ValueMapping>, String> {
        let bad = |part: &str| format!("panel {position}: mapping `{part}` is not value=text, e.g. 1=on #16a34a");
        self.mappings
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|part| {
                let (value, rest) = part.split_once('=').ok_or_else(|| bad(part))?;
                let value = value.trim().parse::<f64>().map_err(|_| bad(part))?;
                let rest = rest.trim();
                let (text, color) = match rest.rsplit_once(' ') {
                    Some((text, c)) if parse_hex_color(c).is_some() => (text.trim(), Some(c.to_owned())),
                    _ => (rest, None),
                };
                Ok(ValueMapping {
                    value,
                    text: text.to_owned(),
                    color,
                })
            })
            .collect()
    }

    /// Colours separated by commas; empty places keep the theme's.
    fn colors(&self, position: usize) -> Result<Vec<String>, String> {
        let colors: Vec<String> = self.colors.split(',').map(|c| c.trim().to_owned()).collect();
        if let Some(bad) = colors.iter().find(|c| !c.is_empty() && parse_hex_color(c).is_none()) {
            return Err(format!("panel {position}: `{bad}` is not a colour like #2563eb"));
        }
        let used = colors.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
        Ok(colors.into_iter().take(used).collect())
    }

    /// The selection the fields describe, if a selector is given.
    fn selection(&self, position: usize) -> Result<Option<PanelSelection>, String> {
        let select = self.select.trim();
        if select.is_empty() {
            return Ok(None);
        }
        let aggregate = match self.aggregate.trim() {
            "" => None,
            text => Some(
                AggregateOp::parse(text).ok_or_else(|| format!("panel {position}: `{text}` is not an aggregation"))?,
            ),
        };
        let lines = match self.lines.trim() {
            "" => None,
            text => Some(
                text.parse::<usize>()
                    .map_err(|_| format!("panel {position}: lines `{text}` is not a whole number"))?,
            ),
        };
        let by = self
            .by
            .split(',')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(Some(PanelSelection {
            select: select.to_owned(),
            aggregate,
            by,
            lines,
            ..PanelSelection::default()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_a_spec() {
        let spec = PanelSpec {
            title: "Flow".into(),
            kind: PanelKind::Stat,
            series: vec!["a".into(), "b".into()],
            unit: Some("°C".into()),
            thresholds: Thresholds {
                warn: Some(70.5),
                crit: None,
            },
            selection: None,
            width: Some(4),
            height: Some(360),
            axis: ValueAxis {
                min: Some(0.5),
                max: None,
                log: true,
            },
            transform: Some(Transform::MovingAvg(600_000)),
            mappings: vec![
                ValueMapping {
                    value: 0.0,
                    text: "off".into(),
                    color: None,
                },
                ValueMapping {
                    value: 1.5,
                    text: "half on".into(),
                    color: Some("#16a34a".into()),
                },
            ],
            colors: vec![String::new(), "#dc2626".into()],
            stack: true,
            right_axis: vec![1],
        };
        let fields = PanelFields::from_spec(&spec);
        assert_eq!((fields.warn.as_str(), fields.crit.as_str()), ("70.5", ""));
        assert_eq!(fields.mappings, "0=off, 1.5=half on #16a34a");
        assert_eq!(fields.colors, ", #dc2626");
        assert_eq!(fields.to_spec(1), Ok(spec));
    }

    #[test]
    fn a_selector_makes_a_panel_over_many_series() {
        let fields = PanelFields {
            series: vec!["left.over".into()],
            select: r#" fleet.f3{site="s2"} "#.into(),
            aggregate: "avg".into(),
            by: "line, ,site".into(),
            lines: "5".into(),
            ..PanelFields::default()
        };
        let spec = fields.to_spec(1).unwrap();
        assert_eq!(spec.title, r#"fleet.f3{site="s2"}"#);
        assert!(spec.series.is_empty(), "the selector wins");
        let s = spec.selection.clone().unwrap();
        assert_eq!(
            (s.aggregate, s.by.as_slice(), s.lines),
            (
                Some(AggregateOp::Avg),
                &["line".to_owned(), "site".to_owned()][..],
                Some(5)
            )
        );
        let again = PanelFields::from_spec(&spec);
        assert_eq!(
            (again.aggregate.as_str(), again.by.as_str(), again.lines.as_str()),
            ("avg", "line, site", "5")
        );
        let bad = PanelFields {
            aggregate: "median".into(),
            ..fields
        };
        assert!(bad.to_spec(2).unwrap_err().contains("median"));
    }

    #[test]
    fn blanks_are_defaults_and_bad_numbers_are_named() {
        let fields = PanelFields {
            series: vec!["boiler.temp".into()],
            unit: "  ".into(),
            warn: " 1e2 ".into(),
            ..PanelFields::default()
        };
        let spec = fields.to_spec(3).unwrap();
        assert_eq!(spec.title, "boiler.temp");
        assert_eq!(spec.unit, None);
        assert_eq!(spec.thresholds.warn, Some(100.0));
        let bad = PanelFields {
            crit: "hot".into(),
            ..fields
        };
        assert_eq!(
            bad.to_spec(3).unwrap_err(),
            "panel 3: crit threshold `hot` is not a number"
        );
        let inf = PanelFields {
            warn: "inf".into(),
            ..PanelFields::default()
        };
        assert!(inf.to_spec(1).is_err());
    }
}

#[cfg(test)]
mod looks_tests {
    use super::*;

    #[test]
    fn mappings_and_colours_are_read_and_their_mistakes_named() {
        let fields = PanelFields {
            series: vec!["pump.on".into()],
            kind: "timeline".into(),
            mappings: " 0 = stopped , 1=running #16A34A,".into(),
            colors: "#2563eb, , ".into(),
            ..PanelFields::default()
        };
        let spec = fields.to_spec(2).unwrap();
        assert_eq!(spec.kind, PanelKind::Timeline);
        assert_eq!(spec.mappings[0].text, "stopped");
        assert_eq!(spec.mappings[1].color.as_deref(), Some("#16A34A"));
        assert_eq!(spec.colors, vec!["#2563eb".to_owned()]);
        let bad = PanelFields {
            mappings: "on".into(),
            ..fields.clone()
        };
        assert!(bad.to_spec(2).unwrap_err().contains("mapping `on`"));
        let bad = PanelFields {
            colors: "red".into(),
            ..fields
        };
        assert!(bad.to_spec(2).unwrap_err().contains("`red` is not a colour"));
    }
}
