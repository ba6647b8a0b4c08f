//! Connection pools and the pragmas every connection gets.

use super::tallies::{counting, CheckoutWaits};
use super::StoreError;
use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// How long a connection waits for a lock another holds (`busy_timeout`).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a request waits for a connection before it gets 503.
pub const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(10);

/// The single writer. WAL lets readers proceed while it writes.
/// `auto_vacuum` takes effect only in a new, empty database. Checkpoints
/// run on their own connection (see [`checkpointer`]) so that commits do
/// not wait for them; the writer checkpoints only if the WAL outgrows
/// 64 MiB, when nothing else did.
pub fn writer(path: &Path, waits: &Arc<CheckoutWaits>) -> Result<Pool<SqliteConnectionManager>, StoreError> {
    let manager = SqliteConnectionManager::file(path).with_init(|c| {
        c.execute_batch(
            "PRAGMA auto_vacuum = INCREMENTAL;
             PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA wal_autocheckpoint = 16384;
             PRAGMA cache_size = -16384;
             PRAGMA foreign_keys = ON;",
        )?;
        c.busy_timeout(BUSY_TIMEOUT)
    });
    Ok(Pool::builder()
        .max_size(1)
        .connection_timeout(CHECKOUT_TIMEOUT)
        .event_handler(counting(waits))
        .build(manager)?)
}

/// The connection that copies the WAL back into the database file, in
/// the background, alongside the writer and the readers.
pub fn checkpointer(path: &Path) -> Result<Pool<SqliteConnectionManager>, StoreError> {
    let manager = SqliteConnectionManager::file(path).with_init(|c| c.busy_timeout(BUSY_TIMEOUT));
    Ok(Pool::builder()
        .max_size(1)
        .connection_timeout(CHECKOUT_TIMEOUT)
        .build(manager)?)
}

/// Readers cannot write, whatever a bug asks of them.
pub fn readers(
    path: &Path,
    size: u32,
    waits: &Arc<CheckoutWaits>,
) -> Result<Pool<SqliteConnectionManager>, StoreError> {
    let manager = SqliteConnectionManager::file(path).with_init(|c| {
        c.execute_batch("PRAGMA query_only = ON;")?;
        c.busy_timeout(BUSY_TIMEOUT)
    });
    Ok(Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .connection_timeout(CHECKOUT_TIMEOUT)
        .event_handler(counting(waits))
        .build(manager)?)
}
