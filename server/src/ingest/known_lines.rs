//! The fast path through a line-protocol body: a collector repeats the
//! same measurement and tags line after line and body after body, so once
//! a line has been parsed and validated in full (in this body, or in an
//! earlier one: its shape, see `line_shapes`), a later line with its tags
//! that holds no escape and no quote is only split at its spaces, commas
//! and equals signs and its values read. Whatever this path does not
//! recognise (a new series, an odd space, a bad value) goes through the
//! full parser, which also words the error.

use super::influx::Precision;
use super::line_protocol::{scalar, FieldValue};
use super::line_shapes::{LineShapes, Shape};
use crate::batch::{validate_sample, BatchBuilder};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// A batch slot not yet given to a field of a shape.
const NO_SLOT: usize = usize::MAX;

/// The lines of a body's series seen so far, by measurement and tags as
/// written: the shape of their fields and each field's slot in the batch
/// being built.
#[derive(Default)]
pub struct KnownSeries<'a> {
    /// Each line's place in `known`.
    lines: FxHashMap<&'a str, usize>,
    known: Vec<Known>,
    /// The line read last and its place: a collector often sends a
    /// series' lines one after another.
    last: Option<(&'a str, usize)>,
    /// The points of the line being read, by field place, added once all
    /// of it is good.
    found: Vec<(usize, f64)>,
}

struct Known {
    shape: Arc<Shape>,
    /// The batch slot of each field of the shape, or [`NO_SLOT`].
    slots: Vec<usize>,
}

impl<'a> KnownSeries<'a> {
    /// Makes room for the lines of `series` more series.
    pub fn reserve(&mut self, series: usize) {
        self.lines.reserve(series);
        self.known.reserve(series);
    }

    /// Remembers `shape` for the lines of `series_text`, whose fields
    /// `slots` already hold (by name).
    pub fn adopt(&mut self, series_text: &'a str, shape: Arc<Shape>, slots: &[(&str, usize)]) {
        let mut places = vec![NO_SLOT; shape.len()];
        for (i, &(name, slot)) in slots.iter().enumerate() {
            if let Some(at) = shape.find(name, i) {
                places[at] = slot;
            }
        }
        let known = Known { shape, slots: places };
        match self.lines.get(series_text) {
            Some(&at) => self.known[at] = known,
            None => {
                self.lines.insert(series_text, self.known.len());
                self.known.push(known);
            }
        }
    }

    /// The shape this body has for `series_text`, if any.
    pub fn shape(&self, series_text: &str) -> Option<&Arc<Shape>> {
        self.lines.get(series_text).map(|&at| &self.known[at].shape)
    }

    /// The place in `known` of `series_text`'s line, taking its shape
    /// from `shapes` when the body has none yet.
    fn place(&mut self, series_text: &'a str, shapes: &LineShapes) -> Option<usize> {
        if let Some((last, at)) = self.last {
            if last == series_text {
                return Some(at);
            }
        }
        let at = match self.lines.get(series_text) {
            Some(&at) => at,
            None => {
                let shape = shapes.get(series_text)?;
                let slots = vec![NO_SLOT; shape.len()];
                self.lines.insert(series_text, self.known.len());
                self.known.push(Known { shape, slots });
                self.known.len() - 1
            }
        };
        self.last = Some((series_text, at));
        Some(at)
    }

    /// Adds the points of `text` to `builder` if the line is plain, every
    /// field of it is a known series (of this body or of `shapes`), its
    /// values are numbers and the batch has room for the series it adds;
    /// returns whether it did (and then nothing else is to be done with
    /// the line).
    pub fn take(&mut self, text: &'a str, line: LineContext<'_>, builder: &mut BatchBuilder) -> bool {
        let Some((series_text, fields, timestamp)) = split_plain(text) else {
            return false;
        };
        let t = if timestamp.is_empty() {
            line.now_ms
        } else {
            match plain_integer(timestamp).and_then(|ts| line.precision.to_ms(ts)) {
                Some(t) => t,
                None => return false,
            }
        };
        let Some(at) = self.place(series_text, line.shapes) else {
            return false;
        };
        let known = &mut self.known[at];
        self.found.clear();
        let mut new = 0;
        for (i, field) in plain_fields(fields).enumerate() {
            let Some(eq) = field.bytes().position(|b| b == b'=') else {
                return false;
            };
            let (name, value) = (&field[..eq], &field[eq + 1..]);
            let (Some(v), Some(at)) = (value_of(value), known.shape.find(name, i)) else {
                return false;
            };
            if validate_sample(t, v).is_err() {
                return false;
            }
            new += usize::from(known.slots[at] == NO_SLOT);
            self.found.push((at, v));
        }
        if self.found.len() > line.max_fields || (new > 0 && builder.series_count() + new > line.max_series) {
            return false;
        }
        for &(at, v) in &self.found {
            match known.slots[at] {
                NO_SLOT => {
                    let field = known.shape.field(at);
                    known.slots[at] = builder.push_keyed(field.key, field.hash, t, v);
                }
                slot => builder.push_at(slot, t, v),
            }
        }
        true
    }
}

