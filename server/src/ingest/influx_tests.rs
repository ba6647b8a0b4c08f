use super::*;
use crate::batch::validate_point;
use proptest::prelude::*;

const NOW: i64 = 1_795_428_000_000;

fn parse(body: &str, precision: Precision) -> Result<LineBatch, IngestError> {
    parse_twice(body, precision, LineRules::default())
}

/// Parses `body` once with no shapes kept and once more with the shapes
/// the first pass kept, which must read it alike.
fn parse_twice(body: &str, precision: Precision, rules: LineRules) -> Result<LineBatch, IngestError> {
    let shapes = LineShapes::default();
    let first = parse_line_batch(body, precision, NOW, rules, &shapes);
    let again = parse_line_batch(body, precision, NOW, rules, &shapes);
    assert_eq!(
        format!("{first:?}"),
        format!("{again:?}"),
        "kept shapes read {body:?} alike"
    );
    again
}

#[test]
fn fields_become_series_with_tags_as_labels() {
    let body = "weather,site=north temp=21.5,hum=60i,ok=true 1795428000000000000\n";
    let parsed = parse(body, Precision::Nanoseconds).unwrap();
    let keys = super::super::flat_points(&parsed.batch);
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
    let at = |text: &str, p| super::super::flat_points(&parse(text, p).unwrap().batch)[0].1;
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
fn string_fields_are_refused_naming_the_line_and_field() {
    let body = "system uptime=5i 1\nsystem uptime=6i,uptime_format=\"0:06\" 2\n";
    let err = parse(body, Precision::Seconds).unwrap_err();
    assert!(
        matches!(&err, IngestError::Line { line: 2, reason } if reason.contains("`uptime_format` is a string")),
        "{err:?}"
    );
}

#[test]
fn string_fields_can_be_left_out_and_counted() {
    let rules = LineRules {
        strings: StringFields::Skip,
        ..LineRules::default()
    };
    let skip = |body| parse_twice(body, Precision::Seconds, rules);
    let parsed = skip("system uptime=5i,uptime_format=\"0:05\"").unwrap();
    assert_eq!(parsed.batch.len(), 1);
    assert_eq!(parsed.ignored_string_fields, 1);
    assert_eq!(skip("m s=\"x\"").unwrap_err(), IngestError::Empty);
}

#[test]
fn lines_of_one_series_group_whatever_their_tag_order() {
    let body = "m,a=1,b=2 v=1 1\nm,b=2,a=1 v=2 2\nm,a=1,b=2 v=3,w=4 3\n";
    let parsed = parse(body, Precision::Seconds).unwrap();
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
    let err = parse("m v=1 1\nm v=2 -1\n", Precision::Seconds).unwrap_err();
    assert!(
        matches!(&err, IngestError::Line { line: 2, .. }),
        "a known series still checks each time: {err:?}"
    );
}

#[test]
fn a_bad_line_fails_the_batch_and_is_named() {
    let body = "m v=1 1\n\n# note\nm v=oops 2\n";
    let err = parse(body, Precision::Seconds).unwrap_err();
    assert!(
        matches!(&err, IngestError::Line { line: 4, reason } if reason.contains("oops")),
        "{err:?}"
    );
    let err = parse("m v=1 -5", Precision::Seconds).unwrap_err();
    assert!(
        matches!(&err, IngestError::Line { line: 1, reason } if reason.contains("1970")),
        "{err:?}"
    );
    let err = parse("m v=1 99999999999999999", Precision::Seconds).unwrap_err();
    assert!(
        matches!(&err, IngestError::Line { line: 1, reason } if reason.contains("out of range")),
        "{err:?}"
    );
}

/// A series key and its points.
type KeyedPoints = (String, Vec<(i64, f64)>);

/// What the body parses to when every line goes through the full parser.
fn reference(body: &str) -> Result<Vec<KeyedPoints>, usize> {
    let mut points = Vec::new();
    for (n, parsed) in super::super::line_protocol::lines(body) {
        let line = parsed.map_err(|_| n)?;
        let t = match line.timestamp {
            None => NOW,
            Some(ts) => Precision::Seconds.to_ms(ts).ok_or(n)?,
        };
        for (field, value) in &line.fields {
            let v = number(value).ok_or(n)?;
            let labels = line.tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            points.push(validate_point(format!("{}.{field}", line.measurement), labels, None, t, v).map_err(|_| n)?);
        }
    }
    let batch = ValidBatch::new(points).map_err(|_| 0_usize)?;
    Ok(batch
        .series()
        .iter()
        .map(|s| (s.key.clone(), s.points.clone()))
        .collect())
}

fn line_text() -> impl Strategy<Value = String> {
    let series = prop::sample::select(vec!["m", "m,a=1", "m,a=2", "n,a=1,b=x", "m\\ x,a=1", "m,a=1 "]);
    let field = prop::sample::select(vec!["v", "w", "v\\,q"]);
    let value = prop::sample::select(vec!["1", "-2.5", "3i", "4u", "true", "1e3", "oops", "\"s\"", "NaN", ""]);
    let time = prop::sample::select(vec!["", " 5", " 6", "  7 ", " -1", " 9x"]);
    (series, prop::collection::vec((field, value), 1..3), time).prop_map(|(series, fields, time)| {
        let fields: Vec<String> = fields.into_iter().map(|(f, v)| format!("{f}={v}")).collect();
        format!("{series} {}{time}", fields.join(","))
    })
}

proptest! {
    /// Lines of known series take a shorter path; the batch, or the line
    /// an error names, is what the full parser makes of every line.
    #[test]
    fn the_fast_path_agrees_with_the_full_parser(
        lines in prop::collection::vec(line_text(), 1..12),
        earlier in prop::collection::vec(line_text(), 0..12),
    ) {
        let body = lines.join("\n");
        // Shapes kept from an earlier body, good or bad, change nothing.
        let shapes = LineShapes::default();
        let _ = parse_line_batch(&earlier.join("\n"), Precision::Seconds, NOW, LineRules::default(), &shapes);
        let fast = parse_line_batch(&body, Precision::Seconds, NOW, LineRules::default(), &shapes)
            .map(|p| p.batch.series().iter().map(|s| (s.key.clone(), s.points.clone())).collect::<Vec<_>>())
            .map_err(|e| match e {
                IngestError::Line { line, .. } => line,
                _ => 0,
            });
        prop_assert_eq!(fast, reference(&body));
    }
}

#[test]
fn a_body_naming_more_series_than_allowed_is_refused_as_it_is_read() {
    let rules = LineRules {
        max_series: 4,
        ..LineRules::default()
    };
    let parse = |body: &str| parse_twice(body, Precision::Seconds, rules);
    assert!(parse("a x=1,y=2 1795428000\nb x=1,y=2 1795428000\na x=3 1795428001").is_ok());
    assert_eq!(
        parse("a x=1,y=2 1795428000\nb x=1,y=2 1795428000\nc x=1 1795428000\nnot even a line").unwrap_err(),
        IngestError::Line {
            line: 3,
            reason: "the body names more than 4 series (--max-series-per-batch); send it in smaller batches".into()
        },
        "stopped at the fifth series, before the broken line"
    );
}

#[test]
fn a_line_with_more_fields_than_allowed_refuses_the_body() {
    let fields = |n: usize| (0..n).map(|i| format!("f{i}={i}")).collect::<Vec<_>>().join(",");
    let rules = LineRules {
        max_fields: 3,
        ..LineRules::default()
    };
    let parse = |body: &str| parse_twice(body, Precision::Seconds, rules);
    assert!(parse(&format!("m {} 1795428000", fields(3))).is_ok());
    let body = format!("m {} 1795428000\nwide {} 1795428000", fields(3), fields(4));
    assert_eq!(
        parse(&body).unwrap_err(),
        IngestError::Line {
            line: 2,
            reason: "the line has 4 fields; the limit is 3 (--max-fields-per-line)".into()
        }
    );
    let default = parse_twice(
        &format!("m {}", fields(100_000)),
        Precision::Seconds,
        LineRules::default(),
    );
    assert!(default
        .unwrap_err()
        .to_string()
        .contains("100000 fields; the limit is 1000"));
}
