//! Times as users write them: epoch milliseconds, RFC 3339, or relative to
//! now (`now`, `now-1h`, `-7d`). Everything inside is `i64` milliseconds.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use thiserror::Error;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Earliest accepted timestamp: the Unix epoch.
pub const MIN_T_MS: i64 = 0;
/// First instant no longer accepted: 2200-01-01T00:00:00Z.
pub const MAX_T_MS: i64 = 7_258_118_400_000;

/// A point in time, absolute or relative to the moment a query runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSpec {
    /// Milliseconds since the epoch.
    At(i64),
    /// Milliseconds from now (negative is the past).
    FromNow(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimeSpecError {
    #[error("`{0}` is not a time: use epoch milliseconds, RFC 3339 (2026-11-23T10:00:00Z) or a relative form (now, now-1h, -7d)")]
    Unrecognised(String),
    #[error("`{0}` is outside 1970-01-01 .. 2200-01-01")]
    OutOfRange(String),
}

const UNITS: [(&str, i64); 6] = [
    ("w", 7 * 86_400_000),
    ("d", 86_400_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

impl TimeSpec {
    pub fn parse(text: &str) -> Result<Self, TimeSpecError> {
        let s = text.trim();
        if let Ok(ms) = s.parse::<i64>() {
            return Self::at(ms, text);
        }
        if let Some(rest) = s.strip_prefix("now") {
            return parse_offset(rest)
                .map(TimeSpec::FromNow)
                .ok_or_else(|| unrecognised(text));
        }
        if s.starts_with('-') || s.starts_with('+') {
            return parse_offset(s).map(TimeSpec::FromNow).ok_or_else(|| unrecognised(text));
        }
        let at = OffsetDateTime::parse(s, &Rfc3339).map_err(|_| unrecognised(text))?;
        let ms = at.unix_timestamp_nanos() / 1_000_000;
        Self::at(i64::try_from(ms).unwrap_or(i64::MAX), text)
    }

    fn at(ms: i64, text: &str) -> Result<Self, TimeSpecError> {
        if (MIN_T_MS..MAX_T_MS).contains(&ms) {
            Ok(TimeSpec::At(ms))
        } else {
            Err(TimeSpecError::OutOfRange(text.to_owned()))
        }
    }

    /// Like [`TimeSpec::resolve`], refusing a relative time that lands
    /// outside 1970-01-01 .. 2200-01-01 as an absolute one is refused
    /// (`now-9223372036854775807ms` parses, but names no time).
    pub fn resolve_checked(self, now_ms: i64) -> Result<i64, TimeSpecError> {
        let t = self.resolve(now_ms);
        if (MIN_T_MS..MAX_T_MS).contains(&t) {
            Ok(t)
        } else {
            Err(TimeSpecError::OutOfRange(format!("{self} (epoch ms {t})")))
        }
    }

    /// Milliseconds since the epoch, given the current time.
    pub fn resolve(self, now_ms: i64) -> i64 {
        match self {
            TimeSpec::At(ms) => ms,
            TimeSpec::FromNow(offset) => now_ms.saturating_add(offset),
        }
    }
}

fn unrecognised(text: &str) -> TimeSpecError {
    TimeSpecError::Unrecognised(text.to_owned())
}

/// `""`, `-1h`, `+30m`, `-1500ms`: a sign, an integer and a unit.
fn parse_offset(s: &str) -> Option<i64> {
    if s.is_empty() {
        return Some(0);
    }
    let (sign, rest) = match s.as_bytes()[0] {
        b'-' => (-1, &s[1..]),
        b'+' => (1, &s[1..]),
        _ => return None,
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let amount: i64 = rest[..digits].parse().ok()?;
    let unit = UNITS.iter().find(|(name, _)| *name == &rest[digits..])?.1;
    amount.checked_mul(unit).map(|ms| sign * ms)
}

/// A positive span written as an integer and a unit (`90s`, `5m`, `1h`),
/// in milliseconds.
pub fn parse_span(text: &str) -> Option<i64> {
    parse_offset(&format!("+{}", text.trim())).filter(|&ms| ms > 0)
}

/// `ms` in the largest unit that divides it (`300000` → `5m`).
pub fn format_span(ms: i64) -> String {
    let (name, size) = UNITS
        .iter()
        .find(|(_, size)| ms % size == 0)
        .copied()
        .unwrap_or(("ms", 1));
    format!("{}{name}", ms / size)
}

impl fmt::Display for TimeSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TimeSpec::At(ms) => write!(f, "{ms}"),
            TimeSpec::FromNow(0) => f.write_str("now"),
            TimeSpec::FromNow(offset) => {
                let sign = if offset < 0 { '-' } else { '+' };
                write!(f, "now{sign}{}", format_span(offset.unsigned_abs() as i64))
            }
        }
    }
}

/// Absolute times travel as numbers, relative ones as their text.
impl Serialize for TimeSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            TimeSpec::At(ms) => serializer.serialize_i64(ms),
            TimeSpec::FromNow(_) => serializer.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for TimeSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TimeSpecVisitor)
    }
}