/// The comma-separated fields of a plain line. Fields are short: a byte
/// loop finds their ends sooner than `str::split`'s searcher.
fn plain_fields(fields: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(fields);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.bytes().position(|b| b == b',') {
            Some(comma) => {
                rest = Some(&text[comma + 1..]);
                Some(&text[..comma])
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// What [`KnownSeries::take`] needs to know of the body and the server.
#[derive(Clone, Copy)]
pub struct LineContext<'s> {
    pub precision: Precision,
    pub now_ms: i64,
    pub max_fields: usize,
    pub max_series: usize,
    pub shapes: &'s LineShapes,
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
pub fn split_plain(text: &str) -> Option<(&str, &str, &str)> {
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
    use super::super::line_shapes::ShapeField;
    use super::*;

    #[test]
    fn plain_fields_split_at_every_comma() {
        let split = |text| plain_fields(text).collect::<Vec<_>>();
        assert_eq!(split("a=1,b=2"), ["a=1", "b=2"]);
        assert_eq!(split("a=1"), ["a=1"]);
        assert_eq!(split("a=1,"), ["a=1", ""]);
        assert_eq!(split(",,"), ["", "", ""]);
        assert_eq!(split(""), [""]);
    }

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
    fn only_plain_lines_of_known_series_are_taken() {
        let shapes = LineShapes::default();
        let field = |name: &'static str, key: &'static str| ShapeField {
            name,
            key,
            hash: crate::batch::key_hash(key),
        };
        let shape = Shape::new(&[field("v", "m.v"), field("u", "m.u")], None).unwrap();
        shapes.insert("m", Arc::new(shape));
        let line = LineContext {
            precision: Precision::Seconds,
            now_ms: 0,
            max_fields: 2,
            max_series: 2,
            shapes: &shapes,
        };
        let mut known = KnownSeries::default();
        let mut builder = BatchBuilder::default();
        assert!(known.take("m v=1 1", line, &mut builder));
        assert!(known.take("m u=2,v=2 2", line, &mut builder), "in another order");
        assert!(!known.take("m v=2,w=3 3", line, &mut builder), "w is new");
        assert!(!known.take("m v=oops 3", line, &mut builder));
        assert!(!known.take("m v=\"s\" 3", line, &mut builder));
        assert!(!known.take("m v=1 -5", line, &mut builder), "before 1970");
        assert!(
            !known.take("m v=1,u=1,v=1 3", line, &mut builder),
            "past the fields allowed"
        );
        assert!(!known.take("n v=1 3", line, &mut builder));
        let batch = builder.finish().unwrap();
        let points: Vec<(&str, &[(i64, f64)])> = batch.series().iter().map(|s| (&*s.key, &*s.points)).collect();
        assert_eq!(
            points,
            [("m.v", &[(1_000, 1.0), (2_000, 2.0)][..]), ("m.u", &[(2_000, 2.0)][..])],
            "nothing of a refused line"
        );
    }

    #[test]
    fn a_line_adding_more_series_than_the_batch_may_hold_is_left_to_the_parser() {
        let shapes = LineShapes::default();
        let fields = [("a", "m.a"), ("b", "m.b")].map(|(name, key)| ShapeField {
            name,
            key,
            hash: crate::batch::key_hash(key),
        });
        shapes.insert("m", Arc::new(Shape::new(&fields, None).unwrap()));
        let line = LineContext {
            precision: Precision::Seconds,
            now_ms: 0,
            max_fields: 10,
            max_series: 1,
            shapes: &shapes,
        };
        let (mut known, mut builder) = (KnownSeries::default(), BatchBuilder::default());
        assert!(!known.take("m a=1,b=1 1", line, &mut builder));
        assert!(known.take("m a=1 1", line, &mut builder));
        assert!(known.take("m a=2 2", line, &mut builder));
        assert!(!known.take("m b=2 2", line, &mut builder));
        assert_eq!(builder.series_count(), 1);
    }
}
