//! What a query may do to a line's values before they are reduced to the
//! answer's points: the per-panel transforms (Grafana's "rate",
//! "derivative", "moving average" and "difference"). The server computes
//! them between stored points (or rollup buckets), never between the
//! extremes a chart keeps, so a rate stays a rate at every zoom level.

use crate::domain::{format_span, parse_span};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest window a moving average may span.
pub const MAX_MOVING_WINDOW_MS: i64 = 30 * 86_400_000;

/// A transform of a line's values, written `rate`, `derivative`,
/// `difference` or `moving_avg:5m` (a window of a positive span up to
/// 30 days; `moving_avg` alone is five minutes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Transform {
    /// Per-second increase of a counter: a drop is a restart from zero,
    /// so the increase is the new value.
    Rate,
    /// Per-second change, negative when falling.
    Derivative,
    /// Change from the previous value.
    Difference,
    /// The mean of every value in the trailing window of this many
    /// milliseconds, the value's own included.
    MovingAvg(i64),
}

/// What `moving_avg` alone averages over.
pub const DEFAULT_MOVING_WINDOW_MS: i64 = 300_000;

impl Transform {
    /// Reads the written form (see the type's doc).
    pub fn parse(text: &str) -> Result<Transform, String> {
        let (name, window) = match text.trim().split_once(':') {
            Some((name, window)) => (name, Some(window)),
            None => (text.trim(), None),
        };
        let plain = match name {
            "rate" => Some(Transform::Rate),
            "derivative" => Some(Transform::Derivative),
            "difference" => Some(Transform::Difference),
            "moving_avg" => None,
            _ => {
                return Err(format!(
                    "`{text}` is not one of rate, derivative, difference, moving_avg:<span>"
                ))
            }
        };
        match (plain, window) {
            (Some(t), None) => Ok(t),
            (Some(_), Some(_)) => Err(format!("`{name}` takes no window")),
            (None, None) => Ok(Transform::MovingAvg(DEFAULT_MOVING_WINDOW_MS)),
            (None, Some(span)) => match parse_span(span) {
                Some(ms) if ms <= MAX_MOVING_WINDOW_MS => Ok(Transform::MovingAvg(ms)),
                Some(_) => Err(format!("moving_avg: `{span}` is longer than 30 days")),
                None => Err(format!("moving_avg: `{span}` is not a span like 30s, 5m or 1h")),
            },
        }
    }

    /// How far before a window its data is read, so that the window's
    /// first value has what it is computed from: the moving window, or
    /// (for changes between values) `step`, about one answer bucket.
    pub fn lookback(self, step: i64) -> i64 {
        match self {
            Transform::MovingAvg(window) => window,
            _ => step,
        }
    }
}

impl Transform {
    /// The unit of the transformed values, given the series' own: per
    /// second for rates and derivatives.
    pub fn unit_of(self, unit: String) -> String {
        match self {
            Transform::Rate | Transform::Derivative => format!("{unit}/s"),
            Transform::Difference | Transform::MovingAvg(_) => unit,
        }
    }
}

impl fmt::Display for Transform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transform::Rate => f.write_str("rate"),
            Transform::Derivative => f.write_str("derivative"),
            Transform::Difference => f.write_str("difference"),
            Transform::MovingAvg(ms) => write!(f, "moving_avg:{}", format_span(*ms)),
        }
    }
}

impl TryFrom<String> for Transform {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Transform::parse(&text)
    }
}

impl From<Transform> for String {
    fn from(t: Transform) -> String {
        t.to_string()
    }
}

/// The OpenAPI schema: the written form.
#[cfg(feature = "ssr")]
impl utoipa::PartialSchema for Transform {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "rate, derivative (both per second), difference, or moving_avg:<span> (e.g. moving_avg:5m)",
            ))
            .into()
    }
}

#[cfg(feature = "ssr")]
impl utoipa::ToSchema for Transform {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_forms_round_trip() {
        for text in ["rate", "derivative", "difference", "moving_avg:5m", "moving_avg:90s"] {
            assert_eq!(Transform::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Transform::parse("moving_avg"), Ok(Transform::MovingAvg(300_000)));
        let json = serde_json::to_string(&Transform::MovingAvg(3_600_000)).unwrap();
        assert_eq!(json, r#""moving_avg:1h""#);
        assert_eq!(serde_json::from_str::<Transform>(r#""rate""#).unwrap(), Transform::Rate);
    }

    #[test]
    fn mistakes_are_named() {
        for bad in [
            "",
            "sum",
            "rate:5m",
            "moving_avg:",
            "moving_avg:0s",
            "moving_avg:5",
            "moving_avg:31d",
        ] {
            assert!(Transform::parse(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Transform>(r#""integral""#).is_err());
    }
}
