//! The simple producer format of `POST /api/telemetry`:
//! `{"timestamp":"2026-11-23T10:00:00Z","signals":{"temp":21.5,"rpm":1200}}`
//! or a JSON array of such objects. Each signal is a series of that name;
//! `timestamp` (RFC 3339, epoch ms or relative) defaults to the time of
//! receipt; booleans are stored as 1 and 0.

use super::{json_reason, IngestError};
use crate::batch::{validate_point, ValidBatch};
use app::domain::TimeSpec;
use app::model::Labels;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Report {
    #[serde(default)]
    timestamp: Option<TimeSpec>,
    signals: BTreeMap<String, Reading>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Reading {
    Number(f64),
    Flag(bool),
}

/// Parses one report or an array of them; the first bad one fails all.
pub fn parse_telemetry(body: &[u8], now_ms: i64) -> Result<ValidBatch, IngestError> {
    let body_error = |e: serde_json::Error| IngestError::Body(e.to_string());
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let reports: Vec<(String, &RawValue)> = if first == Some(&b'[') {
        let items: Vec<&RawValue> = serde_json::from_slice(body).map_err(body_error)?;
        items
            .into_iter()
            .enumerate()
            .map(|(i, raw)| (format!("[{i}]"), raw))
            .collect()
    } else {
        vec![(String::new(), serde_json::from_slice(body).map_err(body_error)?)]
    };
    let mut points = Vec::new();
    for (path, raw) in reports {
        let at = |field: &str, reason: String| IngestError::At {
            path: format!("{path}{field}"),
            reason,
        };
        let report: Report = serde_json::from_str(raw.get()).map_err(|e| at("", json_reason(&e)))?;
        let t = report.timestamp.map_or(now_ms, |t| t.resolve(now_ms));
        for (name, reading) in report.signals {
            let v = match reading {
                Reading::Number(v) => v,
                Reading::Flag(b) => f64::from(u8::from(b)),
            };
            let point = validate_point(name.clone(), Labels::new(), None, t, v);
            points.push(point.map_err(|reason| at(&format!(".signals.{name}"), reason))?);
        }
    }
    Ok(ValidBatch::new(points)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_428_000_000;

    fn parse(body: &str) -> Result<ValidBatch, IngestError> {
        parse_telemetry(body.as_bytes(), NOW)
    }

    #[test]
    fn one_report_or_many() {
        let one =
            parse(r#"{"timestamp":"2026-11-23T10:00:01Z","signals":{"temp":21.5,"rpm":1200,"on":true}}"#).unwrap();
        let got = super::super::flat_points(&one);
        assert_eq!(
            got,
            [
                ("on", NOW + 1000, 1.0),
                ("rpm", NOW + 1000, 1200.0),
                ("temp", NOW + 1000, 21.5)
            ]
        );
        let many = parse(r#" [{"signals":{"a":1}},{"timestamp":1795427000000,"signals":{"a":2}}]"#).unwrap();
        let times: Vec<i64> = super::super::flat_points(&many).iter().map(|p| p.1).collect();
        assert_eq!(times, [NOW, 1_795_427_000_000]);
    }

    #[test]
    fn errors_name_the_report_and_signal() {
        let err = parse(r#"[{"signals":{"a":1}},{"signals":{"a":"warm"}}]"#).unwrap_err();
        assert!(matches!(&err, IngestError::At { path, .. } if path == "[1]"), "{err:?}");
        let err = parse(r#"{"signals":{"":1}}"#).unwrap_err();
        assert!(
            matches!(&err, IngestError::At { path, reason } if path == ".signals." && reason.contains("empty")),
            "{err:?}"
        );
        let err = parse(r#"{"timestamp":"1900-01-01T00:00:00Z","signals":{"a":1}}"#).unwrap_err();
        assert!(err.to_string().contains("1970"), "{err}");
        assert!(matches!(parse(r#"{"signals":{}}"#), Err(IngestError::Empty)));
        assert!(matches!(parse("[]"), Err(IngestError::Empty)));
        assert!(matches!(parse("{"), Err(IngestError::Body(_))));
        assert!(matches!(parse(r#"{"values":{"a":1}}"#), Err(IngestError::At { .. })));
    }
}
