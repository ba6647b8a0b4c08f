//! Line-protocol bodies of `/write` (InfluxDB 1.x) and `/api/v2/write`
//! (2.x) as validated batches: each field becomes the series
//! `measurement.field`, with the line's tags as labels.

use super::known_lines::{number, split_plain, KnownSeries, LineContext};
use super::line_protocol::{data_lines, parse_line_into, Line};
use super::line_shapes::{LineShapes, Shape, ShapeField};
use super::IngestError;
use crate::batch::{key_hash, validate_labels, validate_named, BatchBuilder, ValidBatch};
use app::model::Labels;
use std::borrow::Cow;
use std::sync::Arc;

/// Unit of the timestamps in a body, from the `precision` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    #[default]
    Nanoseconds,
    Microseconds,
    Milliseconds,
    Seconds,
    Minutes,
    Hours,
}

impl Precision {
    /// Both the 1.x (`n`, `u`, `ms`, `s`, `m`, `h`) and the 2.x (`ns`, `us`,
    /// `ms`, `s`) spellings.
    pub fn parse(text: &str) -> Option<Precision> {
        Some(match text {
            "ns" | "n" => Precision::Nanoseconds,
            "us" | "u" | "µ" => Precision::Microseconds,
            "ms" => Precision::Milliseconds,
            "s" => Precision::Seconds,
            "m" => Precision::Minutes,
            "h" => Precision::Hours,
            _ => return None,
        })
    }

    /// The timestamp in epoch milliseconds, rounded down; `None` on overflow.
    pub fn to_ms(self, ts: i64) -> Option<i64> {
        match self {
            Precision::Nanoseconds => Some(ts.div_euclid(1_000_000)),
            Precision::Microseconds => Some(ts.div_euclid(1_000)),
            Precision::Milliseconds => Some(ts),
            Precision::Seconds => ts.checked_mul(1_000),
            Precision::Minutes => ts.checked_mul(60_000),
            Precision::Hours => ts.checked_mul(3_600_000),
        }
    }
}

/// What to do with a line's string fields: sensorboard stores numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum StringFields {
    /// The line is refused, naming the field, and the batch with it.
    #[default]
    Reject,
    /// The field is left out and counted; the line's numbers are kept.
    /// For producers that mix text in, such as Telegraf's `system` input
    /// (`uptime_format`) and Home Assistant's `*_str` attributes.
    Skip,
}

/// Most fields one line may hold unless configured otherwise: each field
/// is a series of its own, and a collector's widest inputs send a few
/// hundred.
pub const DEFAULT_MAX_FIELDS_PER_LINE: usize = 1_000;

/// Most series one body may name unless configured otherwise: a
/// collector's batch of a few thousand lines of tens of fields names tens
/// of thousands; a body naming a million would cost hundreds of megabytes
/// to hold before anything could refuse it.
pub const DEFAULT_MAX_SERIES_PER_BATCH: usize = 100_000;

/// Most series a body's first line makes room for at once.
const MAX_RESERVED_SERIES: usize = 16_384;

/// The server's settings a body's lines are held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRules {
    pub strings: StringFields,
    /// Most fields one line may hold; a line with more refuses the body.
    pub max_fields: usize,
    /// Most distinct series one body may name; parsing stops at the next.
    pub max_series: usize,
}

impl Default for LineRules {
    fn default() -> Self {
        LineRules {
            strings: StringFields::Reject,
            max_fields: DEFAULT_MAX_FIELDS_PER_LINE,
            max_series: DEFAULT_MAX_SERIES_PER_BATCH,
        }
    }
}

/// A parsed body: the points to store, and how many string fields were
/// left out under [`StringFields::Skip`].
#[derive(Debug)]
pub struct LineBatch {
    pub batch: ValidBatch,
    pub ignored_string_fields: usize,
}

/// Parses a whole body; the first bad line fails it, naming the line.
///
/// A collector sends the same series line after line, and body after
/// body: each distinct measurement and tags (as written) is validated and
/// keyed once, and its shape kept in `shapes`; later plain lines of it go
/// through [`KnownSeries::take`].
pub fn parse_line_batch(
    body: &str,
    precision: Precision,
    now_ms: i64,
    rules: LineRules,
    shapes: &LineShapes,
) -> Result<LineBatch, IngestError> {
    let context = LineContext {
        precision,
        now_ms,
        max_fields: rules.max_fields,
        max_series: rules.max_series,
        shapes,
    };
    let mut body_lines = BodyLines::default();
    for (line_no, text) in data_lines(body) {
        if body_lines.known.take(text, context, &mut body_lines.builder) {
            continue;
        }
        body_lines
            .parse(body, text, context, rules.strings)
            .map_err(|reason| IngestError::Line { line: line_no, reason })?;
    }
    Ok(LineBatch {
        batch: body_lines.builder.finish()?,
        ignored_string_fields: body_lines.ignored_string_fields,
    })
}

