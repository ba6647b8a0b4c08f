//! A panel as the editor's form holds it (text fields), and its checked
//! conversion to the stored [`PanelSpec`].

use crate::model::{PanelSpec, Thresholds};

/// The editor's fields of one panel, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PanelFields {
    pub title: String,
    pub series: Vec<String>,
    pub unit: String,
    pub warn: String,
    pub crit: String,
}

impl PanelFields {
    /// The fields showing `spec`.
    pub fn from_spec(spec: &PanelSpec) -> Self {
        let text = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        PanelFields {
            title: spec.title.clone(),
            series: spec.series.clone(),
            unit: spec.unit.clone().unwrap_or_default(),
            warn: text(spec.thresholds.warn),
            crit: text(spec.thresholds.crit),
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
                _ => Err(format!("panel {position}: {name} threshold `{text}` is not a number")),
            }
        };
        let title = match self.title.trim() {
            "" => self.series.first().cloned().unwrap_or_default(),
            t => t.to_owned(),
        };
        Ok(PanelSpec {
            title,
            series: self.series.clone(),
            unit: Some(self.unit.trim().to_owned()).filter(|u| !u.is_empty()),
            thresholds: Thresholds {
                warn: number("warn", &self.warn)?,
                crit: number("crit", &self.crit)?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_a_spec() {
        let spec = PanelSpec {
            title: "Flow".into(),
            series: vec!["a".into(), "b".into()],
            unit: Some("°C".into()),
            thresholds: Thresholds {
                warn: Some(70.5),
                crit: None,
            },
        };
        let fields = PanelFields::from_spec(&spec);
        assert_eq!((fields.warn.as_str(), fields.crit.as_str()), ("70.5", ""));
        assert_eq!(fields.to_spec(1), Ok(spec));
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
