//! Write requests in, validated batches out. Parsing never panics on
//! input, and every rejection names the point (by index) or the line (by
//! number) and the reason.

mod influx;
pub mod line_protocol;
mod native;
mod telemetry;
mod validate;

pub use influx::{parse_line_batch, LineBatch, Precision};
pub use native::parse_native_batch;
pub use telemetry::parse_telemetry;
pub use validate::{validate_point, ValidBatch, ValidPoint};

use crate::error::ApiError;

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

impl From<IngestError> for ApiError {
    fn from(e: IngestError) -> Self {
        let code = match e {
            IngestError::Body(_) => "invalid_body",
            IngestError::Point { .. } => "invalid_point",
            IngestError::At { .. } => "invalid_point",
            IngestError::Line { .. } => "invalid_line",
            IngestError::Empty => "empty_batch",
        };
        ApiError::bad_request(code, e.to_string())
    }
}
