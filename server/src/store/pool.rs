//! Connection pools and the pragmas every connection gets.

use super::StoreError;
use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

/// How long a request waits for a connection before it gets 503.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(10);

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
             PRAGMA busy_timeout = 5000;
             PRAGMA foreign_keys = ON;",
        )
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
    let manager = SqliteConnectionManager::file(path).with_init(|c| c.execute_batch("PRAGMA busy_timeout = 5000;"));
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
        c.execute_batch(
            "PRAGMA busy_timeout = 5000;
             PRAGMA query_only = ON;",
        )
    });
    Ok(Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .connection_timeout(CHECKOUT_TIMEOUT)
        .event_handler(counting(waits))
        .build(manager)?)
}

/// Time requests spent waiting for a connection of one pool, for
/// `/metrics`: checkouts and their total wait.
#[derive(Debug, Default)]
pub struct CheckoutWaits {
    pub checkouts: AtomicU64,
    pub waited_us: AtomicU64,
}

/// An event handler that adds every checkout's wait to `waits`.
pub fn counting(waits: &Arc<CheckoutWaits>) -> Box<dyn r2d2::HandleEvent> {
    Box::new(Counting(waits.clone()))
}

/// The handler itself: the pool owns it, the store reads the figures.
#[derive(Debug)]
struct Counting(Arc<CheckoutWaits>);

impl r2d2::HandleEvent for Counting {
    fn handle_checkout(&self, event: r2d2::event::CheckoutEvent) {
        self.0.checkouts.fetch_add(1, Relaxed);
        self.0.waited_us.fetch_add(event.duration().as_micros() as u64, Relaxed);
    }
}
