//! Reading a request body whole, no further than a limit: what the REST
//! extractors (`routes/extract.rs`) and the server functions' gate
//! (`site/gate.rs`) both need before anything parses a body.

use crate::error::ApiError;
use axum::body::{Body, Bytes};
use http_body_util::LengthLimitError;

/// The body's bytes, or 413 naming `limit` once more than `limit` bytes
/// (decompressed, when a layer decompresses) have arrived.
pub async fn read_within(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let cause = e.into_inner();
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&*cause);
        while let Some(e) = source {
            if e.is::<LengthLimitError>() {
                return ApiError::PayloadTooLarge { limit };
            }
            source = e.source();
        }
        ApiError::bad_request("invalid_body", format!("cannot read the request body: {cause}"))
    })
}
