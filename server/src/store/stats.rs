//! Figures about what the store holds, for operators and tests.

use super::{Store, StoreError};
use rusqlite::Connection;

/// Counts and sizes of the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct StoreStats {
    pub series: i64,
    /// Raw points held in chunks.
    pub points: i64,
    pub chunks: i64,
    /// Bytes of compressed point data in the chunks (their blobs alone).
    pub chunk_bytes: i64,
    /// Windows waiting for compaction.
    pub unsealed_windows: i64,
    pub minute_buckets: i64,
    pub hour_buckets: i64,
    /// Size of the database file (excluding the WAL), in bytes.
    pub file_bytes: i64,
    /// Bytes in free pages, reused by later writes.
    pub free_bytes: i64,
}

impl Store {
    /// What the store holds now, every acknowledged batch applied.
    pub async fn stats(&self) -> Result<StoreStats, StoreError> {
        self.applied().await;
        self.on_reader(stats).await
    }
}

fn stats(conn: &Connection) -> Result<StoreStats, StoreError> {
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    let page = count("PRAGMA page_size")?;
    Ok(StoreStats {
        series: count("SELECT count(*) FROM series")?,
        points: count("SELECT coalesce(sum(count), 0) FROM chunks")?,
        chunks: count("SELECT count(*) FROM chunks")?,
        chunk_bytes: count("SELECT coalesce(sum(length(data)), 0) FROM chunks")?,
        unsealed_windows: count("SELECT count(*) FROM unsealed")?,
        minute_buckets: count("SELECT count(*) FROM rollup_1m")?,
        hour_buckets: count("SELECT count(*) FROM rollup_1h")?,
        file_bytes: count("PRAGMA page_count")? * page,
        free_bytes: count("PRAGMA freelist_count")? * page,
    })
}
