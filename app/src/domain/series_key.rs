//! The canonical text key of a series: `name` or `name{a="x",b="y"}` with
//! labels sorted by name, so the same series always gets the same key.

use std::collections::BTreeMap;
use std::fmt::Write;

/// Builds the canonical key. `"` and `\` in label values are escaped with a
/// backslash (Prometheus style), so distinct label sets never collide.
pub fn series_key(name: &str, labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return name.to_owned();
    }
    let mut key = String::with_capacity(name.len() + 16 * labels.len());
    key.push_str(name);
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
}
