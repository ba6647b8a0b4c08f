//! Dashboards as the API stores them: a title and ordered panels, each
//! charting one or several series with an optional unit and thresholds.

use super::ErrorBody;
use serde::{Deserialize, Serialize};

/// Most panels one dashboard may hold; a poll asks for every series of
/// every panel in one batch, so this also bounds the batch.
pub const MAX_PANELS: usize = 32;
/// Most series one panel may chart.
pub const MAX_PANEL_SERIES: usize = 8;
/// Longest title, in characters, of a dashboard or a panel.
pub const MAX_TITLE_CHARS: usize = 200;
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

/// One chart of a dashboard.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelSpec {
    pub title: String,
    /// Series keys, drawn in this order (the legend follows it).
    pub series: Vec<String>,
    /// Shown after values; the first series' unit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default)]
    pub thresholds: Thresholds,
}

/// What a client sends to create or replace a dashboard.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardDraft {
    pub title: String,
    #[serde(default)]
    pub panels: Vec<PanelSpec>,
}

/// A stored dashboard.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub id: i64,
    pub title: String,
    pub panels: Vec<PanelSpec>,
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
        for (i, panel) in self.panels.iter_mut().enumerate() {
            let at = format!("panel {}", i + 1);
            panel.title = checked_title(&panel.title, &format!("{at}: title"))?;
            if panel.series.is_empty() || panel.series.len() > MAX_PANEL_SERIES {
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
            let t = panel.thresholds;
            if [t.warn, t.crit].into_iter().flatten().any(|v| !v.is_finite()) {
                return Err(invalid(format!("{at}: thresholds must be finite numbers")));
            }
        }
        Ok(self)
    }
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