/// What a body's lines have built so far.
#[derive(Default)]
struct BodyLines<'a> {
    builder: BatchBuilder,
    known: KnownSeries<'a>,
    ignored_string_fields: usize,
    line: Line<'a>,
    /// The series name being built.
    name: String,
    /// The batch slot of each field of the line being read.
    slots: Vec<(&'a str, usize)>,
    sized: bool,
}

impl<'a> BodyLines<'a> {
    /// Reads `text` with the full parser, which words what is wrong with
    /// it, and keeps the shape of a plain line.
    fn parse(
        &mut self,
        body: &str,
        text: &'a str,
        context: LineContext<'_>,
        strings: StringFields,
    ) -> Result<(), String> {
        parse_line_into(text, &mut self.line)?;
        let line = &self.line;
        if !self.sized {
            // A body's lines are most often alike: as many series as the
            // first line's fields times the lines like it would fill the body.
            let series = (body.len() / text.len().max(1)).saturating_mul(line.fields.len());
            let series = series.min(context.max_series).min(MAX_RESERVED_SERIES);
            self.builder.reserve(series);
            self.known.reserve(series / line.fields.len().max(1));
            self.sized = true;
        }
        if line.fields.len() > context.max_fields {
            return Err(format!(
                "the line has {} fields; the limit is {} (--max-fields-per-line)",
                line.fields.len(),
                context.max_fields
            ));
        }
        let t = match line.timestamp {
            None => context.now_ms,
            Some(ts) => context
                .precision
                .to_ms(ts)
                .ok_or_else(|| format!("timestamp {ts} is out of range"))?,
        };
        let mut suffix: Option<String> = None;
        self.slots.clear();
        for (field, value) in &line.fields {
            let Some(v) = number(value) else {
                match strings {
                    StringFields::Skip => self.ignored_string_fields += 1,
                    StringFields::Reject => return Err(string_refused(field)),
                }
                continue;
            };
            // The tags are checked and keyed once for all the line's fields.
            let suffix = match &mut suffix {
                Some(suffix) => suffix,
                empty => {
                    let labels: Labels = line.tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
                    empty.insert(validate_labels(&labels)?)
                }
            };
            self.name.clear();
            self.name.push_str(&line.measurement);
            self.name.push('.');
            self.name.push_str(field);
            let point = validate_named(&self.name, suffix, None, t, v)?;
            let hash = key_hash(&point.key);
            let slot = match self.builder.slot_of(&point.key, hash) {
                Some(slot) => {
                    self.builder.push_at(slot, t, v);
                    slot
                }
                None if self.builder.series_count() >= context.max_series => {
                    return Err(format!(
                        "the body names more than {} series (--max-series-per-batch); send it in smaller batches",
                        context.max_series
                    ))
                }
                None => self.builder.push_keyed(point.key, hash, t, v),
            };
            if let Cow::Borrowed(field) = field {
                self.slots.push((field, slot));
            }
        }
        if let Some((series_text, _, _)) = split_plain(text) {
            self.learn(series_text, context.shapes);
        }
        Ok(())
    }

    /// Keeps the shape of the plain line of `series_text` just read, for
    /// this body and for later ones.
    fn learn(&mut self, series_text: &'a str, shapes: &LineShapes) {
        if self.slots.is_empty() {
            return;
        }
        let before = self
            .known
            .shape(series_text)
            .cloned()
            .or_else(|| shapes.get(series_text));
        if let Some(before) = &before {
            if self.slots.iter().all(|(name, _)| before.find(name, 0).is_some()) {
                self.known.adopt(series_text, before.clone(), &self.slots);
                return;
            }
        }
        let fields: Vec<ShapeField<'_>> = self
            .slots
            .iter()
            .map(|&(name, slot)| {
                let (key, hash) = self.builder.key_at(slot);
                ShapeField { name, key, hash }
            })
            .collect();
        let Some(shape) = Shape::new(&fields, before.as_deref()) else {
            return;
        };
        let shape = Arc::new(shape);
        shapes.insert(series_text, shape.clone());
        self.known.adopt(series_text, shape, &self.slots);
    }
}

fn string_refused(field: &str) -> String {
    format!(
        "field `{field}` is a string; only numbers, integers, unsigned integers and booleans are stored \
         (start the server with --line-protocol-strings skip to leave string fields out instead)"
    )
}

#[cfg(test)]
#[path = "influx_tests.rs"]
mod tests;
