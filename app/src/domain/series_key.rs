//! The canonical text key of a series: `name` or `name{a="x",b="y"}` with
//! labels sorted by name, so the same series always gets the same key.

use std::collections::BTreeMap;
use std::fmt::Write;

/// Builds the canonical key. `"` and `\` in label values are escaped with a
/// backslash (Prometheus style), so distinct label sets never collide.
pub fn series_key(name: &str, labels: &BTreeMap<String, String>) -> String {
    let mut key = String::with_capacity(name.len() + 16 * labels.len());
    key.push_str(name);
    key.push_str(&key_suffix(labels));
    key
}

/// The part of the key after the name: `{a="x",b="y"}`, or nothing for no
/// labels. Many series share it (the fields of one line-protocol line).
pub fn key_suffix(labels: &BTreeMap<String, String>) -> String {
    let mut key = String::new();
    if labels.is_empty() {
        return key;
    }
    key.push('{');
    for (i, (k, v)) in labels.iter().enumerate() {
        if i > 0 {
            key.push(',');
        }
        let _ = write!(key, "{k}=\"");
        for c in v.chars() {
            if c == '"' || c == '\\' {
                key.push('\\');
            }
            key.push(c);
        }
        key.push('"');
    }
    key.push('}');
    key
}

/// Splits a canonical key back into its name and its labels, in key
/// order, values unescaped; `None` when `key` is not one [`series_key`]
/// could have built.
pub fn parse_series_key(key: &str) -> Option<(&str, Vec<(&str, String)>)> {
    let Some(open) = key.find('{') else {
        return Some((key, Vec::new()));
    };
    let (name, mut rest) = (&key[..open], key[open + 1..].strip_suffix('}')?);
    let mut labels = Vec::new();
    while !rest.is_empty() {
        let (label, after) = rest.split_once("=\"")?;
        let mut value = String::new();
        let mut chars = after.char_indices();
        let end = loop {
            match chars.next()? {
                (_, '\\') => value.push(chars.next()?.1),
                (i, '"') => break i,
                (_, c) => value.push(c),
            }
        };
        labels.push((label, value));
        rest = &after[end + 1..];
        rest = match rest.strip_prefix(',') {
            Some(more) if !more.is_empty() => more,
            Some(_) => return None,
            None if rest.is_empty() => rest,
            None => return None,
        };
    }
    Some((name, labels))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn bare_name_without_labels() {
        assert_eq!(series_key("boiler.temp", &BTreeMap::new()), "boiler.temp");
    }

    #[test]
    fn labels_are_sorted_whatever_their_insertion_order() {
        let a = labels(&[("site", "north"), ("room", "b2")]);
        assert_eq!(series_key("t", &a), r#"t{room="b2",site="north"}"#);
    }

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        let a = labels(&[("path", r#"C:\x "y""#)]);
        assert_eq!(series_key("t", &a), r#"t{path="C:\\x \"y\""}"#);
    }

    #[test]
    fn a_key_parses_back_to_its_name_and_labels() {
        for pairs in [
            vec![],
            vec![("site", "north")],
            vec![("a", r#"C:\x "y", z="w""#), ("b", "}"), ("c", "1,2")],
        ] {
            let l = labels(&pairs);
            let key = series_key("fleet.f3", &l);
            let (name, parsed) = parse_series_key(&key).unwrap();
            assert_eq!(name, "fleet.f3");
            let parsed: BTreeMap<String, String> = parsed.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            assert_eq!(parsed, l, "{key}");
        }
        for bad in ["t{a=\"x\"", "t{a=\"x}", "t{a=\"x\",}", "t{a=\"x\"b=\"y\"}", "t{a}"] {
            assert_eq!(parse_series_key(bad), None, "{bad}");
        }
    }
}
