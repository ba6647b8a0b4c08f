//! The dashboard made for a newcomer on the first visit: one panel per
//! series name, so whatever they sent shows at once.

use crate::model::{DashboardDraft, PanelKind, PanelSpec, Thresholds, MAX_PANEL_SERIES, SYSTEM_PREFIX};

/// Panels of the first dashboard, at most.
pub const FIRST_DASHBOARD_PANELS: usize = 12;
/// Title of the first dashboard.
pub const FIRST_DASHBOARD_TITLE: &str = "Overview";

/// The first dashboard for the series `(key, name)` in key order: one
/// panel per series name, each charting up to [`MAX_PANEL_SERIES`] of that
/// name's series (so `cpu.idle{cpu="0"}` and `cpu.idle{cpu="1"}` share a
/// chart), at most [`FIRST_DASHBOARD_PANELS`] panels, the server's own
/// `sensorboard.*` figures left to the System page. `None` when no series
/// would make a panel.
pub fn first_dashboard(series: &[(String, String)]) -> Option<DashboardDraft> {
    let mut panels: Vec<PanelSpec> = Vec::new();
    let series = series.iter().filter(|(_, name)| !name.starts_with(SYSTEM_PREFIX));
    for (key, name) in series {
        if let Some(p) = panels.last_mut().filter(|p| p.title == *name) {
            if p.series.len() < MAX_PANEL_SERIES {
                p.series.push(key.clone());
            }
            continue;
        }
        if panels.len() == FIRST_DASHBOARD_PANELS {
            break;
        }
        panels.push(PanelSpec {
            title: name.clone(),
            kind: PanelKind::Chart,
            series: vec![key.clone()],
            unit: None,
            thresholds: Thresholds::default(),
            width: None,
            height: None,
            axis: Default::default(),
            transform: None,
            mappings: Vec::new(),
            colors: Vec::new(),
            stack: false,
            right_axis: Vec::new(),
            selection: None,
        });
    }
    (!panels.is_empty()).then(|| DashboardDraft {
        title: FIRST_DASHBOARD_TITLE.into(),
        panels,
        variables: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, n)| (k.to_string(), n.to_string())).collect()
    }

    fn panels(series: &[(String, String)]) -> Vec<PanelSpec> {
        first_dashboard(series).map(|d| d.panels).unwrap_or_default()
    }

    #[test]
    fn panels_group_series_by_name() {
        let panels = panels(&names(&[
            ("a", "a"),
            ("sensorboard.http.requests_per_s", "sensorboard.http.requests_per_s"),
            ("cpu{cpu=\"0\"}", "cpu"),
            ("cpu{cpu=\"1\"}", "cpu"),
            ("z", "z"),
        ]));
        let got: Vec<(&str, usize)> = panels.iter().map(|p| (p.title.as_str(), p.series.len())).collect();
        assert_eq!(got, [("a", 1), ("cpu", 2), ("z", 1)]);
        assert_eq!(panels[1].series[1], "cpu{cpu=\"1\"}");
    }

    #[test]
    fn panels_are_bounded_and_none_makes_no_dashboard() {
        let many: Vec<(String, String)> = (0..100).map(|i| (format!("s{i:03}"), format!("s{i:03}"))).collect();
        assert_eq!(panels(&many).len(), FIRST_DASHBOARD_PANELS);
        let wide: Vec<(String, String)> = (0..20).map(|i| (format!("m{{i=\"{i:02}\"}}"), "m".into())).collect();
        let wide = panels(&wide);
        assert_eq!((wide.len(), wide[0].series.len()), (1, MAX_PANEL_SERIES));
        assert_eq!(first_dashboard(&[]), None);
        assert_eq!(first_dashboard(&names(&[("sensorboard.x", "sensorboard.x")])), None);
    }
}
