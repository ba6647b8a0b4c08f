//! Compaction: merges a window's blocks (the small chunks that writes
//! append) into chunks of up to [`CHUNK_POINTS`], so that sealed data takes
//! few bytes per point and a read decodes few rows. The points do not
//! change, so neither do the rollups.

use super::chunk::{self, CHUNK_MS, CHUNK_POINTS};
use super::{Store, StoreError};
use rusqlite::{params, Connection, Transaction};

/// A window with this many appended blocks is compacted while still open.
pub const MAX_BLOCKS: i64 = 64;

/// A window is sealed, and compacted, once it ended and got no block for
/// this long (a backfill fills old windows quickly, one after the other);
/// late points after that are still merged, at the price of a rewrite.
pub const SEAL_AFTER_MS: i64 = 10_000;

impl Store {
    /// Compacts up to `limit` windows that are due (sealed, or holding
    /// `MAX_BLOCKS` blocks) in one transaction; returns how many it took.
    /// `now_ms` is the wall clock.
    pub async fn compact_due(&self, now_ms: i64, limit: usize) -> Result<usize, StoreError> {
        self.on_writer(move |conn| compact_due(conn, now_ms, limit)).await
    }
}

fn compact_due(conn: &mut Connection, now_ms: i64, limit: usize) -> Result<usize, StoreError> {
    let tx = conn.transaction()?;
    let due: Vec<(i64, i64)> = tx
        .prepare_cached(
            "SELECT series_id, window_t FROM unsealed
             WHERE blocks >= ?1 OR (window_t < ?2 AND touched_ms < ?3) ORDER BY window_t LIMIT ?4",
        )?
        .query_map(
            params![MAX_BLOCKS, now_ms - CHUNK_MS, now_ms - SEAL_AFTER_MS, limit as i64],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .collect::<Result<_, _>>()?;
    for &(series, window) in &due {
        compact_window(&tx, series, window)?;
    }
    tx.commit()?;
    Ok(due.len())
}

/// Rewrites the chunks of one window after its leading full ones as
/// chunks of up to [`CHUNK_POINTS`], and clears its unsealed mark.
pub fn compact_window(tx: &Transaction, series: i64, window: i64) -> Result<(), StoreError> {
    clear_unsealed(tx, series, window)?;
    let blocks = blocks_of(tx, series, window)?;
    if blocks.len() > 1 {
        let points = take_blocks(tx, series, window, &blocks)?;
        chunk::insert_chunks(tx, series, &points)?;
    }
    Ok(())
}

/// Removes the window's mark for compaction, once it is compact.
pub fn clear_unsealed(tx: &Transaction, series: i64, window: i64) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM unsealed WHERE series_id = ?1 AND window_t = ?2")?
        .execute(params![series, window])?;
    Ok(())
}

/// The first times and point counts of the window's chunks after its
/// leading full ones: the blocks that compaction merges.
pub fn blocks_of(tx: &Transaction, series: i64, window: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    let counts: Vec<(i64, i64)> = tx
        .prepare_cached(
            "SELECT first_t, count FROM chunks WHERE series_id = ?1 AND first_t >= ?2 AND first_t < ?3 ORDER BY first_t",
        )?
        .query_map(params![series, window, window + CHUNK_MS], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let full = counts.iter().take_while(|c| c.1 >= CHUNK_POINTS as i64).count();
    Ok(counts[full..].to_vec())
}

/// Decodes and deletes `blocks` (as [`blocks_of`] gives them) of the
/// window; returns their points in time order.
pub fn take_blocks(
    tx: &Transaction,
    series: i64,
    window: i64,
    blocks: &[(i64, i64)],
) -> Result<Vec<(i64, f64)>, StoreError> {
    let Some(&(from, _)) = blocks.first() else {
        return Ok(Vec::new());
    };
    let loaded = chunk::load(tx, series, from, window + CHUNK_MS, i64::MIN)?;
    if let Some(keys) = loaded.keys {
        chunk::delete(tx, series, keys)?;
    }
    Ok(loaded.points)
}