struct TimeSpecVisitor;

impl Visitor<'_> for TimeSpecVisitor {
    type Value = TimeSpec;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("epoch milliseconds, an RFC 3339 string or a relative time like now-1h")
    }

    fn visit_i64<E: de::Error>(self, ms: i64) -> Result<TimeSpec, E> {
        TimeSpec::at(ms, &ms.to_string()).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, ms: u64) -> Result<TimeSpec, E> {
        self.visit_i64(i64::try_from(ms).unwrap_or(i64::MAX))
    }

    fn visit_f64<E: de::Error>(self, ms: f64) -> Result<TimeSpec, E> {
        if ms.fract() == 0.0 && ms.abs() < 9e15 {
            self.visit_i64(ms as i64)
        } else {
            Err(E::custom(format!("`{ms}` is not a whole number of milliseconds")))
        }
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<TimeSpec, E> {
        TimeSpec::parse(s).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_milliseconds() {
        assert_eq!(TimeSpec::parse("1732356000000"), Ok(TimeSpec::At(1_732_356_000_000)));
        assert_eq!(TimeSpec::parse("0"), Ok(TimeSpec::At(0)));
    }

    #[test]
    fn rfc3339_with_zone_and_fraction() {
        assert_eq!(
            TimeSpec::parse("2026-11-23T10:00:00Z"),
            Ok(TimeSpec::At(1_795_428_000_000))
        );
        assert_eq!(
            TimeSpec::parse("2026-11-23T11:00:00.250+01:00"),
            Ok(TimeSpec::At(1_795_428_000_250))
        );
    }

    #[test]
    fn relative_forms() {
        assert_eq!(TimeSpec::parse("now"), Ok(TimeSpec::FromNow(0)));
        assert_eq!(TimeSpec::parse("now-1h"), Ok(TimeSpec::FromNow(-3_600_000)));
        assert_eq!(TimeSpec::parse("-7d"), Ok(TimeSpec::FromNow(-7 * 86_400_000)));
        assert_eq!(TimeSpec::parse("now+30s"), Ok(TimeSpec::FromNow(30_000)));
        assert_eq!(TimeSpec::parse("-1500ms"), Ok(TimeSpec::FromNow(-1_500)));
        assert_eq!(TimeSpec::FromNow(-90_000).resolve(100_000), 10_000);
    }

    #[test]
    fn rejects_garbage_and_out_of_range() {
        for bad in ["", "yesterday", "now-", "now-1y", "-h", "now*2", "2026-13-01T00:00:00Z"] {
            assert!(
                matches!(TimeSpec::parse(bad), Err(TimeSpecError::Unrecognised(_))),
                "{bad}"
            );
        }
        assert!(matches!(TimeSpec::parse("-5"), Err(TimeSpecError::OutOfRange(_))));
        assert!(matches!(
            TimeSpec::parse("7258118400000"),
            Err(TimeSpecError::OutOfRange(_))
        ));
        assert!(matches!(
            TimeSpec::parse("1960-01-01T00:00:00Z"),
            Err(TimeSpecError::OutOfRange(_))
        ));
        assert!(TimeSpec::parse("now-99999999999999w").is_err());
    }

    #[test]
    fn spans_are_positive_with_a_unit() {
        assert_eq!(parse_span("5m"), Some(300_000));
        assert_eq!(parse_span(" 90s "), Some(90_000));
        for bad in ["", "5", "0m", "-5m", "m", "5y"] {
            assert_eq!(parse_span(bad), None, "{bad}");
        }
        assert_eq!(format_span(300_000), "5m");
        assert_eq!(format_span(90_000), "90s");
        assert_eq!(format_span(1_500), "1500ms");
    }

    #[test]
    fn display_round_trips() {
        for text in ["now", "now-1h", "now-90s", "now+2w", "now-1500ms", "1732356000000"] {
            assert_eq!(TimeSpec::parse(text).unwrap().to_string(), text);
        }
    }
}
