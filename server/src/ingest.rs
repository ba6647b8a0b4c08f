//! Write requests in, validated batches out. Parsing never panics on
//! input, and every rejection names the point (by index) or the line (by
//! number) and the reason.

mod influx;
mod known_lines;
pub mod line_protocol;
mod line_shapes;
mod native;
mod telemetry;

pub use influx::{
    parse_line_batch, LineBatch, LineRules, Precision, StringFields, DEFAULT_MAX_FIELDS_PER_LINE,
    DEFAULT_MAX_SERIES_PER_BATCH,
};
pub use line_shapes::{LineShapes, DEFAULT_SHAPES_BYTES};
pub use native::parse_native_batch;
pub use telemetry::parse_telemetry;

use crate::batch::EmptyBatch;

/// Why a write request was refused; nothing of it is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("request body is not a valid write batch: {0}")]
    Body(String),
    #[error("points[{index}]: {reason}")]
    Point { index: usize, reason: String },
    #[error("{path}: {reason}")]
    At { path: String, reason: String },
    #[error("line {line}: {reason}")]
    Line { line: usize, reason: String },
    #[error("the batch holds no points")]
    Empty,
}

/// serde_json's message without " at line 1 column 17": positions inside
/// one point's text mean nothing to the sender; the index or path says where.
fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

impl From<EmptyBatch> for IngestError {
    fn from(_: EmptyBatch) -> Self {
        IngestError::Empty
    }
}

/// Every point of `batch` as (series key, time, value), series by series:
/// what the parsers' tests compare.
#[cfg(test)]
fn flat_points(batch: &crate::batch::ValidBatch) -> Vec<(&str, i64, f64)> {
    batch
        .series()
        .iter()
        .flat_map(|s| s.points.iter().map(move |&(t, v)| (s.key.as_str(), t, v)))
        .collect()
}
