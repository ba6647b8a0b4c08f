//! The WAL's upkeep: checkpoints that copy committed pages back into the
//! database file, and the liveness check `/health` uses.

use super::{Store, StoreError};
use std::sync::atomic::Ordering;
use std::time::Duration;

/// A WAL file larger than this is cut back to nothing once all of it is
/// copied into the database and the writer rested for a tick: SQLite
/// reuses the file but never shrinks it, so a burst of writes would leave
/// it at its largest for good. (Cutting it under a steady load would only
/// make each commit wait for the cut and the file grow again.)
const WAL_KEEP_BYTES: u64 = 16 << 20;
/// How long the cut waits for a writer or reader in its way before giving
/// up until the next tick: it holds new writers back while it waits.
const CUT_WAIT: Duration = Duration::from_millis(20);

impl Store {
    /// Checks that a reader can run a query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.on_reader(|conn| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?))
            .await
    }

    /// Copies committed pages from the WAL into the database file without
    /// blocking the writer or readers; the WAL starts over once all of it
    /// is copied, and a WAL file grown past [`WAL_KEEP_BYTES`] is cut back
    /// when the writer added nothing since the last call. Called by the
    /// background job every second.
    pub async fn checkpoint_passive(&self) -> Result<(), StoreError> {
        let pool = self.checkpointer.clone();
        // The frames in the WAL, when all of them are copied.
        let all_copied = tokio::task::spawn_blocking(move || {
            let (busy, frames, copied): (i64, i64, i64) =
                pool.get()?.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
            Ok::<_, StoreError>((busy == 0 && frames == copied).then_some(frames))
        })
        .await??;
        let before = self.wal_at_rest.swap(all_copied.unwrap_or(-1), Ordering::Relaxed);
        let at_rest = all_copied.is_some_and(|frames| frames == before);
        let mut wal = self.path.as_os_str().to_owned();
        wal.push("-wal");
        if at_rest && std::fs::metadata(wal).is_ok_and(|m| m.len() > WAL_KEEP_BYTES) {
            self.cut_wal().await?;
            self.wal_at_rest.store(-1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Empties the WAL file, on the writer's connection: between two of
    /// the committer's transactions, whose snapshots a restart of the WAL
    /// from another connection would make stale.
    async fn cut_wal(&self) -> Result<(), StoreError> {
        self.on_writer(|conn| {
            conn.busy_timeout(CUT_WAIT)?;
            let cut = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0));
            conn.busy_timeout(super::pool::BUSY_TIMEOUT)?;
            cut?;
            Ok(())
        })
        .await
    }

    /// Applies the logged batches and folds the WAL back into the main
    /// file; called once at shutdown.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        self.flush().await?;
        self.on_writer(|conn| Ok(conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wal_len(dir: &std::path::Path) -> u64 {
        std::fs::metadata(dir.join("db-wal")).map_or(0, |m| m.len())
    }

    #[tokio::test]
    async fn a_wal_grown_by_a_burst_is_cut_back_once_copied() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), 1).await.unwrap();
        // A burst of 24 MiB of pages, gone again, as trimmed log rows are.
        store
            .on_writer(|conn| {
                conn.execute_batch("CREATE TABLE burst (b BLOB)")?;
                for _ in 0..24 {
                    conn.execute("INSERT INTO burst VALUES (zeroblob(1048576))", [])?;
                }
                conn.execute_batch("DROP TABLE burst")?;
                Ok(())
            })
            .await
            .unwrap();
        assert!(wal_len(dir.path()) > WAL_KEEP_BYTES);
        store.checkpoint_passive().await.unwrap();
        assert!(wal_len(dir.path()) > WAL_KEEP_BYTES, "the writer may be at work");
        store
            .on_writer(|conn| Ok(conn.execute_batch("CREATE TABLE busy (b BLOB)")?))
            .await
            .unwrap();
        store.checkpoint_passive().await.unwrap();
        assert!(wal_len(dir.path()) > WAL_KEEP_BYTES, "it wrote since");
        store.checkpoint_passive().await.unwrap();
        assert_eq!(wal_len(dir.path()), 0, "cut back once copied and a tick at rest");
        store
            .on_writer(|conn| Ok(conn.execute_batch("CREATE TABLE small (b BLOB)")?))
            .await
            .unwrap();
        let small = wal_len(dir.path());
        store.checkpoint_passive().await.unwrap();
        assert_eq!(
            wal_len(dir.path()),
            small,
            "a WAL within the bound is left to be reused"
        );
    }
}
