//! The series table: one row per series with its key, name, labels,
//! unit, first and last time, last value and point count; and the
//! in-memory key index that searches it.

mod key_index;

pub use key_index::KeyIndex;

use super::{Store, StoreError};
use app::model::{Labels, SeriesInfo};
use rusqlite::{Connection, OptionalExtension, Row};

/// A series as stored, with its storage id (the key of its chunks and
/// buckets), which never leaves the server.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    pub id: i64,
    pub info: SeriesInfo,
}

/// The columns `series_row` reads, in its order.
macro_rules! series_columns {
    () => {
        "id, key, name, labels, unit, first_t, last_t, last_v, count"
    };
}

fn series_row(row: &Row) -> rusqlite::Result<(i64, SeriesInfo, String)> {
    let info = SeriesInfo {
        key: row.get(1)?,
        name: row.get(2)?,
        labels: Labels::new(),
        unit: row.get(4)?,
        first: row.get(5)?,
        last: row.get(6)?,
        last_value: row.get(7)?,
        count: row.get::<_, i64>(8)?.max(0) as u64,
    };
    Ok((row.get(0)?, info, row.get(3)?))
}

fn with_labels((id, mut info, labels): (i64, SeriesInfo, String)) -> Result<SeriesRow, StoreError> {
    info.labels = serde_json::from_str(&labels)?;
    Ok(SeriesRow { id, info })
}

impl Store {
    /// Series whose key contains `filter` (case-insensitive), ordered by
    /// key, after the key `after` when given (the next page), at most
    /// `limit`; searched in the in-memory key index.
    pub async fn list_series(
        &self,
        filter: String,
        after: Option<String>,
        limit: usize,
    ) -> Result<Vec<SeriesInfo>, StoreError> {
        self.applied().await;
        let index = self.key_index.clone();
        self.on_reader(move |conn| {
            let ids = {
                let mut index = index.lock().unwrap_or_else(|p| p.into_inner());
                index.refresh(conn)?;
                index.search(&filter, after.as_deref(), limit)
            };
            let mut stmt = conn.prepare_cached(concat!("SELECT ", series_columns!(), " FROM series WHERE id = ?1"))?;
            ids.into_iter()
                .map(|id| Ok(with_labels(stmt.query_row([id], series_row)?)?.info))
                .collect()
        })
        .await
    }
}

/// The series stored under `key`, if any.
pub fn by_key(conn: &Connection, key: &str) -> Result<Option<SeriesRow>, StoreError> {
    conn.prepare_cached(concat!("SELECT ", series_columns!(), " FROM series WHERE key = ?1"))?
        .query_row([key], series_row)
        .optional()?
        .map(with_labels)
        .transpose()
}

/// How many series are stored.
pub(super) fn count(conn: &Connection) -> Result<usize, StoreError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM series", [], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}
