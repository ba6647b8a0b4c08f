//! The time ranges the dashboard offers, each "the last N" ending now.

/// A named window ending now; `key` is what the URL carries (`?range=6h`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RangePreset {
    pub key: &'static str,
    pub label: &'static str,
    pub span_ms: i64,
}

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

const PRESETS: [RangePreset; 6] = [
    RangePreset {
        key: "15m",
        label: "Last 15 minutes",
        span_ms: 15 * MINUTE,
    },
    RangePreset {
        key: "1h",
        label: "Last hour",
        span_ms: HOUR,
    },
    RangePreset {
        key: "6h",
        label: "Last 6 hours",
        span_ms: 6 * HOUR,
    },
    RangePreset {
        key: "24h",
        label: "Last 24 hours",
        span_ms: DAY,
    },
    RangePreset {
        key: "7d",
        label: "Last 7 days",
        span_ms: 7 * DAY,
    },
    RangePreset {
        key: "30d",
        label: "Last 30 days",
        span_ms: 30 * DAY,
    },
];

impl RangePreset {
    /// What a dashboard shows when the URL names no range.
    pub const DEFAULT: RangePreset = PRESETS[1];

    pub fn all() -> &'static [RangePreset] {
        &PRESETS
    }

    /// The preset a URL names; `None` for anything unknown.
    pub fn from_key(key: &str) -> Option<RangePreset> {
        PRESETS.iter().copied().find(|p| p.key == key)
    }

    /// The query's `from`, relative to now, e.g. `now-6h`.
    pub fn from_spec(self) -> String {
        format!("now-{}", self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TimeSpec;

    #[test]
    fn every_preset_is_a_valid_relative_time_of_its_span() {
        for p in RangePreset::all() {
            assert_eq!(
                TimeSpec::parse(&p.from_spec()),
                Ok(TimeSpec::FromNow(-p.span_ms)),
                "{}",
                p.key
            );
            assert_eq!(RangePreset::from_key(p.key), Some(*p));
        }
        assert_eq!(RangePreset::from_key("2y"), None);
    }
}
