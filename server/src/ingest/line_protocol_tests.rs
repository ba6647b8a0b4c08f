use super::*;
use proptest::prelude::*;

fn one(text: &str) -> Line<'_> {
    parse_line(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn a_full_line() {
    let l = one(
        r#"weather,location=us-midwest,season=summer temperature=82,humidity=71i,ok=t,note="hot" 1465839830100400200"#,
    );
    assert_eq!(l.measurement, "weather");
    assert_eq!(
        l.tags,
        [
            ("location".into(), "us-midwest".into()),
            ("season".into(), "summer".into())
        ]
    );
    assert_eq!(
        l.fields,
        [
            ("temperature".into(), FieldValue::Float(82.0)),
            ("humidity".into(), FieldValue::Int(71)),
            ("ok".into(), FieldValue::Bool(true)),
            ("note".into(), FieldValue::Str("hot".into())),
        ]
    );
    assert_eq!(l.timestamp, Some(1_465_839_830_100_400_200));
}

#[test]
fn minimal_lines_and_value_kinds() {
    let l = one("cpu value=1");
    assert!(l.tags.is_empty() && l.timestamp.is_none());
    assert_eq!(one("m v=-1.5e3").fields[0].1, FieldValue::Float(-1500.0));
    assert_eq!(one("m v=18446744073709551615u").fields[0].1, FieldValue::UInt(u64::MAX));
    assert_eq!(one("m v=-9223372036854775808i").fields[0].1, FieldValue::Int(i64::MIN));
    for t in ["t", "T", "true", "True", "TRUE"] {
        assert_eq!(one(&format!("m v={t}")).fields[0].1, FieldValue::Bool(true));
    }
    assert_eq!(one("m v=FALSE").fields[0].1, FieldValue::Bool(false));
    assert_eq!(one("m v=1 -1000").timestamp, Some(-1000));
    assert_eq!(one("m  v=1   5  ").timestamp, Some(5));
}

#[test]
fn escapes() {
    let l = one(r#"my\ meas\,ure,ta\ g\=k=v\,al\ ue f\=ield\ 1="say \"hi\" \\ ok",x=1"#);
    assert_eq!(l.measurement, "my meas,ure");
    assert_eq!(l.tags, [("ta g=k".into(), "v,al ue".into())]);
    assert_eq!(
        l.fields[0],
        ("f=ield 1".into(), FieldValue::Str(r#"say "hi" \ ok"#.into()))
    );
    let l = one(r"path\to v=1");
    assert_eq!(
        l.measurement, r"path\to",
        "a backslash before an ordinary character is literal"
    );
    assert!(
        matches!(one("m v=1").measurement, Cow::Borrowed(_)),
        "no copy without escapes"
    );
    assert!(matches!(
        one("°C,entity_id=living v=21.5").measurement,
        Cow::Borrowed("°C")
    ));
}

#[test]
fn errors_say_what_is_wrong() {
    let cases = [
        ("", "measurement"),
        (",a=b v=1", "measurement"),
        ("m", "space"),
        ("m,tag v=1", "key=value"),
        ("m,tag= v=1", "no value"),
        ("m v", "key=value"),
        ("m v=", "missing"),
        ("m v=abc", "not a number"),
        ("m v=1.2.3", "not a number"),
        ("m v=NaN", "not a number"),
        ("m v=inf", "not a number"),
        ("m v=1e999", "not a number"),
        ("m v=12x", "not a number"),
        ("m v=1i2", "not a number"),
        (r#"m v="open"#, "closing quote"),
        ("m v=1 12:00", "timestamp"),
        ("m v=1 1 2", "timestamp"),
        ("m v=1,", "key=value"),
    ];
    for (text, expect) in cases {
        let err = parse_line(text).expect_err(text);
        assert!(err.contains(expect), "{text:?}: {err}");
    }
}

#[test]
fn line_numbers_skip_blanks_and_comments() {
    let body = "# header\n\ncpu v=1\r\n  \nmem v=2\nbad\n";
    let got: Vec<(usize, bool)> = lines(body).map(|(n, r)| (n, r.is_ok())).collect();
    assert_eq!(got, [(3, true), (5, true), (6, false)]);
}

fn escape(s: &str, special: &[char]) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if special.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn name() -> impl Strategy<Value = String> {
    // Printable text with the characters that need escaping; no leading
    // backslash pairs that would read as escapes of the next character.
    "[a-zA-Z0-9_ ,=.°é-]{1,12}".prop_filter("not blank-led", |s| !s.starts_with(' ') && !s.starts_with('#'))
}

proptest! {
    #[test]
    fn written_lines_parse_back(
        measurement in name(),
        tags in prop::collection::btree_map(name(), name(), 0..4),
        fields in prop::collection::btree_map(name(), prop_oneof![
            any::<f64>().prop_filter("finite", |v| v.is_finite()).prop_map(FieldValue::Float),
            any::<i64>().prop_map(FieldValue::Int),
            any::<u64>().prop_map(FieldValue::UInt),
            any::<bool>().prop_map(FieldValue::Bool),
            "[ -~]{0,10}".prop_map(|s| FieldValue::Str(s.into())),
        ], 1..4),
        timestamp in prop::option::of(any::<i64>()),
    ) {
        let mut text = escape(&measurement, &[',', ' ']);
        for (k, v) in &tags {
            text += &format!(",{}={}", escape(k, &[',', '=', ' ']), escape(v, &[',', '=', ' ']));
        }
        let written: Vec<String> = fields.iter().map(|(k, v)| {
            let value = match v {
                FieldValue::Float(f) => format!("{f:?}"),
                FieldValue::Int(i) => format!("{i}i"),
                FieldValue::UInt(u) => format!("{u}u"),
                FieldValue::Bool(b) => b.to_string(),
                FieldValue::Str(s) => format!("\"{}\"", escape(s, &['"', '\\'])),
            };
            format!("{}={value}", escape(k, &[',', '=', ' ']))
        }).collect();
        text += &format!(" {}", written.join(","));
        if let Some(t) = timestamp {
            text += &format!(" {t}");
        }
        let line = parse_line(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(line.measurement.as_ref(), measurement.as_str());
        let parsed_tags: Vec<(String, String)> = line.tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let expected_tags: Vec<(String, String)> = tags.into_iter().collect();
        prop_assert_eq!(parsed_tags, expected_tags);
        let parsed_fields: Vec<(String, FieldValue)> = line.fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let expected_fields: Vec<(String, FieldValue)> = fields.into_iter().collect();
        prop_assert_eq!(parsed_fields, expected_fields);
        prop_assert_eq!(line.timestamp, timestamp);
    }

    #[test]
    fn never_panics(text in "\\PC{0,60}") {
        let _ = parse_line(&text);
        let _ = lines(&text).count();
    }
}
