//! The fast path through a line-protocol body: a collector repeats the
//! same measurement and tags line after line, so once a series has been
//! parsed and validated in full, a later line of it that holds no escape
//! and no quote is only split at its spaces, commas and equals signs and
//! its values read. Whatever this path does not recognise (a new series,
//! an odd space, a bad value) goes through the full parser, which also
//! words the error.

use super::influx::Precision;
use super::line_protocol::{scalar, FieldValue};
use crate::batch::{validate_sample, BatchBuilder};
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;

/// The series of a body seen so far, by (measurement and tags as written,
/// field name), each with its slot in the batch being built.
#[derive(Default)]
pub struct KnownSeries<'a> {
    slots: FxHashMap<(&'a str, &'a str), usize>,
    /// The series hit last: the next line is most often the same one.
    last: Option<(&'a str, &'a str, usize)>,
    /// The points of the line being read, added once all of it is good.
    found: Vec<(usize, f64)>,
}

impl<'a> KnownSeries<'a> {
    /// Makes room for `series` more series.
    pub fn reserve(&mut self, series: usize) {
        self.slots.reserve(series);
    }

    /// The slot of (`series_text`, `field`), to be filled when the body
    /// has not named it yet: one lookup for both.
    pub fn entry(&mut self, series_text: &'a str, field: &'a str) -> Entry<'_, (&'a str, &'a str), usize> {
        self.slots.entry((series_text, field))
    }

    pub fn get(&self, series_text: &str, field: &str) -> Option<usize> {
        self.slots.get(&(series_text, field)).copied()
    }

    /// Adds the points of `text` to `builder` if every field of it is a
    /// known series and the line is plain; returns whether it did (and
    /// then nothing else is to be done with the line).
    pub fn take(&mut self, text: &'a str, precision: Precision, now_ms: i64, builder: &mut BatchBuilder) -> bool {
        let Some((series_text, fields, timestamp)) = split_plain(text) else {
            return false;
        };
        let t = if timestamp.is_empty() {
            now_ms
        } else {
            match plain_integer(timestamp).and_then(|ts| precision.to_ms(ts)) {
                Some(t) => t,
                None => return false,
            }
        };
        self.found.clear();
        let mut rest = fields;
        loop {
            let (field, more) = match rest.bytes().position(|b| b == b',') {
                Some(comma) => (&rest[..comma], Some(&rest[comma + 1..])),
                None => (rest, None),
            };
            let Some(eq) = field.bytes().position(|b| b == b'=') else {
                return false;
            };
            let (name, value) = (&field[..eq], &field[eq + 1..]);
            let Some(v) = value_of(value) else {
                return false;
            };
            let slot = match self.last {
                Some((s, f, slot)) if s == series_text && f == name => slot,
                _ => match self.get(series_text, name) {
                    Some(slot) => {
                        self.last = Some((series_text, name, slot));
                        slot
                    }
                    None => return false,
                },
            };
            if validate_sample(t, v).is_err() {
                return false;
            }
            self.found.push((slot, v));
            match more {
                Some(next) => rest = next,
                None => break,
            }
        }
        for &(slot, v) in &self.found {
            builder.push_at(slot, t, v);
        }
        true
    }
}

/// A field value as the number it is stored as; `None` for a string.
pub fn number(value: &FieldValue) -> Option<f64> {
    match value {
        FieldValue::Float(f) => Some(*f),
        FieldValue::Int(i) => Some(*i as f64),
        FieldValue::UInt(u) => Some(*u as f64),
        FieldValue::Bool(b) => Some(f64::from(u8::from(*b))),
        FieldValue::Str(_) => None,
    }
}

/// A number field's value, read the quick way when it is a plain decimal.
fn value_of(text: &str) -> Option<f64> {
    if let Some(v) = plain_decimal(text) {
        return Some(v);
    }
    scalar(text).ok().and_then(|v| number(&v))
}

/// `[-]digits[.digits]` with at most 15 significant digits and 22
/// decimals, as sensors write values: the digits as an integer, exactly an
/// `f64`, divided by a power of ten that is exactly an `f64` too, which
/// IEEE division rounds correctly, so the result is the one `str::parse`
/// gives.
fn plain_decimal(text: &str) -> Option<f64> {
    const POWERS: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];
    let (negative, digits) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        bytes => (false, bytes),
    };
    let (mut mantissa, mut count, mut scale, mut dot, mut digits_seen) = (0u64, 0usize, 0usize, false, false);
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits_seen = true;
                count += usize::from(mantissa > 0);
                scale += usize::from(dot);
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
        if count > 15 || scale >= POWERS.len() {
            return None;
        }
    }
    if !digits_seen {
        return None;
    }
    let v = mantissa as f64 / POWERS[scale];
    Some(if negative { -v } else { v })
}

/// The measurement and tags, the fields and the timestamp of a line with
/// no backslash and no quote, split as the full parser would split them.
fn split_plain(text: &str) -> Option<(&str, &str, &str)> {
    let bytes = text.as_bytes();
    // The next space at or after `from`, or the end; `None` at an escape or quote.
    let space = |from: usize| -> Option<usize> {
        match memchr::memchr3(b' ', b'\\', b'"', &bytes[from..]) {
            None => Some(bytes.len()),
            Some(at) if bytes[from + at] == b' ' => Some(from + at),
            Some(_) => None,
        }
    };
    let series_end = space(0)?;
    if series_end == bytes.len() {
        return None;
    }
    let mut from = series_end;
    while bytes.get(from) == Some(&b' ') {
        from += 1;
    }
    let fields_end = space(from)?;
    let timestamp = text[fields_end..].trim_start_matches(' ').trim_end();
    if memchr::memchr2(b'\\', b'"', timestamp.as_bytes()).is_some() {
        return None;
    }
    Some((&text[..series_end], &text[from..fields_end], timestamp))
}

