//! Batch writes: one transaction per batch, so a batch is stored whole or
//! not at all, and the 2xx goes out only after the commit.

use super::{Store, StoreError};
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

/// Per-series changes, folded into the `series` row at the end.
struct SeriesDelta {
    id: i64,
    inserted: i64,
    min_t: i64,
    max_t: i64,
    value_at_max_t: f64,
}

fn write_batch(conn: &mut Connection, batch: &ValidBatch) -> Result<WriteSummary, StoreError> {
    let tx = conn.transaction()?;
    let now_ms = crate::clock::now_ms();
    let mut deltas: HashMap<&str, SeriesDelta> = HashMap::new();
    let mut new_series = 0;
    for point in batch.points() {
        let delta = match deltas.get_mut(point.key.as_str()) {
            Some(d) => d,
            None => {
                let (id, created) = series_id(&tx, point, now_ms)?;
                new_series += usize::from(created);
                deltas.entry(point.key.as_str()).or_insert(SeriesDelta {
                    id,
                    inserted: 0,
                    min_t: point.t,
                    max_t: point.t,
                    value_at_max_t: point.v,
                })
            }
        };
        if upsert_point(&tx, delta.id, point.t, point.v)? {
            delta.inserted += 1;
        }
        delta.min_t = delta.min_t.min(point.t);
        if point.t >= delta.max_t {
            delta.max_t = point.t;
            delta.value_at_max_t = point.v;
        }
    }
    let mut summary = tx.prepare_cached(
        "UPDATE series SET
            count = count + ?2,
            first_t = min(coalesce(first_t, ?3), ?3),
            last_t = max(coalesce(last_t, ?4), ?4),
            last_v = CASE WHEN last_t IS NULL OR ?4 >= last_t THEN ?5 ELSE last_v END
         WHERE id = ?1",
    )?;
    for d in deltas.values() {
        summary.execute(params![d.id, d.inserted, d.min_t, d.max_t, d.value_at_max_t])?;
    }
    drop(summary);
    let series = deltas.len();
    drop(deltas);
    tx.commit()?;
    Ok(WriteSummary {
        points: batch.len(),
        series,
        new_series,
    })
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

/// Inserts or replaces one point; true when it was new.
fn upsert_point(tx: &Transaction, series: i64, t: i64, v: f64) -> Result<bool, StoreError> {
    let inserted = tx
        .prepare_cached("INSERT OR IGNORE INTO points (series_id, t, v) VALUES (?1, ?2, ?3)")?
        .execute(params![series, t, v])?;
    if inserted == 0 {
        tx.prepare_cached("UPDATE points SET v = ?3 WHERE series_id = ?1 AND t = ?2")?
            .execute(params![series, t, v])?;
    }
    Ok(inserted == 1)
}
