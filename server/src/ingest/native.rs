//! The native JSON batch of `POST /api/v1/write`:
//! `{"points":[{"series":"boiler.temp","labels":{"site":"north"},"unit":"°C","t":1732356000000,"v":21.5}]}`.
//! `labels`, `unit` and `t` are optional; `t` defaults to the time of receipt
//! and may also be RFC 3339 or relative (`now-5s`).

use super::{json_reason, IngestError};
use crate::batch::{validate_point, ValidBatch};
use app::domain::TimeSpec;
use app::model::Labels;
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireBatch<'a> {
    #[serde(borrow)]
    points: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WirePoint {
    series: String,
    #[serde(default)]
    labels: Labels,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    t: Option<TimeSpec>,
    v: f64,
}

/// Parses and validates a whole batch; the first bad point fails it.
pub fn parse_native_batch(body: &[u8], now_ms: i64) -> Result<ValidBatch, IngestError> {
    let batch: WireBatch = serde_json::from_slice(body).map_err(|e| IngestError::Body(e.to_string()))?;
    let mut points = Vec::with_capacity(batch.points.len());
    for (index, raw) in batch.points.iter().enumerate() {
        let fail = |reason: String| IngestError::Point { index, reason };
        let p: WirePoint = serde_json::from_str(raw.get()).map_err(|e| fail(json_reason(&e)))?;
        let t = p.t.map_or(now_ms, |t| t.resolve(now_ms));
        points.push(validate_point(p.series, p.labels, p.unit, t, p.v).map_err(fail)?);
    }
    Ok(ValidBatch::new(points)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_428_000_000;

    fn parse(body: &str) -> Result<ValidBatch, IngestError> {
        parse_native_batch(body.as_bytes(), NOW)
    }

    fn point_error(body: &str) -> (usize, String) {
        match parse(body) {
            Err(IngestError::Point { index, reason }) => (index, reason),
            other => panic!("expected a point error, got {other:?}"),
        }
    }

    #[test]
    fn full_and_minimal_points() {
        let batch = parse(
            r#"{"points":[
                {"series":"boiler.temp","labels":{"site":"north"},"unit":"°C","t":1732356000000,"v":21.5},
                {"series":"rpm","v":1200},
                {"series":"rpm","t":"2026-11-23T10:00:01Z","v":1201},
                {"series":"rpm","t":"now-5s","v":1199}
            ]}"#,
        )
        .unwrap();
        let p = super::super::flat_points(&batch);
        assert_eq!(p[0].0, r#"boiler.temp{site="north"}"#);
        assert_eq!(batch.series()[0].unit.as_deref(), Some("°C"));
        assert_eq!((p[1].1, p[1].2), (NOW, 1200.0));
        assert_eq!(p[2].1, NOW + 1000);
        assert_eq!(p[3].1, NOW - 5000);
    }

    #[test]
    fn errors_name_the_point() {
        let ok = r#"{"series":"a","v":1}"#;
        assert_eq!(
            point_error(&format!(r#"{{"points":[{ok},{{"series":"a","v":"x"}}]}}"#)).0,
            1
        );
        let (i, reason) = point_error(&format!(r#"{{"points":[{ok},{ok},{{"series":"","v":1}}]}}"#));
        assert_eq!(i, 2);
        assert!(reason.contains("empty"), "{reason}");
        let (_, reason) = point_error(r#"{"points":[{"series":"a","v":1,"tags":{}}]}"#);
        assert!(
            reason.contains("unknown field `tags`") && !reason.contains("line"),
            "{reason}"
        );
        let (_, reason) = point_error(r#"{"points":[{"series":"a","t":-1,"v":1}]}"#);
        assert!(reason.contains("1970"), "{reason}");
        let (_, reason) = point_error(r#"{"points":[{"series":"a","v":1e999}]}"#);
        assert!(reason.contains("number out of range"), "{reason}");
        let (_, reason) = point_error(r#"{"points":[{"series":"a"}]}"#);
        assert!(reason.contains("missing field `v`"), "{reason}");
    }

    #[test]
    fn malformed_bodies() {
        for body in ["", "{", "[]", r#"{"points":{}}"#, r#"{"points":[1]"#, "\u{0}"] {
            assert!(
                matches!(parse(body), Err(IngestError::Body(_)) | Err(IngestError::Point { .. })),
                "{body:?}"
            );
        }
        assert_eq!(parse(r#"{"points":[]}"#).unwrap_err(), IngestError::Empty);
        assert!(matches!(
            parse_native_batch(b"{\"points\":[{\"series\":\"\xff\",\"v\":1}]}", NOW),
            Err(IngestError::Body(_))
        ));
    }
}
