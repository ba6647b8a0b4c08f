use super::*;
use app::domain::{series_key, Selector};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn key(name: &str, pairs: &[(&str, &str)]) -> String {
    let labels: BTreeMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    series_key(name, &labels)
}

/// A catalogue of `keys` with ids 10, 20, 30, ...
fn catalog(keys: &[String]) -> Catalog {
    let mut c = Catalog::default();
    c.add(keys.iter().enumerate().map(|(i, k)| ((i as i64 + 1) * 10, k.clone())));
    c
}

fn fleet() -> Vec<String> {
    let mut keys = Vec::new();
    for d in 0..12 {
        for f in ["f1", "f2", "f3"] {
            let site = format!("s{}", d % 3);
            let device = format!("d{d:02}");
            let mut pairs = vec![("site", site.as_str()), ("device", device.as_str())];
            if d % 4 == 0 {
                pairs.push(("line", "3"));
            }
            keys.push(key(&format!("fleet.{f}"), &pairs));
        }
    }
    keys.push("boiler.temp".into());
    keys
}

fn select(c: &Catalog, text: &str) -> Result<Vec<String>, SelectError> {
    let selector = CompiledSelector::new(&Selector::parse(text).unwrap())?;
    let mut keys: Vec<String> = c
        .select(&selector, 1_000)?
        .into_iter()
        .map(|p| c.key(p).to_owned())
        .collect();
    keys.sort();
    Ok(keys)
}

#[test]
fn keys_are_found_by_exact_lookup() {
    let c = catalog(&fleet());
    assert_eq!(c.id_of("boiler.temp"), Some(370));
    assert_eq!(
        c.id_of(&key("fleet.f1", &[("device", "d00"), ("line", "3"), ("site", "s0")])),
        Some(10)
    );
    assert_eq!(c.id_of("fleet.f1"), None);
    assert_eq!(c.len(), 37);
    assert_eq!(c.newest_id(), 370);
}