/// `[-]digits`, up to 19 of them, as the integer `str::parse` reads.
/// Timestamps in nanoseconds have 19 digits: they are read eight at a time.
fn plain_integer(text: &str) -> Option<i64> {
    let (negative, mut digits) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        bytes => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    let mut value = 0u64; // 19 digits stay below u64::MAX
    while let Some((eight, rest)) = digits.split_first_chunk::<8>() {
        value = value * 100_000_000 + eight_digits(u64::from_le_bytes(*eight))?;
        digits = rest;
    }
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u64::from(b - b'0');
    }
    if negative {
        0i64.checked_sub_unsigned(value)
    } else {
        i64::try_from(value).ok()
    }
}

/// The value of eight ASCII digits loaded little-endian into a word, or
/// `None` if any byte is not a digit: pairs, then quads, then the eight
/// are combined with multiplications instead of a chain of eight steps.
fn eight_digits(word: u64) -> Option<u64> {
    const ZEROS: u64 = u64::from_ne_bytes([b'0'; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0xF0; 8]);
    const SIX: u64 = u64::from_ne_bytes([0x06; 8]);
    // Each byte is 0x30..=0x39: its high nibble is 3, and adding 6 keeps it 3.
    if word & HIGH != ZEROS || word.wrapping_add(SIX) & HIGH != ZEROS {
        return None;
    }
    let d = word - ZEROS; // one digit per byte, the first in the low byte
    let pairs = (d * 10 + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    let quads = (pairs * 100 + (pairs >> 16)) & 0x0000_FFFF_0000_FFFF;
    Some((quads & 0xFFFF) * 10_000 + (quads >> 32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_split_at_their_spaces() {
        assert_eq!(split_plain("m,a=1 v=1,w=2 5"), Some(("m,a=1", "v=1,w=2", "5")));
        assert_eq!(split_plain("m v=1"), Some(("m", "v=1", "")));
        assert_eq!(split_plain("m  v=1   5  "), Some(("m", "v=1", "5")));
        assert_eq!(split_plain("m s=\"a b\" 5"), None);
        assert_eq!(split_plain(r"m\ x v=1"), None);
    }

    #[test]
    fn plain_decimals_read_as_str_parse_reads_them() {
        for text in [
            "0",
            "21.5",
            "-0.25",
            "20.07",
            "123456789012345",
            "0.000000000000001",
            "7.",
            "-.5",
        ] {
            assert_eq!(plain_decimal(text), text.parse::<f64>().ok(), "{text}");
        }
        for text in [
            "",
            "-",
            ".",
            "1.2.3",
            "1e3",
            "+1",
            "1234567890123456",
            "0.00000000000000000000001",
            "1i",
            "true",
        ] {
            assert_eq!(plain_decimal(text), None, "{text}");
        }
        assert_eq!(value_of("1e3"), Some(1000.0));
        assert_eq!(value_of("3i"), Some(3.0));
        assert_eq!(value_of("true"), Some(1.0));
        assert_eq!(value_of("\"s\""), None);
    }

    #[test]
    fn plain_integers_read_as_str_parse_reads_them() {
        for text in [
            "0",
            "-1",
            "1795428000000000000",
            "9223372036854775807",
            "-9223372036854775808",
        ] {
            assert_eq!(plain_integer(text), text.parse::<i64>().ok(), "{text}");
        }
        for text in [
            "",
            "-",
            "+1",
            "9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999",
            "1x",
        ] {
            assert_eq!(plain_integer(text), None, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_integer_reads_as_str_parse_reads_it(n: i64) {
            proptest::prop_assert_eq!(plain_integer(&n.to_string()), Some(n));
        }

        #[test]
        fn any_short_text_reads_as_str_parse_reads_it(text in "[-0-9/:a ]{0,20}") {
            let expected = text.parse::<i64>().ok().filter(|_| !text.starts_with('+'));
            proptest::prop_assert_eq!(plain_integer(&text), expected);
        }

        #[test]
        fn any_plain_decimal_reads_as_str_parse_reads_it(int in 0u64..1_000_000_000, frac in 0u64..1_000_000, places in 0usize..7, negative: bool) {
            let text = format!("{}{int}.{frac:0places$}", if negative { "-" } else { "" });
            proptest::prop_assert_eq!(plain_decimal(&text), text.parse::<f64>().ok());
        }
    }

    #[test]
    fn only_lines_of_known_series_are_taken() {
        let mut known = KnownSeries::default();
        let mut builder = BatchBuilder::default();
        let slot =
            builder.push(crate::batch::validate_point("m.v".into(), Default::default(), None, 1_000, 1.0).unwrap());
        known.entry("m", "v").or_insert(slot);
        assert!(known.take("m v=2 2", Precision::Seconds, 0, &mut builder));
        assert!(
            !known.take("m v=2,w=3 3", Precision::Seconds, 0, &mut builder),
            "w is new"
        );
        assert!(!known.take("m v=oops 3", Precision::Seconds, 0, &mut builder));
        assert!(
            !known.take("m v=1 -5", Precision::Seconds, 0, &mut builder),
            "before 1970"
        );
        assert!(!known.take("n v=1 3", Precision::Seconds, 0, &mut builder));
        let batch = builder.finish().unwrap();
        assert_eq!(
            batch.series()[0].points,
            [(1_000, 1.0), (2_000, 2.0)],
            "nothing of a refused line"
        );
    }
}
