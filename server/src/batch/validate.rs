//! The rules every stored point obeys, whatever format it arrived in.

use app::domain::{key_suffix, MAX_T_MS, MIN_T_MS};
use app::model::Labels;

pub const MAX_NAME_BYTES: usize = 256;
pub const MAX_LABELS: usize = 32;
pub const MAX_LABEL_NAME_BYTES: usize = 128;
pub const MAX_LABEL_VALUE_BYTES: usize = 1024;
pub const MAX_UNIT_BYTES: usize = 32;

/// A point that passed validation, with its canonical series key (which
/// holds its name and labels: `app::domain::parse_series_key`).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPoint {
    pub key: String,
    pub unit: Option<String>,
    pub t: i64,
    pub v: f64,
}

/// Checks one point; the error says what is wrong in words.
pub fn validate_point(
    name: String,
    labels: Labels,
    unit: Option<String>,
    t: i64,
    v: f64,
) -> Result<ValidPoint, String> {
    let suffix = validate_labels(&labels)?;
    validate_named(&name, &suffix, unit, t, v)
}

/// Checks a label set once for the many series that share it; returns
/// their keys' common end (see `app::domain::key_suffix`).
pub fn validate_labels(labels: &Labels) -> Result<String, String> {
    if labels.len() > MAX_LABELS {
        return Err(format!("at most {MAX_LABELS} labels per series, got {}", labels.len()));
    }
    for (k, val) in labels {
        check_text("label name", k, MAX_LABEL_NAME_BYTES, "{}\",= ")?;
        check_text_of(|| format!("value of label `{k}`"), val, MAX_LABEL_VALUE_BYTES, "")?;
    }
    Ok(key_suffix(labels))
}

/// Checks a point of series `name` whose labels passed
/// [`validate_labels`], which gave `suffix`.
pub fn validate_named(name: &str, suffix: &str, unit: Option<String>, t: i64, v: f64) -> Result<ValidPoint, String> {
    check_text("series name", name, MAX_NAME_BYTES, "{}\"")?;
    if let Some(unit) = &unit {
        check_text("unit", unit, MAX_UNIT_BYTES, "")?;
    }
    validate_sample(t, v)?;
    let mut key = String::with_capacity(name.len() + suffix.len());
    key.push_str(name);
    key.push_str(suffix);
    Ok(ValidPoint { key, unit, t, v })
}

/// Checks a point's time and value alone, for points of a series whose
/// name and labels already passed [`validate_point`].
pub fn validate_sample(t: i64, v: f64) -> Result<(), String> {
    if !(MIN_T_MS..MAX_T_MS).contains(&t) {
        return Err(format!(
            "time {t} is outside 1970-01-01 .. 2200-01-01 (epoch milliseconds)"
        ));
    }
    if !v.is_finite() {
        return Err(format!("value {v} is not a finite number"));
    }
    Ok(())
}

/// Characters that change how the text around them is shown without being
/// seen themselves: bidirectional overrides, embeddings and isolates
/// (U+202A–U+202E, U+2066–U+2069), zero-width characters and direction
/// marks (U+200B–U+200F), the word joiner and invisible operators
/// (U+2060–U+2064), and the byte-order mark (U+FEFF). A name holding one
/// can pass for another name in a list or a chart.
pub fn is_deceptive(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

fn check_text(what: &str, text: &str, max_bytes: usize, forbidden: &str) -> Result<(), String> {
    check_text_of(|| what.to_owned(), text, max_bytes, forbidden)
}

/// Like [`check_text`], naming the text only when it is refused.
fn check_text_of(what: impl FnOnce() -> String, text: &str, max_bytes: usize, forbidden: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err(format!("{} is empty", what()));
    }
    if text.len() > max_bytes {
        return Err(format!(
            "{} is {} bytes long; the limit is {max_bytes}",
            what(),
            text.len()
        ));
    }
    if is_plain_ascii(text, forbidden) {
        return Ok(());
    }
    if let Some(c) = text
        .chars()
        .find(|&c| c.is_control() || is_deceptive(c) || forbidden.contains(c))
    {
        return Err(format!(
            "{} `{}` contains the character {c:?}, which is not allowed",
            what(),
            text.escape_debug()
        ));
    }
    Ok(())
}

/// Whether `text` is printable ASCII without any of `forbidden` (itself
/// ASCII): the common case, decided a byte at a time.
fn is_plain_ascii(text: &str, forbidden: &str) -> bool {
    text.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && !forbidden.as_bytes().contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn check(name: &str, l: Labels, t: i64, v: f64) -> Result<ValidPoint, String> {
        validate_point(name.into(), l, None, t, v)
    }

    #[test]
    fn accepts_ordinary_points() {
        let p = check("°C.value", labels(&[("entity_id", "living room")]), 0, -1.5).unwrap();
        assert_eq!(p.key, r#"°C.value{entity_id="living room"}"#);
        assert!(check("a", Labels::new(), MAX_T_MS - 1, f64::MAX).is_ok());
    }

    #[test]
    fn rejects_non_finite_values() {
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(check("a", Labels::new(), 0, v).unwrap_err().contains("finite"));
        }
    }

    #[test]
    fn rejects_times_outside_1970_to_2200() {
        assert!(check("a", Labels::new(), -1, 1.0).is_err());
        assert!(check("a", Labels::new(), MAX_T_MS, 1.0).is_err());
    }

    #[test]
    fn rejects_bad_names_and_labels() {
        assert!(check("", Labels::new(), 0, 1.0).unwrap_err().contains("empty"));
        assert!(check("a{b}", Labels::new(), 0, 1.0).is_err());
        assert!(check("tab\there", Labels::new(), 0, 1.0).is_err());
        for hidden in ['\u{202E}', '\u{2067}', '\u{200B}', '\u{200F}', '\u{2060}', '\u{FEFF}'] {
            let name = format!("temp{hidden}erature");
            let err = check(&name, Labels::new(), 0, 1.0).unwrap_err();
            assert!(err.contains("not allowed"), "{err}");
            assert!(check("a", labels(&[("site", &name)]), 0, 1.0).is_err());
            assert!(check("a", labels(&[(&name, "v")]), 0, 1.0).is_err());
        }
        assert!(
            check("température·°C", Labels::new(), 0, 1.0).is_ok(),
            "other letters are fine"
        );
        assert!(check(&"x".repeat(MAX_NAME_BYTES + 1), Labels::new(), 0, 1.0)
            .unwrap_err()
            .contains("limit"));
        assert!(check("a", labels(&[("", "v")]), 0, 1.0).is_err());
        assert!(check("a", labels(&[("k=v", "v")]), 0, 1.0).is_err());
        assert!(check("a", labels(&[("k", "")]), 0, 1.0)
            .unwrap_err()
            .contains("value of label `k` is empty"));
        let many: Labels = (0..=MAX_LABELS).map(|i| (format!("k{i}"), "v".to_string())).collect();
        assert!(check("a", many, 0, 1.0).unwrap_err().contains("labels"));
    }
}
