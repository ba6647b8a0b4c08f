//! Line-protocol bodies of `/write` (InfluxDB 1.x) and `/api/v2/write`
//! (2.x) as validated batches: each field becomes the series
//! `measurement.field`, with the line's tags as labels.

use super::line_protocol::{data_lines, parse_line_into, FieldValue, Line};
use super::{validate_point, validate_sample, BatchBuilder, IngestError, ValidBatch};
use app::model::Labels;
use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// Unit of the timestamps in a body, from the `precision` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    #[default]
    Nanoseconds,
    Microseconds,
    Milliseconds,
    Seconds,
    Minutes,
    Hours,
}

impl Precision {
    /// Both the 1.x (`n`, `u`, `ms`, `s`, `m`, `h`) and the 2.x (`ns`, `us`,
    /// `ms`, `s`) spellings.
    pub fn parse(text: &str) -> Option<Precision> {
        Some(match text {
            "ns" | "n" => Precision::Nanoseconds,
            "us" | "u" | "µ" => Precision::Microseconds,
            "ms" => Precision::Milliseconds,
            "s" => Precision::Seconds,
            "m" => Precision::Minutes,
            "h" => Precision::Hours,
            _ => return None,
        })
    }

    /// The timestamp in epoch milliseconds, rounded down; `None` on overflow.
    pub fn to_ms(self, ts: i64) -> Option<i64> {
        match self {
            Precision::Nanoseconds => Some(ts.div_euclid(1_000_000)),
            Precision::Microseconds => Some(ts.div_euclid(1_000)),
            Precision::Milliseconds => Some(ts),
            Precision::Seconds => ts.checked_mul(1_000),
            Precision::Minutes => ts.checked_mul(60_000),
            Precision::Hours => ts.checked_mul(3_600_000),
        }
    }
}

/// A parsed body: the points to store, and how many string fields were
/// left out (sensorboard stores numbers; producers such as Telegraf's
/// `system` input and Home Assistant's `*_str` attributes mix strings in,
/// and refusing their whole batch would stop them from working).
#[derive(Debug)]
pub struct LineBatch {
    pub batch: ValidBatch,
    pub ignored_string_fields: usize,
}

