//! Retention: raw chunks and each rollup tier are kept for a configured
//! time, then deleted by a background job in small transactions (a few
//! hundred series each) so writers never wait long. Freed pages are reused
//! by later writes, and returned to the file system by incremental vacuum
//! in databases created with it. The alert state history, the delivery
//! log and ended silences are kept as long as minute rollups. The points of a sparse hour stand in for
//! its minute rows (see `rollups`), so they are kept as long as minute
//! rows are.

use super::chunks::CHUNK_MS;
use super::rollups::SPARSE_HOUR_POINTS;
use super::{Store, StoreError};
use app::domain::{bucket_start, HOUR_MS, MINUTE_MS};
use rusqlite::{params, Connection};

/// Series handled per retention transaction.
const SERIES_PER_TX: i64 = 256;

/// Pages handed back to the file system per vacuum step (4 MiB).
const VACUUM_PAGES: i64 = 1_024;

/// How long each kind of data is kept, in milliseconds; `None` keeps it forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub raw_ms: Option<i64>,
    pub minute_ms: Option<i64>,
    pub hour_ms: Option<i64>,
}

/// What one retention pass removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    pub raw_points: i64,
    pub minute_buckets: i64,
    pub hour_buckets: i64,
}

impl Store {
    /// Deletes everything older than `retention` allows, series by series
    /// in small transactions, then gives free pages back to the file system.
    /// Batches acknowledged before the pass are applied first, so that
    /// their old points go too; heads are written out first only when one
    /// holds a point that old (a backfill), since writing every head out
    /// costs a fleet a round of writes.
    pub async fn apply_retention(&self, retention: Retention, now_ms: i64) -> Result<RetentionReport, StoreError> {
        // The newest time any tier removes.
        let cut = [retention.raw_ms, retention.minute_ms, retention.hour_ms]
            .into_iter()
            .flatten()
            .min()
            .map(|keep| now_ms.saturating_sub(keep));
        let backfilled = cut.is_some_and(|cut| self.head.oldest_point().is_some_and(|t| t < cut));
        if backfilled {
            self.flush().await?;
        } else {
            self.committer.flush_late().await?;
        }
        let mut total = RetentionReport::default();
        let mut after = i64::MIN;
        loop {
            let (next, report) = self
                .on_writer(move |conn| expire_page(conn, retention, now_ms, after))
                .await?;
            total.raw_points += report.raw_points;
            total.minute_buckets += report.minute_buckets;
            total.hour_buckets += report.hour_buckets;
            match next {
                Some(last) => after = last,
                None => break,
            }
        }
        if total != RetentionReport::default() {
            self.observers.expired();
        }
        if let Some(keep) = retention.minute_ms {
            let cut = now_ms.saturating_sub(keep);
            self.on_writer(move |conn| {
                let tx = conn.transaction()?;
                super::meta::expire_history(&tx, cut)?;
                super::meta::expire_deliveries(&tx, cut)?;
                super::meta::expire_silences(&tx, cut)?;
                tx.commit()?;
                Ok(())
            })
            .await?;
        }
        while self.on_writer(vacuum_step).await? {}
        self.tallies.retention_done(now_ms);
        Ok(total)
    }
}

/// Expires the series with ids after `after`, up to [`SERIES_PER_TX`];
/// returns the last id handled, or `None` when none were left.
fn expire_page(
    conn: &mut Connection,
    retention: Retention,
    now_ms: i64,
    after: i64,
) -> Result<(Option<i64>, RetentionReport), StoreError> {
    let tx = conn.transaction()?;
    let ids: Vec<i64> = tx
        .prepare_cached("SELECT id FROM series WHERE id > ?1 ORDER BY id LIMIT ?2")?
        .query_map(params![after, SERIES_PER_TX], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut report = RetentionReport::default();
    for &id in &ids {
        if let Some(keep) = retention.raw_ms {
            let cut = bucket_start(now_ms.saturating_sub(keep), CHUNK_MS);
            let minute_cut = retention
                .minute_ms
                .map_or(i64::MIN, |keep| bucket_start(now_ms.saturating_sub(keep), CHUNK_MS));
            // Chunks before `cut` whose hour is dense, or before the minute cut.
            let expired = "series_id = ?1 AND first_t < ?2 AND (first_t < ?3 OR coalesce((
                    SELECT count FROM rollup_1h
                    WHERE series_id = ?1 AND bucket_t = chunks.first_t - chunks.first_t % ?5), 0) > ?4)";
            let sparse = SPARSE_HOUR_POINTS as i64;
            let gone: i64 = tx
                .prepare_cached(&format!("SELECT coalesce(sum(count), 0) FROM chunks WHERE {expired}"))?
                .query_row(params![id, cut, minute_cut, sparse, CHUNK_MS], |r| r.get(0))?;
            if gone > 0 {
                tx.prepare_cached(&format!("DELETE FROM chunks WHERE {expired}"))?
                    .execute(params![id, cut, minute_cut, sparse, CHUNK_MS])?;
                tx.prepare_cached(
                    "UPDATE series SET count = max(count - ?2, 0),
                        first_t = (SELECT min(first_t) FROM chunks WHERE series_id = ?1)
                     WHERE id = ?1",
                )?
                .execute(params![id, gone])?;
                report.raw_points += gone;
            }
            tx.prepare_cached("DELETE FROM unsealed WHERE series_id = ?1 AND window_t < ?2")?
                .execute(params![id, cut])?;
        }
        if let Some(keep) = retention.minute_ms {
            let cut = bucket_start(now_ms.saturating_sub(keep), MINUTE_MS);
            report.minute_buckets += tx
                .prepare_cached("DELETE FROM rollup_1m WHERE series_id = ?1 AND bucket_t < ?2")?
                .execute(params![id, cut])? as i64;
        }
        if let Some(keep) = retention.hour_ms {
            let cut = bucket_start(now_ms.saturating_sub(keep), HOUR_MS);
            report.hour_buckets += tx
                .prepare_cached("DELETE FROM rollup_1h WHERE series_id = ?1 AND bucket_t < ?2")?
                .execute(params![id, cut])? as i64;
        }
    }
    tx.commit()?;
    Ok((ids.last().copied(), report))
}

/// Frees up to [`VACUUM_PAGES`] pages; true while free pages remain (in a
/// database without incremental vacuum it does nothing and returns false).
fn vacuum_step(conn: &mut Connection) -> Result<bool, StoreError> {
    let mode: i64 = conn.query_row("PRAGMA auto_vacuum", [], |r| r.get(0))?;
    if mode != 2 {
        return Ok(false);
    }
    let before: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
    conn.execute_batch(&format!("PRAGMA incremental_vacuum({VACUUM_PAGES});"))?;
    let after: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
    Ok(after > 0 && after < before)
}
