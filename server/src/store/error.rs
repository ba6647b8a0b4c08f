//! Why a store call failed: the store's own error, which says nothing of
//! HTTP (the layers above convert it).

use super::chunks::codec;

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("stored labels are not valid JSON: {0}")]
    Labels(#[from] serde_json::Error),
    #[error("blocking task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("cannot create the data folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored chunk: {0}")]
    Codec(#[from] codec::CodecError),
    #[error("connection pool: {0}")]
    Busy(String),
    #[error("{0}")]
    SeriesRefused(#[from] super::log::SeriesRefusal),
    #[error("{0}")]
    Select(super::catalog::SelectError),
    #[error("the store is shutting down")]
    Closed,
    #[error("{0}")]
    Failed(String),
    #[error("database schema version {found} is newer than this binary knows ({known})")]
    SchemaTooNew { found: i64, known: i64 },
}

impl StoreError {
    /// True when waiting and retrying may succeed (locked database, pool exhausted).
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Pool(_) | StoreError::Busy(_) => true,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                )
            }
            _ => false,
        }
    }
}