/// Parses a whole body; the first bad line fails it, naming the line.
///
/// A collector sends the same series line after line, so each distinct
/// (measurement and tags as written, field) is validated and keyed once;
/// later lines of it only check their time and value.
pub fn parse_line_batch(body: &str, precision: Precision, now_ms: i64) -> Result<LineBatch, IngestError> {
    let mut builder = BatchBuilder::default();
    let mut slots: FxHashMap<(&str, &str), usize> = FxHashMap::default();
    let mut ignored_string_fields = 0;
    let mut line = Line::default();
    for (line_no, text) in data_lines(body) {
        let fail = |reason: String| IngestError::Line { line: line_no, reason };
        parse_line_into(text, &mut line).map_err(fail)?;
        let t = match line.timestamp {
            None => now_ms,
            Some(ts) => precision
                .to_ms(ts)
                .ok_or_else(|| fail(format!("timestamp {ts} is out of range")))?,
        };
        for (field, value) in &line.fields {
            let v = match value {
                FieldValue::Float(f) => *f,
                FieldValue::Int(i) => *i as f64,
                FieldValue::UInt(u) => *u as f64,
                FieldValue::Bool(b) => f64::from(u8::from(*b)),
                FieldValue::Str(_) => {
                    ignored_string_fields += 1;
                    continue;
                }
            };
            let known = match field {
                Cow::Borrowed(name) => slots.get(&(line.series_text, *name)).copied(),
                Cow::Owned(_) => None,
            };
            match known {
                Some(slot) => {
                    validate_sample(t, v).map_err(fail)?;
                    builder.push_at(slot, t, v);
                }
                None => {
                    let labels: Labels = line.tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
                    let name = format!("{}.{field}", line.measurement);
                    let slot = builder.push(validate_point(name, labels, None, t, v).map_err(fail)?);
                    if let Cow::Borrowed(name) = field {
                        slots.insert((line.series_text, name), slot);
                    }
                }
            }
        }
    }
    Ok(LineBatch {
        batch: builder.finish()?,
        ignored_string_fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_428_000_000;

    #[test]
    fn fields_become_series_with_tags_as_labels() {
        let body = "weather,site=north temp=21.5,hum=60i,ok=true 1795428000000000000\n";
        let parsed = parse_line_batch(body, Precision::Nanoseconds, NOW).unwrap();
        let keys: Vec<(&str, i64, f64)> = parsed.batch.points().map(|p| (p.key, p.t, p.v)).collect();
        assert_eq!(
            keys,
            [
                (r#"weather.temp{site="north"}"#, NOW, 21.5),
                (r#"weather.hum{site="north"}"#, NOW, 60.0),
                (r#"weather.ok{site="north"}"#, NOW, 1.0),
            ]
        );
    }

    #[test]
    fn precisions_and_missing_timestamps() {
        let at = |text: &str, p| parse_line_batch(text, p, NOW).unwrap().batch.points().next().unwrap().t;
        assert_eq!(at("m v=1 1795428000", Precision::Seconds), NOW);
        assert_eq!(at("m v=1 1795428000123", Precision::Milliseconds), NOW + 123);
        assert_eq!(at("m v=1 1795428000123999", Precision::Microseconds), NOW + 123);
        assert_eq!(at("m v=1", Precision::Nanoseconds), NOW);
        assert_eq!(Precision::parse("us"), Some(Precision::Microseconds));
        assert_eq!(Precision::parse("n"), Some(Precision::Nanoseconds));
        assert_eq!(Precision::parse("d"), None);
        assert_eq!(Precision::Hours.to_ms(i64::MAX), None);
    }

    #[test]
    fn string_fields_are_left_out_and_counted() {
        let parsed = parse_line_batch("system uptime=5i,uptime_format=\"0:05\"", Precision::Seconds, NOW).unwrap();
        assert_eq!(parsed.batch.len(), 1);
        assert_eq!(parsed.ignored_string_fields, 1);
        let only_strings = parse_line_batch("m s=\"x\"", Precision::Seconds, NOW).unwrap_err();
        assert_eq!(only_strings, IngestError::Empty);
    }

    #[test]
    fn lines_of_one_series_group_whatever_their_tag_order() {
        let body = "m,a=1,b=2 v=1 1\nm,b=2,a=1 v=2 2\nm,a=1,b=2 v=3,w=4 3\n";
        let parsed = parse_line_batch(body, Precision::Seconds, NOW).unwrap();
        let series: Vec<(&str, &[(i64, f64)])> = parsed
            .batch
            .series()
            .iter()
            .map(|s| (s.key.as_str(), &s.points[..]))
            .collect();
        assert_eq!(
            series,
            [
                (r#"m.v{a="1",b="2"}"#, &[(1_000, 1.0), (2_000, 2.0), (3_000, 3.0)][..]),
                (r#"m.w{a="1",b="2"}"#, &[(3_000, 4.0)][..]),
            ]
        );
        let err = parse_line_batch("m v=1 1\nm v=2 -1\n", Precision::Seconds, NOW).unwrap_err();
        assert!(
            matches!(&err, IngestError::Line { line: 2, .. }),
            "a known series still checks each time: {err:?}"
        );
    }

    #[test]
    fn a_bad_line_fails_the_batch_and_is_named() {
        let body = "m v=1 1\n\n# note\nm v=oops 2\n";
        let err = parse_line_batch(body, Precision::Seconds, NOW).unwrap_err();
        assert!(
            matches!(&err, IngestError::Line { line: 4, reason } if reason.contains("oops")),
            "{err:?}"
        );
        let err = parse_line_batch("m v=1 -5", Precision::Seconds, NOW).unwrap_err();
        assert!(
            matches!(&err, IngestError::Line { line: 1, reason } if reason.contains("1970")),
            "{err:?}"
        );
        let err = parse_line_batch("m v=1 99999999999999999", Precision::Seconds, NOW).unwrap_err();
        assert!(
            matches!(&err, IngestError::Line { line: 1, reason } if reason.contains("out of range")),
            "{err:?}"
        );
    }
}
