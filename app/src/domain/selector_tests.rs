use super::*;

fn m(label: &str, op: MatchOp, value: &str) -> Matcher {
    Matcher {
        label: label.into(),
        op,
        value: value.into(),
    }
}

#[test]
fn a_name_and_every_operator() {
    let s = Selector::parse(r#"fleet.f3{site="s2", device=~"d0.*", line!="3", kind!~'x|y'}"#).unwrap();
    assert_eq!(
        s.matchers,
        [
            m(NAME_LABEL, MatchOp::Equal, "fleet.f3"),
            m("site", MatchOp::Equal, "s2"),
            m("device", MatchOp::Regex, "d0.*"),
            m("line", MatchOp::NotEqual, "3"),
            m("kind", MatchOp::NotRegex, "x|y"),
        ]
    );
}

#[test]
fn a_bare_name_braces_alone_and_spacing() {
    assert_eq!(
        Selector::parse("  boiler.temp ").unwrap().matchers,
        [m(NAME_LABEL, MatchOp::Equal, "boiler.temp")]
    );
    assert_eq!(
        Selector::parse("boiler.temp{}").unwrap().matchers,
        [m(NAME_LABEL, MatchOp::Equal, "boiler.temp")]
    );
    let s = Selector::parse(r#"{ __name__ =~ "fleet\..*" , site = "s1" , }"#).unwrap();
    assert_eq!(
        s.matchers,
        [
            m(NAME_LABEL, MatchOp::Regex, r"fleet\..*"),
            m("site", MatchOp::Equal, "s1")
        ]
    );
}

#[test]
fn escapes_in_values() {
    let s = Selector::parse(r#"t{path="C:\\x \"y\"", re=~"a\.b", nl="1\n2"}"#).unwrap();
    assert_eq!(s.matchers[1].value, r#"C:\x "y""#);
    assert_eq!(s.matchers[2].value, r"a\.b", "a regex keeps its own escapes");
    assert_eq!(s.matchers[3].value, "1\n2");
}

#[test]
fn the_canonical_text_parses_to_the_same_selector() {
    for text in [
        r#"fleet.f3{site="s2", device=~"d0.*", line!="3"}"#,
        "boiler.temp",
        r#"{__name__=~"fleet\..*", path="C:\\x \"y\""}"#,
        r#"a b{c!~"\d+"}"#,
    ] {
        let s = Selector::parse(text).unwrap();
        let again = Selector::parse(&s.to_string()).unwrap();
        assert_eq!(again, s, "{text} → {s}");
    }
    assert_eq!(
        Selector::parse(r#"fleet.f3 { site = 's2' }"#).unwrap().to_string(),
        r#"fleet.f3{site="s2"}"#
    );
}

#[test]
fn malformed_selectors_say_where() {
    let cases = [
        (r#"t{site="s2""#, "expected `,` or `}`"),
        (r#"t{site="s2}"#, "not closed"),
        (r#"t{="s2"}"#, "expected a label name"),
        (r#"t{site~"s2"}"#, "expected =, !="),
        (r#"t{site=s2}"#, "expected a quoted value"),
        (r#"t{site="s2"} x"#, "unexpected text"),
        ("a}b", "contains"),
        ("", "needs a series name"),
        (r#"{site!="s2"}"#, "needs a series name"),
        (r#"{site=""}"#, "needs a series name"),
        (r#"{site=~".*"}"#, "needs a series name"),
    ];
    for (text, expected) in cases {
        let e = Selector::parse(text).unwrap_err();
        assert!(e.message.contains(expected), "{text}: {e}");
    }
    assert_eq!(Selector::parse(r#"t{site~"s2"}"#).unwrap_err().at, 6);
}

#[test]
fn limits_on_size_and_matchers() {
    let many: Vec<String> = (0..MAX_MATCHERS).map(|i| format!("l{i}=\"v\"")).collect();
    assert!(
        Selector::parse(&format!("t{{{}}}", many.join(","))).is_err(),
        "the name is one more"
    );
    assert!(Selector::parse(&format!("{{{}}}", many.join(","))).is_ok());
    let long = format!("t{{a=\"{}\"}}", "x".repeat(MAX_SELECTOR_BYTES));
    assert!(Selector::parse(&long).unwrap_err().message.contains("at most"));
}

#[test]
fn narrowing_adds_or_replaces_an_equality() {
    assert_eq!(Selector::narrowed("", "site", "s2"), r#"{site="s2"}"#);
    assert_eq!(
        Selector::narrowed(r#"{site="s2"}"#, NAME_LABEL, "fleet.f3"),
        r#"fleet.f3{site="s2"}"#
    );
    assert_eq!(
        Selector::narrowed(r#"fleet.f3{site="s2"}"#, "site", "s1"),
        r#"fleet.f3{site="s1"}"#
    );
    assert_eq!(
        Selector::narrowed(r#"fleet.f3{site=~"s.*"}"#, "line", "3"),
        r#"fleet.f3{site=~"s.*", line="3"}"#
    );
    assert_eq!(Selector::narrowed("not a{", "site", "s2"), r#"{site="s2"}"#);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn matcher() -> impl Strategy<Value = Matcher> {
        let label = "[a-z_][a-z0-9_.]{0,8}";
        let op = prop::sample::select(vec![
            MatchOp::Equal,
            MatchOp::NotEqual,
            MatchOp::Regex,
            MatchOp::NotRegex,
        ]);
        // Values with quotes, backslashes, braces, commas and non-ASCII.
        let value = r#"[a-z0-9"\\{},= é.*]{0,10}"#;
        (label, op, value).prop_map(|(label, op, value)| Matcher { label, op, value })
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,60}") {
            let _ = Selector::parse(&text);
        }

        #[test]
        fn never_panics_on_selector_like_text(text in r#"[a-z.]{0,6}\{?([a-z_]{0,4}(=|!=|=~|!~)?("[^"]{0,6}"?|'[^']{0,4}'?)?,? ?){0,4}\}?"#) {
            let _ = Selector::parse(&text);
        }

        /// Any selector that parses prints as text that parses to it.
        #[test]
        fn the_canonical_text_round_trips(
            name in prop::option::of("[a-z][a-z0-9.]{0,8}"),
            mut matchers in prop::collection::vec(matcher(), 0..4),
        ) {
            if let Some(name) = name {
                matchers.insert(0, Matcher { label: NAME_LABEL.into(), op: MatchOp::Equal, value: name });
            }
            let selector = Selector { matchers };
            if let Ok(parsed) = Selector::parse(&selector.to_string()) {
                prop_assert_eq!(Selector::parse(&parsed.to_string()).unwrap(), parsed.clone());
                prop_assert_eq!(parsed, selector);
            }
        }
    }
}
