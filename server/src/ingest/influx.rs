//! Line-protocol bodies of `/write` (InfluxDB 1.x) and `/api/v2/write`
//! (2.x) as validated batches: each field becomes the series
//! `measurement.field`, with the line's tags as labels.

use super::known_lines::{number, KnownSeries};
use super::line_protocol::{data_lines, parse_line_into, Line};
use super::IngestError;
use crate::batch::{validate_labels, validate_named, validate_sample, BatchBuilder, ValidBatch};
use app::model::Labels;
use std::borrow::Cow;
use std::collections::hash_map::Entry;

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
/// A collector sends the same series line after line, so each distinct
/// (measurement and tags as written, field) is validated and keyed once;
/// later lines of it go through [`KnownSeries::take`].
pub fn parse_line_batch(
    body: &str,
    precision: Precision,
    now_ms: i64,
    rules: LineRules,
) -> Result<LineBatch, IngestError> {
    let mut builder = BatchBuilder::default();
    let mut known = KnownSeries::default();
    let mut ignored_string_fields = 0;
    let mut line = Line::default();
    let mut name = String::new();
    let mut sized = false;
    for (line_no, text) in data_lines(body) {
        if known.take(text, precision, now_ms, &mut builder) {
            continue;
        }
        let fail = |reason: String| IngestError::Line { line: line_no, reason };
        parse_line_into(text, &mut line).map_err(fail)?;
        if !sized {
            // A body's lines are most often alike: as many series as the
            // first line's fields times the lines like it would fill the body.
            let series = (body.len() / text.len().max(1)).saturating_mul(line.fields.len());
            let series = series.min(rules.max_series).min(MAX_RESERVED_SERIES);
            builder.reserve(series);
            known.reserve(series);
            sized = true;
        }
        if line.fields.len() > rules.max_fields {
            return Err(fail(format!(
                "the line has {} fields; the limit is {} (--max-fields-per-line)",
                line.fields.len(),
                rules.max_fields
            )));
        }
        let t = match line.timestamp {
            None => now_ms,
            Some(ts) => precision
                .to_ms(ts)
                .ok_or_else(|| fail(format!("timestamp {ts} is out of range")))?,
        };
        let mut suffix: Option<String> = None;
        for (field, value) in &line.fields {
            let Some(v) = number(value) else {
                match rules.strings {
                    StringFields::Skip => ignored_string_fields += 1,
                    StringFields::Reject => return Err(fail(string_refused(field))),
                }
                continue;
            };
            // Fields with escapes are not remembered: their names are owned.
            let vacant = match field {
                Cow::Borrowed(field) => match known.entry(line.series_text, field) {
                    Entry::Occupied(slot) => {
                        validate_sample(t, v).map_err(fail)?;
                        builder.push_at(*slot.get(), t, v);
                        continue;
                    }
                    Entry::Vacant(vacant) => Some(vacant),
                },
                Cow::Owned(_) => None,
            };
            if builder.series_count() >= rules.max_series {
                return Err(fail(format!(
                    "the body names more than {} series (--max-series-per-batch); send it in smaller batches",
                    rules.max_series
                )));
            }
            // The tags are checked and keyed once for all the line's fields.
            let suffix = match &mut suffix {
                Some(suffix) => suffix,
                empty => {
                    let labels: Labels = line.tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
                    empty.insert(validate_labels(&labels).map_err(fail)?)
                }
            };
            name.clear();
            name.push_str(&line.measurement);
            name.push('.');
            name.push_str(field);
            let slot = builder.push(validate_named(&name, suffix, None, t, v).map_err(fail)?);
            if let Some(vacant) = vacant {
                vacant.insert(slot);
            }
        }
    }
    Ok(LineBatch {
        batch: builder.finish()?,
        ignored_string_fields,
    })
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
