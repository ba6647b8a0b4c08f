//! Reads: the series catalogue and the points of one series in a window.

use super::chunk::CHUNK_MS;
use super::rollup::{bucket_start, RollupTier, Summary};
use super::{codec, Store, StoreError};
use app::model::{Labels, SeriesInfo};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// A catalogue entry with its storage id, which never leaves the server.
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
    /// key, at most `limit`; searched in the in-memory key index.
    pub async fn list_series(&self, filter: String, limit: usize) -> Result<Vec<SeriesInfo>, StoreError> {
        let index = self.series_index.clone();
        self.read(move |conn| {
            let ids = {
                let mut index = index.lock().unwrap_or_else(|p| p.into_inner());
                index.refresh(conn)?;
                index.search(&filter, limit)
            };
            let mut stmt = conn.prepare_cached(concat!("SELECT ", series_columns!(), " FROM series WHERE id = ?1"))?;
            ids.into_iter()
                .map(|id| Ok(with_labels(stmt.query_row([id], series_row)?)?.info))
                .collect()
        })
        .await
    }
}

/// The catalogue entry for `key`, if the series exists.
pub fn series_by_key(conn: &Connection, key: &str) -> Result<Option<SeriesRow>, StoreError> {
    conn.prepare_cached(concat!("SELECT ", series_columns!(), " FROM series WHERE key = ?1"))?
        .query_row([key], series_row)
        .optional()?
        .map(with_labels)
        .transpose()
}

/// Points of `series` with `from <= t <= to`, in time order, decoded from
/// the chunks that overlap the range (see `scan`).
pub fn read_points(conn: &Connection, series: i64, from: i64, to: i64) -> Result<Vec<(i64, f64)>, StoreError> {
    super::scan::points(conn, series, from, to)
}

/// Where a paged read goes on: after the chunk starting at this time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageCursor(i64);

/// A page of points and the cursor of the next page (`None` after the last).
pub type Page = (Vec<(i64, f64)>, Option<PageCursor>);

/// One page of the points of `series` in `[from, to]`: those of at most
/// `max_chunks` chunks after `after` (from the start for `None`), and the
/// cursor of the next page, `None` when this was the last. Each page is
/// its own read, so a long export holds no connection between pages.
pub fn read_page(
    conn: &Connection,
    series: i64,
    (from, to): (i64, i64),
    after: Option<PageCursor>,
    max_chunks: usize,
) -> Result<Page, StoreError> {
    let lowest = after.map_or(bucket_start(from, CHUNK_MS), |c| c.0.saturating_add(1));
    let mut stmt = conn.prepare_cached(
        "SELECT first_t, data FROM chunks WHERE series_id = ?1 AND first_t >= ?2 AND first_t <= ?3
         ORDER BY first_t LIMIT ?4",
    )?;
    let mut rows = stmt.query(params![series, lowest, to, max_chunks as i64])?;
    let (mut out, mut last_first, mut chunks) = (Vec::new(), None, 0);
    while let Some(row) = rows.next()? {
        let rusqlite::types::ValueRef::Blob(data) = row.get_ref(1)? else {
            return Err(codec::CodecError::Corrupt.into());
        };
        codec::decode_into(data, &mut out)?;
        last_first = Some(PageCursor(row.get(0)?));
        chunks += 1;
    }
    out.retain(|p| (from..=to).contains(&p.0));
    Ok((out, last_first.filter(|_| chunks == max_chunks)))
}

/// How many points of `series` the chunks overlapping `[from, to]` hold:
/// the cost of reading the window raw (whole chunks at its edges count).
pub fn raw_count(conn: &Connection, series: i64, from: i64, to: i64) -> Result<u64, StoreError> {
    let total: i64 = conn
        .prepare_cached(
            "SELECT coalesce(sum(count), 0) FROM chunks WHERE series_id = ?1 AND first_t >= ?2 AND first_t <= ?3",
        )?
        .query_row(params![series, bucket_start(from, CHUNK_MS), to], |r| r.get(0))?;
    Ok(total.max(0) as u64)
}

/// About how many points of `series` lie in `[from, to]`: each
/// overlapping chunk counts in proportion to its overlap in time.
pub fn raw_estimate(conn: &Connection, series: i64, from: i64, to: i64) -> Result<u64, StoreError> {
    let estimate: f64 = conn
        .prepare_cached(
            "SELECT coalesce(sum(CAST(count AS REAL) * (min(last_t, ?4) - max(first_t, ?3) + 1) / (last_t - first_t + 1)), 0)
             FROM chunks WHERE series_id = ?1 AND first_t >= ?2 AND first_t <= ?4 AND last_t >= ?3",
        )?
        .query_row(params![series, bucket_start(from, CHUNK_MS), from, to], |r| r.get(0))?;
    Ok(estimate.ceil().max(0.0) as u64)
}

/// Rollup buckets of `series` starting in `[from, to]`, in time order.
/// A bucket's `start`/`end` are the bucket edges, not point times.
pub fn read_rollup(
    conn: &Connection,
    tier: RollupTier,
    series: i64,
    from: i64,
    to: i64,
) -> Result<Vec<Summary>, StoreError> {
    macro_rules! select_rollup_sql {
        ($table:literal) => {
            concat!(
                "SELECT bucket_t, count, min, max, sum, first_v, last_v FROM ",
                $table,
                " WHERE series_id = ?1 AND bucket_t >= ?2 AND bucket_t <= ?3 ORDER BY bucket_t"
            )
        };
    }
    let sql = match tier {
        RollupTier::Minute => select_rollup_sql!("rollup_1m"),
        RollupTier::Hour => select_rollup_sql!("rollup_1h"),
    };
    let width = tier.width_ms();
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![series, from, to], |r| {
        let start: i64 = r.get(0)?;
        Ok(Summary {
            start,
            end: start + width,
            count: r.get::<_, i64>(1)?.max(0) as u64,
            min: r.get(2)?,
            max: r.get(3)?,
            sum: r.get(4)?,
            first: r.get(5)?,
            last: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
