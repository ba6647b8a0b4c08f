//! InfluxDB line protocol, the text that Telegraf, Home Assistant, Node-RED
//! and the InfluxDB client libraries send:
//!
//! `measurement[,tag=value...] field=value[,field=value...] [timestamp]`
//!
//! Parsing borrows from the input and allocates only for escaped names and
//! the tag/field lists. It never panics on any input.

use std::borrow::Cow;

/// A field's value as written: `1.5`, `1i`, `1u`, `true`, `"text"`.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue<'a> {
    Float(f64),
    Int(i64),
    UInt(u64),
    Bool(bool),
    Str(Cow<'a, str>),
}

/// One parsed line. `timestamp` is in the request's precision, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    /// The measurement and tags as written (escapes and tag order kept):
    /// lines with equal text here belong to the same series.
    pub series_text: &'a str,
    pub measurement: Cow<'a, str>,
    pub tags: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub fields: Vec<(Cow<'a, str>, FieldValue<'a>)>,
    pub timestamp: Option<i64>,
}

/// The lines of a body that hold data, with their 1-based line numbers;
/// blank lines and `#` comments are skipped.
pub fn data_lines(body: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', body.as_bytes()).chain(std::iter::once(body.len()));
    let raw_lines = ends.map(move |end| {
        let raw = &body[start..end];
        start = end + 1;
        raw
    });
    raw_lines.enumerate().filter_map(|(i, raw)| {
        let text = raw.strip_suffix('\r').unwrap_or(raw).trim_start();
        (!text.is_empty() && !text.starts_with('#')).then_some((i + 1, text))
    })
}

/// The parsed [`data_lines`] of a body.
pub fn lines(body: &str) -> impl Iterator<Item = (usize, Result<Line<'_>, String>)> {
    data_lines(body).map(|(n, text)| (n, parse_line(text)))
}

impl Default for Line<'_> {
    fn default() -> Self {
        Line {
            series_text: "",
            measurement: Cow::Borrowed(""),
            tags: Vec::new(),
            fields: Vec::new(),
            timestamp: None,
        }
    }
}

/// Parses one line (without its newline); the error says what is wrong.
pub fn parse_line(text: &str) -> Result<Line<'_>, String> {
    let mut line = Line::default();
    parse_line_into(text, &mut line)?;
    Ok(line)
}

/// Parses one line into `line`, reusing its tag and field vectors, which
/// spares two allocations per line when parsing a whole body.
pub fn parse_line_into<'a>(text: &'a str, line: &mut Line<'a>) -> Result<(), String> {
    line.tags.clear();
    line.fields.clear();
    let mut cursor = Cursor { text, pos: 0 };
    let measurement = cursor.token(b", ", b", ");
    if measurement.is_empty() {
        return Err("the measurement name is missing".into());
    }
    let tags = &mut line.tags;
    while cursor.eat(b',') {
        let key = cursor.token(b",= ", b",= ");
        if key.is_empty() || !cursor.eat(b'=') {
            return Err(format!("tag {} needs a key=value pair", tags.len() + 1));
        }
        let value = cursor.token(b", ", b",= ");
        if value.is_empty() {
            return Err(format!("tag `{key}` has no value"));
        }
        tags.push((key, value));
    }
    let series_text = &text[..cursor.pos];
    if !cursor.eat(b' ') {
        return Err("expected a space and fields after the measurement and tags".into());
    }
    cursor.skip_spaces();
    let fields = &mut line.fields;
    loop {
        let key = cursor.token(b",= ", b",= ");
        if key.is_empty() || !cursor.eat(b'=') {
            return Err(format!("field {} needs a key=value pair", fields.len() + 1));
        }
        let value = cursor.field_value().map_err(|e| format!("field `{key}`: {e}"))?;
        fields.push((key, value));
        if !cursor.eat(b',') {
            break;
        }
    }
    cursor.skip_spaces();
    let rest = cursor.rest().trim_end();
    line.timestamp = if rest.is_empty() {
        None
    } else {
        Some(
            rest.parse::<i64>()
                .map_err(|_| format!("`{rest}` is not an integer timestamp"))?,
        )
    };
    line.series_text = series_text;
    line.measurement = measurement;
    Ok(())
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn eat(&mut self, byte: u8) -> bool {
        let hit = self.text.as_bytes().get(self.pos) == Some(&byte);
        self.pos += usize::from(hit);
        hit
    }

    fn skip_spaces(&mut self) {
        while self.eat(b' ') {}
    }

    /// Reads up to the first unescaped byte of `stops`. A backslash escapes
    /// the bytes of `escapable`; before anything else it is literal.
    fn token(&mut self, stops: &[u8], escapable: &[u8]) -> Cow<'a, str> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut escaped = false;
        let mut i = start;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'\\' && bytes.get(i + 1).is_some_and(|n| escapable.contains(n) || *n == b'\\') {
                escaped = true;
                i += 2;
            } else if stops.contains(&b) {
                break;
            } else {
                i += 1;
            }
        }
        self.pos = i;
        let raw = &self.text[start..i];
        if escaped {
            Cow::Owned(unescape(raw, escapable))
        } else {
            Cow::Borrowed(raw)
        }
    }

    fn field_value(&mut self) -> Result<FieldValue<'a>, String> {
        if self.eat(b'"') {
            return self.string_value();
        }
        let start = self.pos;
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() && bytes[self.pos] != b',' && bytes[self.pos] != b' ' {
            self.pos += 1;
        }
        scalar(&self.text[start..self.pos])
    }

    fn string_value(&mut self) -> Result<FieldValue<'a>, String> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut escaped = false;
        while self.pos < bytes.len() {
            match bytes[self.pos] {
                b'\\' if matches!(bytes.get(self.pos + 1), Some(b'"' | b'\\')) => {
                    escaped = true;
                    self.pos += 2;
                }
                b'"' => {
                    let raw = &self.text[start..self.pos];
                    self.pos += 1;
                    let value = if escaped {
                        Cow::Owned(unescape(raw, b"\""))
                    } else {
                        Cow::Borrowed(raw)
                    };
                    return Ok(FieldValue::Str(value));
                }
                _ => self.pos += 1,
            }
        }
        Err("the string value has no closing quote".into())
    }
}

fn unescape(raw: &str, escapable: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next) = chars.peek() {
                if next == '\\' || (next.is_ascii() && escapable.contains(&(next as u8))) {
                    out.push(next);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// A number or boolean field value.
pub(super) fn scalar(text: &str) -> Result<FieldValue<'static>, String> {
    let bad = || format!("`{text}` is not a number, integer (1i), unsigned (1u), boolean or \"string\"");
    match text {
        "" => return Err("the value is missing".into()),
        "t" | "T" | "true" | "True" | "TRUE" => return Ok(FieldValue::Bool(true)),
        "f" | "F" | "false" | "False" | "FALSE" => return Ok(FieldValue::Bool(false)),
        _ => {}
    }
    if let Some(int) = text.strip_suffix('i') {
        return int.parse().map(FieldValue::Int).map_err(|_| bad());
    }
    if let Some(uint) = text.strip_suffix('u') {
        return uint.parse().map(FieldValue::UInt).map_err(|_| bad());
    }
    // Rust also reads "inf", "infinity" and "NaN", which line protocol has
    // not; none of them is finite, and nothing else with a letter parses.
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(FieldValue::Float(v)),
        _ => Err(bad()),
    }
}

#[cfg(test)]
#[path = "line_protocol_tests.rs"]
mod tests;
