//! The WAL's upkeep: checkpoints that copy committed pages back into the
//! database file, and the liveness check `/health` uses.

use super::{Store, StoreError};

impl Store {
    /// Checks that a reader can run a query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.on_reader(|conn| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?))
            .await
    }

    /// Copies committed pages from the WAL into the database file without
    /// blocking the writer or readers; the WAL starts over once all of it
    /// is copied. Called by the background job every second.
    pub async fn checkpoint_passive(&self) -> Result<(), StoreError> {
        let pool = self.checkpointer.clone();
        tokio::task::spawn_blocking(move || {
            pool.get()?.execute_batch("PRAGMA wal_checkpoint(PASSIVE);")?;
            Ok(())
        })
        .await?
    }

    /// Applies the logged batches and folds the WAL back into the main
    /// file; called once at shutdown.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        self.flush().await?;
        self.on_writer(|conn| Ok(conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?))
            .await
    }
}