#[test]
fn every_operator_selects_like_prometheus() {
    let c = catalog(&fleet());
    let s2_f3 = select(&c, r#"fleet.f3{site="s2"}"#).unwrap();
    assert_eq!(s2_f3.len(), 4);
    assert!(s2_f3
        .iter()
        .all(|k| k.starts_with("fleet.f3{") && k.contains(r#"site="s2""#)));
    assert_eq!(select(&c, r#"fleet.f3{device=~"d0[0-4]"}"#).unwrap().len(), 5);
    assert_eq!(select(&c, r#"fleet.f3{device=~"d0"}"#).unwrap().len(), 0, "anchored");
    assert_eq!(
        select(&c, r#"fleet.f3{line!="3"}"#).unwrap().len(),
        9,
        "series without the label count"
    );
    assert_eq!(
        select(&c, r#"fleet.f3{line=""}"#).unwrap().len(),
        9,
        "an empty value means no label"
    );
    assert_eq!(select(&c, r#"fleet.f3{line!=""}"#).unwrap().len(), 3);
    assert_eq!(select(&c, r#"fleet.f3{device!~"d0.*"}"#).unwrap().len(), 2);
    assert_eq!(select(&c, r#"{__name__=~"fleet\..*", site="s0"}"#).unwrap().len(), 12);
    assert_eq!(select(&c, r#"{line="3"}"#).unwrap().len(), 9);
    assert_eq!(select(&c, "boiler.temp").unwrap(), ["boiler.temp"]);
    assert!(select(&c, "nothing").unwrap().is_empty());
}

#[test]
fn selectors_that_cannot_run_say_why() {
    let c = catalog(&fleet());
    assert!(matches!(
        select(&c, r#"{site=~"("}"#),
        Err(SelectError::BadRegex { .. })
    ));
    assert_eq!(select(&c, r#"{site=~"s.*|"}"#), Err(SelectError::MatchesEverything));
    let all = CompiledSelector::new(&Selector::parse(r#"{__name__=~"fleet.*"}"#).unwrap()).unwrap();
    assert_eq!(
        c.select(&all, 10),
        Err(SelectError::TooManySeries { matched: 36, limit: 10 })
    );
}

#[test]
fn label_names_and_values_with_counts() {
    let c = catalog(&fleet());
    assert_eq!(c.label_names("", 10), ["__name__", "device", "line", "site"]);
    assert_eq!(c.label_names("s", 10), ["site"]);
    assert_eq!(
        c.label_values("site", "", None, 10),
        [("s0".to_owned(), 12), ("s1".to_owned(), 12), ("s2".to_owned(), 12)]
    );
    assert_eq!(c.label_values("device", "d1", None, 10).len(), 2);
    let f3 = CompiledSelector::new(&Selector::parse(r#"fleet.f3{line="3"}"#).unwrap()).unwrap();
    let within = c.select(&f3, 100).unwrap();
    assert_eq!(
        c.label_values("site", "", Some(&within), 10),
        [("s0".to_owned(), 1), ("s1".to_owned(), 1), ("s2".to_owned(), 1)]
    );
    assert!(c.label_values("nope", "", None, 10).is_empty());
}

#[test]
fn search_pages_in_key_order_and_catches_up_with_new_series() {
    let mut c = catalog(&["b.Temp".into(), "a.temp{site=\"North\"}".into(), "c.rpm".into()]);
    let find = |c: &Catalog, needle: &str, after: Option<&str>| -> Vec<String> {
        let q = KeyQuery {
            needle,
            after,
            within: None,
            limit: 10,
        };
        c.search(&q).into_iter().map(|p| c.key(p).to_owned()).collect()
    };
    assert_eq!(find(&c, "TEMP", None), ["a.temp{site=\"North\"}", "b.Temp"]);
    c.add([(40, "a.b.temp".into()), (50, "0.temp".into())]);
    assert_eq!(
        find(&c, "temp", None),
        ["0.temp", "a.b.temp", "a.temp{site=\"North\"}", "b.Temp"]
    );
    assert_eq!(find(&c, "temp", Some("a.b.temp")), ["a.temp{site=\"North\"}", "b.Temp"]);
    assert_eq!(find(&c, "", Some("b")), ["b.Temp", "c.rpm"]);
    let within = [0, 2];
    let q = KeyQuery {
        needle: "",
        after: None,
        within: Some(&within),
        limit: 10,
    };
    let keys: Vec<&str> = c.search(&q).into_iter().map(|p| c.key(p)).collect();
    assert_eq!(keys, ["b.Temp", "c.rpm"]);
}

/// What a matcher keeps, written the obvious way.
fn model_keeps(labels: &BTreeMap<String, String>, m: &app::domain::Matcher) -> bool {
    let value = labels.get(&m.label).map_or("", String::as_str);
    let re = regex::Regex::new(&format!("^(?:{})$", m.value)).unwrap();
    match m.op {
        MatchOp::Equal => value == m.value,
        MatchOp::NotEqual => value != m.value,
        MatchOp::Regex => re.is_match(value),
        MatchOp::NotRegex => !re.is_match(value),
    }
}

use app::domain::MatchOp;

fn matcher() -> impl Strategy<Value = app::domain::Matcher> {
    let label = prop::sample::select(vec!["__name__", "site", "device", "line"]);
    let value = prop::sample::select(vec!["", "s1", "d1", "3", "m.a", "s.*", "d[12]", "m\\..*", ".+"]);
    let op = prop::sample::select(vec![
        MatchOp::Equal,
        MatchOp::NotEqual,
        MatchOp::Regex,
        MatchOp::NotRegex,
    ]);
    (label, op, value).prop_map(|(label, op, value)| app::domain::Matcher {
        label: label.into(),
        op,
        value: value.into(),
    })
}

fn series_labels() -> impl Strategy<Value = BTreeMap<String, String>> {
    (
        prop::sample::select(vec!["m.a", "m.b", "n"]),
        prop::option::of(prop::sample::select(vec!["s1", "s2"])),
        prop::option::of(prop::sample::select(vec!["d1", "d2", "d3"])),
        prop::option::of(prop::sample::select(vec!["3", "4"])),
    )
        .prop_map(|(name, site, device, line)| {
            let mut l = BTreeMap::new();
            l.insert("__name__".to_owned(), name.to_owned());
            for (k, v) in [("site", site), ("device", device), ("line", line)] {
                if let Some(v) = v {
                    l.insert(k.to_owned(), v.to_owned());
                }
            }
            l
        })
}

proptest! {
    /// Selecting through the postings keeps exactly the series the
    /// matchers keep one by one.
    #[test]
    fn selection_equals_the_brute_force_model(
        series in prop::collection::vec(series_labels(), 1..40),
        matchers in prop::collection::vec(matcher(), 1..4),
    ) {
        let mut keys: Vec<String> = series
            .iter()
            .map(|l| {
                let rest: BTreeMap<String, String> =
                    l.iter().filter(|(k, _)| *k != "__name__").map(|(k, v)| (k.clone(), v.clone())).collect();
                series_key(&l["__name__"], &rest)
            })
            .collect();
        keys.sort();
        keys.dedup();
        let c = catalog(&keys);
        let selector = Selector { matchers: matchers.clone() };
        let Ok(compiled) = CompiledSelector::new(&selector) else {
            // Refused only when every matcher keeps the empty value.
            prop_assert!(matchers.iter().all(|m| model_keeps(&BTreeMap::new(), m)));
            return Ok(());
        };
        let mut got: Vec<String> = c.select(&compiled, usize::MAX).unwrap().into_iter().map(|p| c.key(p).to_owned()).collect();
        got.sort();
        let expected: Vec<String> = keys
            .iter()
            .filter(|k| {
                let (name, labels) = parse_series_key(k).unwrap();
                let mut l: BTreeMap<String, String> = labels.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                l.insert("__name__".to_owned(), name.to_owned());
                matchers.iter().all(|m| model_keeps(&l, m))
            })
            .cloned()
            .collect();
        prop_assert_eq!(got, expected);
    }
}

#[test]
fn candidates_tested_one_by_one_give_what_the_postings_give() {
    // 5 sites × 60 devices × 4 fields, each series with a serial of its
    // own: an equality on the device leaves a few candidates among the
    // serial's 240 values (tested one by one), one on the site many.
    let keys: Vec<String> = (0..60)
        .flat_map(|d| {
            (1..=4).map(move |f| {
                let (site, device, serial) = (format!("s{}", d % 5), format!("d{d:02}"), format!("x{}", d * 4 + f));
                let mut pairs = vec![
                    ("site", site.as_str()),
                    ("device", device.as_str()),
                    ("serial", serial.as_str()),
                ];
                if d % 3 == 0 {
                    pairs.push(("line", "3"));
                }
                key(&format!("fleet.f{f}"), &pairs)
            })
        })
        .collect();
    let c = catalog(&keys);
    for text in [
        r#"{device="d15", serial=~"x6[12]"}"#,
        r#"{device="d15", serial!~"x6[12]"}"#,
        r#"fleet.f1{device="d30", serial!=""}"#,
        r#"fleet.f1{site="s1", device=~"d1.*"}"#,
        r#"fleet.f1{site="s1", device!~"d1.*"}"#,
        r#"fleet.f2{site="s3", line!="3"}"#,
        r#"fleet.f2{site="s3", line=""}"#,
        r#"fleet.f4{site="s0", __name__=~"fleet\.f[34]", device=~"d[0-2]0"}"#,
        r#"{site="s2", __name__!="fleet.f3"}"#,
    ] {
        let selector = Selector::parse(text).unwrap();
        let got = select(&c, text).unwrap();
        let expected: Vec<String> = {
            let mut all: Vec<String> = keys
                .iter()
                .filter(|k| {
                    let (name, labels) = parse_series_key(k).unwrap();
                    let mut l: BTreeMap<String, String> = labels.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                    l.insert("__name__".to_owned(), name.to_owned());
                    selector.matchers.iter().all(|m| model_keeps(&l, m))
                })
                .cloned()
                .collect();
            all.sort();
            all
        };
        assert!(!expected.is_empty(), "{text} selects something");
        assert_eq!(got, expected, "{text}");
    }
}
