//! The SQLite store: one file, WAL mode, one writer connection and a pool
//! of readers.
//!
//! Durability: `synchronous=NORMAL` in WAL mode makes every committed
//! transaction survive a crash or `kill -9` of the process (only an OS
//! crash or power cut can lose the last commits), and a write is
//! acknowledged only after the transaction that logs it commits.
//!
//! The engine's API: [`Store::write_batch`] (durable on return),
//! [`read::read_points`] for a series' points in a range,
//! [`read::read_rollup`] for a tier's buckets, [`Store::list_series`],
//! [`Store::stats`]; [`Store::compact_due`] and [`Store::apply_retention`]
//! for the background job.

mod catalogue;
mod chunk;
pub mod codec;
mod compact;
mod dashboards;
mod grow;
mod join;
mod log;
mod observe;
mod place;
mod pool;
pub mod read;
mod retention;
pub mod rollup;
mod rollup_rows;
mod scan;
mod schema;
pub mod series_index;
mod stats;
mod tallies;
mod tokens;
mod write;
mod writer;

pub use observe::WriteObserver;
pub use read::SeriesRow;
pub use retention::{Retention, RetentionReport};
pub use rollup::RollupTier;
pub use stats::StoreStats;
pub use tallies::PoolFigures;
pub use tokens::StoredToken;
pub use write::WriteSummary;

use crate::ingest::ValidBatch;

use catalogue::Catalogue;
use observe::Observers;
use series_index::SeriesIndex;
use std::sync::{Arc, Mutex};
use tallies::{warn_if_slow, Tallies};
use writer::WriterHandle;

use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;
use std::path::Path;

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("stored labels are not valid JSON: {0}")]
    Labels(#[from] serde_json::Error),
    #[error("blocking task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("cannot create the data folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored chunk: {0}")]
    Codec(#[from] codec::CodecError),
    #[error("connection pool: {0}")]
    Busy(String),
    #[error("the store is shutting down")]
    Closed,
    #[error("{0}")]
    Failed(String),
    #[error("database schema version {found} is newer than this binary knows ({known})")]
    SchemaTooNew { found: i64, known: i64 },
}

impl StoreError {
    /// True when waiting and retrying may succeed (locked database, pool exhausted).
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Pool(_) | StoreError::Busy(_) => true,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                )
            }
            _ => false,
        }
    }
}

/// A cheap `Clone` handle to the database. Writes go through a pool of
/// exactly one connection, so they are serialised without SQLite busy
/// errors; reads use `readers` `query_only` connections in parallel.
/// Batches reach the database through the writer thread (see `writer`).
#[derive(Clone)]
pub struct Store {
    writer: Pool<SqliteConnectionManager>,
    readers: Pool<SqliteConnectionManager>,
    /// One permit per reader connection: reads wait for a connection here,
    /// holding no thread, rather than on the blocking pool, where every
    /// waiting read would hold a thread of its own (and its memory).
    reads: Arc<tokio::sync::Semaphore>,
    checkpointer: Pool<SqliteConnectionManager>,
    writer_thread: WriterHandle,
    observers: Observers,
    series_index: Arc<Mutex<SeriesIndex>>,
    path: Arc<std::path::PathBuf>,
    tallies: Arc<Tallies>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub async fn open(path: &Path, readers: u32) -> Result<Store, StoreError> {
        let file = Arc::new(path.to_owned());
        let path = path.to_owned();
        let tallies = Arc::new(Tallies::default());
        let (writer_waits, reader_waits) = (tallies.writer_waits.clone(), tallies.reader_waits.clone());
        let pools = tokio::task::spawn_blocking(move || {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let writer = pool::writer(&path, &writer_waits)?;
            schema::migrate(&mut *writer.get()?)?;
            let readers = pool::readers(&path, readers.max(1), &reader_waits)?;
            let checkpointer = pool::checkpointer(&path)?;
            let mut catalogue = Catalogue::default();
            let (batches, logged_to) = log::pending(&*writer.get()?)?;
            if !batches.is_empty() {
                let count = batches.len();
                write::apply(&mut *writer.get()?, &mut catalogue, batches, logged_to)?;
                tracing::info!(batches = count, "applied the batches left in the ingest log");
            }
            let writer_thread = WriterHandle::start(writer.clone(), catalogue)?;
            Ok::<_, StoreError>((writer, readers, checkpointer, writer_thread))
        })
        .await??;
        let (writer, readers, checkpointer, writer_thread) = pools;
        let reads = Arc::new(tokio::sync::Semaphore::new(readers.max_size() as usize));
        Ok(Store {
            writer,
            readers,
            reads,
            checkpointer,
            writer_thread,
            observers: Observers::default(),
            series_index: Arc::default(),
            path: file,
            tallies,
        })
    }

