//! Reads: the series catalogue and the points of one series in a window.

use super::{Store, StoreError};
use app::model::{Labels, SeriesInfo};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// A catalogue entry with its storage id, which never leaves the server.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    pub id: i64,
    pub info: SeriesInfo,
}

const SERIES_COLUMNS: &str = "id, key, name, labels, unit, first_t, last_t, last_v, count";

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
    /// Series whose key contains `filter` (ASCII case-insensitive), ordered
    /// by key, at most `limit`.
    pub async fn list_series(&self, filter: String, limit: usize) -> Result<Vec<SeriesInfo>, StoreError> {
        self.read(move |conn| {
            let pattern = format!("%{}%", escape_like(&filter));
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {SERIES_COLUMNS} FROM series WHERE key LIKE ?1 ESCAPE '\\' ORDER BY key LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![pattern, limit as i64], series_row)?;
            rows.map(|r| Ok(with_labels(r?)?.info)).collect()
        })
        .await
    }
}

/// The catalogue entry for `key`, if the series exists.
pub fn series_by_key(conn: &Connection, key: &str) -> Result<Option<SeriesRow>, StoreError> {
    let sql = format!("SELECT {SERIES_COLUMNS} FROM series WHERE key = ?1");
    conn.prepare_cached(&sql)?
        .query_row([key], series_row)
        .optional()?
        .map(with_labels)
        .transpose()
}

/// Points of `series` with `from <= t <= to`, in time order.
pub fn read_points(conn: &Connection, series: i64, from: i64, to: i64) -> Result<Vec<(i64, f64)>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT t, v FROM points WHERE series_id = ?1 AND t >= ?2 AND t <= ?3 ORDER BY t")?;
    let rows = stmt.query_map(params![series, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
