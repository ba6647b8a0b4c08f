//! Batch writes: one transaction per batch, so a batch is stored whole or
//! not at all, and the 2xx goes out only after the commit.
//!
//! Per series, the batch's points are sorted (the later of two writes at
//! one time wins) and split by chunk window; each touched chunk is decoded,
//! merged, re-encoded and written back with its summary, and the 1-minute
//! and 1-hour rollups it covers are recomputed from the merged points.

use super::chunk::{merge, sort_last_wins, CHUNK_MS};
use super::rollup::{bucket_slice, bucket_start, touched_buckets, RollupTier, Summary, MINUTE_MS};
use super::{codec, Store, StoreError};
use crate::ingest::{ValidBatch, ValidPoint};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::collections::HashMap;

/// What a committed batch changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct WriteSummary {
    /// Points in the batch (replacements included).
    pub points: usize,
    /// Distinct series the batch touched.
    pub series: usize,
    /// Series that did not exist before.
    pub new_series: usize,
}

impl Store {
    /// Stores every point of `batch` atomically. A point whose series and
    /// time already exist replaces the stored value (last write wins).
    pub async fn write_batch(&self, batch: ValidBatch) -> Result<WriteSummary, StoreError> {
        self.write(move |conn| write_batch(conn, &batch)).await
    }
}

fn write_batch(conn: &mut Connection, batch: &ValidBatch) -> Result<WriteSummary, StoreError> {
    let tx = conn.transaction()?;
    let now_ms = crate::clock::now_ms();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<(&ValidPoint, Vec<(i64, f64)>)> = Vec::new();
    for point in batch.points() {
        let slot = *index.entry(point.key.as_str()).or_insert_with(|| {
            groups.push((point, Vec::new()));
            groups.len() - 1
        });
        groups[slot].1.push((point.t, point.v));
    }
    let series = groups.len();
    let mut new_series = 0;
    for (head, mut points) in groups {
        let (id, created) = series_id(&tx, head, now_ms)?;
        new_series += usize::from(created);
        sort_last_wins(&mut points);
        write_series_points(&tx, id, &points)?;
    }
    tx.commit()?;
    Ok(WriteSummary {
        points: batch.len(),
        series,
        new_series,
    })
}

/// Writes time-ordered, duplicate-free `points` of series `id` into their
/// chunks and rollups, and updates the series' catalogue row.
pub(super) fn write_series_points(tx: &Transaction, id: i64, points: &[(i64, f64)]) -> Result<(), StoreError> {
    let (Some(&(first_t, _)), Some(&(last_t, last_v))) = (points.first(), points.last()) else {
        return Ok(());
    };
    let mut added = 0;
    let mut rest = points;
    while let Some(&(t, _)) = rest.first() {
        let window = bucket_start(t, CHUNK_MS);
        let split = rest.partition_point(|p| p.0 < window + CHUNK_MS);
        added += write_window(tx, id, window, &rest[..split])?;
        rest = &rest[split..];
    }
    tx.prepare_cached(
        "UPDATE series SET
            count = count + ?2,
            first_t = min(coalesce(first_t, ?3), ?3),
            last_t = max(coalesce(last_t, ?4), ?4),
            last_v = CASE WHEN last_t IS NULL OR ?4 >= last_t THEN ?5 ELSE last_v END
         WHERE id = ?1",
    )?
    .execute(params![id, added, first_t, last_t, last_v])?;
    Ok(())
}

/// Merges `new` into the chunk of `window` and refreshes its rollups;
/// returns how many points the chunk gained.
fn write_window(tx: &Transaction, id: i64, window: i64, new: &[(i64, f64)]) -> Result<i64, StoreError> {
    let stored: Option<Vec<u8>> = tx
        .prepare_cached("SELECT data FROM chunks WHERE series_id = ?1 AND start_t = ?2")?
        .query_row(params![id, window], |r| r.get(0))
        .optional()?;
    let old = match &stored {
        Some(bytes) => codec::decode(bytes)?,
        None => Vec::new(),
    };
    let merged = merge(&old, new);
    let Some(whole) = Summary::of(&merged) else {
        return Ok(0);
    };
    tx.prepare_cached(
        "INSERT INTO chunks (series_id, start_t, first_t, last_t, count, min, max, sum, first_v, last_v, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (series_id, start_t) DO UPDATE SET
            first_t = excluded.first_t, last_t = excluded.last_t, count = excluded.count,
            min = excluded.min, max = excluded.max, sum = excluded.sum,
            first_v = excluded.first_v, last_v = excluded.last_v, data = excluded.data",
    )?
    .execute(params![
        id,
        window,
        whole.start,
        whole.end,
        whole.count as i64,
        whole.min,
        whole.max,
        whole.sum,
        whole.first,
        whole.last,
        codec::encode(&merged)
    ])?;
    upsert_rollup(tx, RollupTier::Hour, id, window, &whole)?;
    for bucket in touched_buckets(new.iter().map(|p| p.0), MINUTE_MS) {
        if let Some(s) = Summary::of(bucket_slice(&merged, bucket, MINUTE_MS)) {
            upsert_rollup(tx, RollupTier::Minute, id, bucket, &s)?;
        }
    }
    Ok(merged.len() as i64 - old.len() as i64)
}

/// The upsert of one rollup row into `$table`.
macro_rules! upsert_rollup_sql {
    ($table:literal) => {
        concat!(
            "INSERT INTO ",
            $table,
            " (series_id, bucket_t, count, min, max, sum, first_v, last_v) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (series_id, bucket_t) DO UPDATE SET
                count = excluded.count, min = excluded.min, max = excluded.max, sum = excluded.sum,
                first_v = excluded.first_v, last_v = excluded.last_v"
        )
    };
}

fn upsert_rollup(tx: &Transaction, tier: RollupTier, id: i64, bucket: i64, s: &Summary) -> Result<(), StoreError> {
    let sql = match tier {
        RollupTier::Minute => upsert_rollup_sql!("rollup_1m"),
        RollupTier::Hour => upsert_rollup_sql!("rollup_1h"),
    };
    tx.prepare_cached(sql)?.execute(params![
        id,
        bucket,
        s.count as i64,
        s.min,
        s.max,
        s.sum,
        s.first,
        s.last
    ])?;
    Ok(())
}

/// The id of the point's series, creating the series if needed; the bool
/// says whether it was created. A unit given with the point updates it.
fn series_id(tx: &Transaction, point: &ValidPoint, now_ms: i64) -> Result<(i64, bool), StoreError> {
    let existing: Option<i64> = tx
        .prepare_cached("SELECT id FROM series WHERE key = ?1")?
        .query_row([&point.key], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        if let Some(unit) = &point.unit {
            tx.prepare_cached("UPDATE series SET unit = ?2 WHERE id = ?1 AND unit IS NOT ?2")?
                .execute(params![id, unit])?;
        }
        return Ok((id, false));
    }
    let labels = serde_json::to_string(&point.labels)?;
    tx.prepare_cached("INSERT INTO series (key, name, labels, unit, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![point.key, point.name, labels, point.unit, now_ms])?;
    Ok((tx.last_insert_rowid(), true))
}
