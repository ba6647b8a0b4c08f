//! What the dashboard URL says: which dashboard, which time range (a
//! preset ending now, or an absolute window after a zoom), and how often
//! to refresh. `?d=3&range=6h&refresh=30s`; a zoom adds `from` and `to`
//! (epoch ms) and keeps `range`, so resetting the zoom returns to it;
//! `link=off` unlinks the panels' crosshairs. Defaults stay out of the URL.

use super::{RangePreset, RefreshChoice, TimeSpec};

/// The narrowest window a zoom may ask for.
pub const MIN_ZOOM_MS: i64 = 1_000;
/// The shortest interval `refresh=<n>ms` may ask for.
pub const MIN_CUSTOM_REFRESH_MS: u32 = 100;

/// The window the panels show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeRange {
    /// The last `span` before now, moving with it.
    Preset(RangePreset),
    /// A fixed window, epoch ms, `from < to`.
    Absolute { from: i64, to: i64 },
}

impl TimeRange {
    /// The query's `from` and `to`.
    pub fn query_times(self) -> (TimeSpec, TimeSpec) {
        match self {
            TimeRange::Preset(p) => (TimeSpec::FromNow(-p.span_ms), TimeSpec::FromNow(0)),
            TimeRange::Absolute { from, to } => (TimeSpec::At(from), TimeSpec::At(to)),
        }
    }

    /// The query's `from` and `to` for the newest `1/parts` of the window:
    /// what a long range loads first, so the recent data shows at once.
    pub fn newest_part(self, parts: i64) -> (TimeSpec, TimeSpec) {
        let part = self.span_ms() / parts.max(1);
        match self {
            TimeRange::Preset(_) => (TimeSpec::FromNow(-part), TimeSpec::FromNow(0)),
            TimeRange::Absolute { to, .. } => (TimeSpec::At(to - part), TimeSpec::At(to)),
        }
    }

    /// The window as epoch ms when it is `now`.
    pub fn window_at(self, now: i64) -> (i64, i64) {
        match self {
            TimeRange::Preset(p) => (now - p.span_ms, now),
            TimeRange::Absolute { from, to } => (from, to),
        }
    }

    /// Length of the window in ms.
    pub fn span_ms(self) -> i64 {
        match self {
            TimeRange::Preset(p) => p.span_ms,
            TimeRange::Absolute { from, to } => to - from,
        }
    }
}

/// Everything the URL fixes about a dashboard view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DashboardView {
    /// The dashboard's id; `None` shows the first one.
    pub dashboard: Option<i64>,
    /// The preset chosen last; what resetting a zoom goes back to.
    pub preset: RangePreset,
    /// A zoomed window inside or beside the preset, if any.
    pub zoom: Option<(i64, i64)>,
    pub refresh: RefreshChoice,
    /// An interval the picker does not offer, from `refresh=<n>ms` (a
    /// wall screen's own pace, or a soak test's); wins over `refresh`.
    pub custom_refresh_ms: Option<u32>,
    /// Whether hovering one chart shows the crosshair and reading at the
    /// same time on every panel (on by default, as in Netdata).
    pub linked: bool,
}

impl Default for DashboardView {
    fn default() -> Self {
        DashboardView {
            dashboard: None,
            preset: RangePreset::DEFAULT,
            zoom: None,
            refresh: RefreshChoice::DEFAULT,
            custom_refresh_ms: None,
            linked: true,
        }
    }
}

impl DashboardView {
    /// The view a URL's query parameters describe; anything unknown or
    /// malformed falls back to its default.
    pub fn from_query(param: impl Fn(&str) -> Option<String>) -> Self {
        let int = |name: &str| param(name).and_then(|v| v.parse::<i64>().ok());
        let zoom = match (int("from"), int("to")) {
            (Some(from), Some(to)) if to - from >= MIN_ZOOM_MS => Some((from, to)),
            _ => None,
        };
        DashboardView {
            dashboard: int("d"),
            preset: param("range")
                .and_then(|k| RangePreset::from_key(&k))
                .unwrap_or(RangePreset::DEFAULT),
            zoom,
            refresh: param("refresh")
                .and_then(|k| RefreshChoice::from_key(&k))
                .unwrap_or(RefreshChoice::DEFAULT),
            custom_refresh_ms: param("refresh")
                .and_then(|k| k.strip_suffix("ms")?.parse::<u32>().ok())
                .filter(|ms| *ms >= MIN_CUSTOM_REFRESH_MS),
            linked: param("link").is_none_or(|v| v != "off"),
        }
    }

    /// The window the panels show.
    pub fn range(&self) -> TimeRange {
        match self.zoom {
            Some((from, to)) => TimeRange::Absolute { from, to },
            None => TimeRange::Preset(self.preset),
        }
    }

    /// The query string (with its `?`) of this view; never empty, so a
    /// link to it always replaces the current query.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::with_capacity(5);
        if let Some(id) = self.dashboard {
            parts.push(format!("d={id}"));
        }
        parts.push(format!("range={}", self.preset.key));
        if let Some((from, to)) = self.zoom {
            parts.push(format!("from={from}&to={to}"));
        }
        if let Some(ms) = self.custom_refresh_ms {
            parts.push(format!("refresh={ms}ms"));
        } else if self.refresh != RefreshChoice::DEFAULT {
            parts.push(format!("refresh={}", self.refresh.key));
        }
        if !self.linked {
            parts.push("link=off".to_owned());
        }
        format!("?{}", parts.join("&"))
    }

    /// This view with `preset` and no zoom.
    pub fn with_preset(self, preset: RangePreset) -> Self {
        DashboardView {
            preset,
            zoom: None,
            ..self
        }
    }

    pub fn with_refresh(self, refresh: RefreshChoice) -> Self {
        DashboardView {
            refresh,
            custom_refresh_ms: None,
            ..self
        }
    }

    /// Milliseconds between polls; `None` when refreshing is off.
    pub fn refresh_every_ms(&self) -> Option<u32> {
        self.custom_refresh_ms.or(self.refresh.every_ms)
    }

    /// This view with the panels' crosshairs linked or not.
    pub fn with_linked(self, linked: bool) -> Self {
        DashboardView { linked, ..self }
    }

    /// This view on another dashboard, same range and refresh.
    pub fn with_dashboard(self, id: i64) -> Self {
        DashboardView {
            dashboard: Some(id),
            ..self
        }
    }

    /// This view zoomed to the window between two times in either order;
    /// `None` when they are closer than [`MIN_ZOOM_MS`] (a click, not a drag).
    pub fn zoomed(self, a: i64, b: i64) -> Option<Self> {
        let (from, to) = (a.min(b), a.max(b));
        (to - from >= MIN_ZOOM_MS).then_some(DashboardView {
            zoom: Some((from, to)),
            ..self
        })
    }
}

#[cfg(test)]
#[path = "dashboard_view_tests.rs"]
mod tests;