    /// Registers `observer` to hear of every write and expiry from now on.
    pub fn observe(&self, observer: Arc<dyn WriteObserver>) {
        self.observers.add(observer);
    }

    /// Sizes in bytes of the database file and of its write-ahead log
    /// (0 for a file that is not there).
    pub fn file_sizes(&self) -> (u64, u64) {
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let mut wal = self.path.as_os_str().to_owned();
        wal.push("-wal");
        (size(&self.path), size(Path::new(&wal)))
    }

    /// The writer pool's and the reader pool's figures.
    pub fn pool_figures(&self) -> (PoolFigures, PoolFigures) {
        (
            PoolFigures::of(&self.writer, &self.tallies.writer_waits),
            PoolFigures::of(&self.readers, &self.tallies.reader_waits),
        )
    }

    /// Batches acknowledged but not yet applied to chunks and rollups: how
    /// far the rollups lag behind the log.
    pub fn unapplied_batches(&self) -> usize {
        self.writer_thread.unapplied_batches()
    }

    /// When the last retention pass finished, epoch ms (0: none yet).
    pub fn retention_done_ms(&self) -> i64 {
        self.tallies.retention_done_ms()
    }

    /// Points and batches acknowledged since the store opened.
    pub fn ingested(&self) -> (u64, u64) {
        self.tallies.ingested()
    }

    /// Checks that a reader can run a query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.read(|conn| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?)).await
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
        self.write(|conn| Ok(conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?))
            .await
    }

    /// Stores every point of `batch` atomically and durably. A point whose
    /// series and time already exist replaces the stored value (last write
    /// wins). Returns once the batch is committed.
    pub async fn write_batch(&self, batch: ValidBatch) -> Result<WriteSummary, StoreError> {
        let spans: Vec<(String, i64, i64)> = batch
            .series()
            .iter()
            .filter_map(|s| {
                let (first, last) = s.points.iter().fold(None, |span: Option<(i64, i64)>, &(t, _)| {
                    Some(span.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))))
                })?;
                Some((s.key.clone(), first, last))
            })
            .collect();
        let outcome = self.writer_thread.write(batch).await;
        // Even a failed write may have reached the log: its answers go too.
        self.observers.written(&spans);
        if let Ok(summary) = &outcome {
            self.tallies.acknowledged(summary.points);
        }
        outcome
    }

    /// Returns once every acknowledged batch is visible to readers.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.writer_thread.flush().await
    }

    /// Like [`Store::read`], waiting only for acknowledged writes to
    /// `series` (keys): a reader of one series does not wait while the
    /// writer applies batches of others.
    pub async fn read_series<T, F>(&self, series: &[&str], f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T, StoreError> + Send + 'static,
    {
        if let Err(e) = self.writer_thread.flush_series(series).await {
            tracing::warn!(error = %e, "reading without the newest writes");
        }
        self.read_now(f).await
    }

    /// Runs `f` with a reader connection on the blocking pool, after every
    /// batch acknowledged so far became readable.
    pub async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T, StoreError> + Send + 'static,
    {
        if let Err(e) = self.flush().await {
            tracing::warn!(error = %e, "reading without the newest writes");
        }
        self.read_now(f).await
    }

    async fn read_now<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let asked = std::time::Instant::now();
        let permit = tokio::time::timeout(pool::CHECKOUT_TIMEOUT, self.reads.clone().acquire_owned())
            .await
            .map_err(|_| StoreError::Busy("no reader connection came free in time".into()))?
            .map_err(|_| StoreError::Closed)?;
        self.tallies.reader_waits.waited(asked.elapsed());
        let pool = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            f(&*pool.get()?)
        })
        .await?
    }

    /// Runs `f` with the writer connection on the blocking pool, between
    /// two transactions of the writer thread. Batches acknowledged but not
    /// yet applied stay in the ingest log meanwhile: what runs here
    /// (dashboards, tokens, compaction, retention) never depends on them,
    /// and waiting for them would force small applications every second.
    pub async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut rusqlite::Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let pool = self.writer.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            let started = std::time::Instant::now();
            let outcome = f(&mut conn);
            warn_if_slow("a write transaction (dashboards, compaction, retention)", started);
            outcome
        })
        .await?
    }
}
