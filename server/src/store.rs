//! The SQLite store: one file, WAL mode, one writer connection and a pool
//! of readers. It imports nothing from the layers above it (HTTP, ingest
//! formats, the query engine, the cache): its input is a validated
//! [`crate::batch::ValidBatch`], its answers are domain values, and its
//! tables and SQL never leave this folder.
//!
//! Durability: `synchronous=NORMAL` in WAL mode makes every committed
//! transaction survive a crash or `kill -9` of the process, and a write is
//! acknowledged only after the transaction that logs it commits. With
//! [`Durability::Disk`] (the default) that commit alone runs with
//! `synchronous=FULL`, so the WAL is synced to disk before the answer and
//! the batch survives an OS crash or power cut as well; applying logged
//! batches stays `NORMAL` (a lost application is replayed from the log).
//!
//! ## The API, all on [`Store`]
//! - writing: [`Store::write_batch`] (durable on return), [`Store::flush`];
//! - reading: [`Store::read`] / [`Store::read_series`] lend a [`Reader`]
//!   (a series by key, its points, pages of them, a tier's buckets, how far
//!   back each tier reaches); [`Store::list_series`], [`Store::stats`];
//! - upkeep: [`Store::compact_due`], [`Store::apply_retention`],
//!   [`Store::checkpoint_passive`], [`Store::checkpoint`];
//! - the rest of the file: dashboards and tokens (`meta`);
//! - figures: [`Store::pool_figures`], [`Store::file_sizes`], ...;
//!   [`Store::observe`] registers a [`WriteObserver`] told of every write.
//!
//! ## Layout
//! - `log/`: the ingest log and the committer thread that owns writing.
//! - `chunks/`: the chunk engine (codec, placement, growth, joins,
//!   compaction, scans).
//! - `rollups/`: the minute and hour tiers.
//! - `series/`: the series table; `catalog/`: every series in memory, by
//!   key and by label (search, selectors, label names and values).
//! - `meta/`: dashboards and tokens.
//! - `schema`, `pool`, `checkpoint`, `retention`, `stats`, `tallies`,
//!   `observe`, `reader`, `error`.

mod catalog;
mod checkpoint;
mod chunks;
mod error;
mod head;
mod log;
mod meta;
mod observe;
mod pool;
mod private;
mod reader;
mod retention;
mod rollups;
mod schema;
mod series;
mod stats;
mod tallies;
#[cfg(test)]
mod test_db;

pub use catalog::{Catalog, CompiledSelector, KeyQuery, SelectError};
pub use chunks::codec;
pub use error::StoreError;
pub use log::{Allowance, Durability, NewSeriesRule, SeriesRefusal, WriteSummary};
pub use meta::{AlertChanges, FirstDashboard, NewDelivery, NewTransition, Scope, Scopes, StoredInstance, StoredToken};
pub use observe::{SeriesHash, WriteObserver, WrittenSpan};
pub use reader::{Page, PageCursor, Reader, TierReach};
pub use retention::{Retention, RetentionReport};
pub use series::{SelectedSeries, SeriesRow, SeriesSearch};
pub use stats::StoreStats;
pub use tallies::PoolFigures;

use crate::batch::ValidBatch;

use head::{Head, HeadView};
use log::{Committer, KnownSeries};
use observe::Observers;
use std::sync::{Arc, RwLock};
use tallies::{warn_if_slow, Tallies};

use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;
use std::path::Path;

/// A cheap `Clone` handle to the database. Writes go through a pool of
/// exactly one connection, so they are serialised without SQLite busy
/// errors; reads use `readers` `query_only` connections in parallel.
/// Batches reach the database through the committer thread (see `log`).
#[derive(Clone)]
pub struct Store {
    writer: Pool<SqliteConnectionManager>,
    readers: Pool<SqliteConnectionManager>,
    /// One permit per reader connection: reads wait for a connection here,
    /// holding no thread, rather than on the blocking pool, where every
    /// waiting read would hold a thread of its own (and its memory).
    reads: Arc<tokio::sync::Semaphore>,
    checkpointer: Pool<SqliteConnectionManager>,
    committer: Committer,
    /// Acknowledged points not yet in chunks, which readers see too.
    head: Head,
    observers: Observers,
    catalog: Arc<RwLock<Catalog>>,
    path: Arc<std::path::PathBuf>,
    tallies: Arc<Tallies>,
    /// The WAL's frame count at the last checkpoint that copied all of it
    /// (-1 when the last did not): an unchanged count means the writer
    /// rested for a whole tick (see `checkpoint`).
    wal_at_rest: Arc<std::sync::atomic::AtomicI64>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it,
    /// with writes durable on disk when acknowledged.
    pub async fn open(path: &Path, readers: u32) -> Result<Store, StoreError> {
        Store::open_with(path, readers, Durability::Disk).await
    }

    /// Like [`Store::open`], with acknowledged writes as durable as
    /// `durability` says.
    pub async fn open_with(path: &Path, readers: u32, durability: Durability) -> Result<Store, StoreError> {
        let file = Arc::new(path.to_owned());
        let path = path.to_owned();
        let tallies = Arc::new(Tallies::default());
        let (writer_waits, reader_waits) = (tallies.writer_waits.clone(), tallies.reader_waits.clone());
        let pools = tokio::task::spawn_blocking(move || {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                private::create_dir(dir)?;
            }
            private::create_file(&path)?;
            let writer = pool::writer(&path, &writer_waits)?;
            schema::migrate(&mut *writer.get()?)?;
            let readers = pool::readers(&path, readers.max(1), &reader_waits)?;
            let checkpointer = pool::checkpointer(&path)?;
            let mut known = KnownSeries::default();
            let (batches, logged_to) = log::pending(&*writer.get()?)?;
            if !batches.is_empty() {
                let count = batches.len();
                log::apply(&mut *writer.get()?, &mut known, batches, logged_to)?;
                tracing::info!(batches = count, "applied the batches left in the ingest log");
            }
            let series_count = series::count(&*writer.get()?)?;
            // Loaded now, so that the first search does not wait for it.
            let catalog = Arc::new(RwLock::new(Catalog::default()));
            drop(series::caught_up(&catalog, &*readers.get()?)?);
            let head = Head::default();
            let committer = Committer::start(
                writer.clone(),
                (known, series_count),
                durability,
                head.clone(),
                catalog.clone(),
            )?;
            Ok::<_, StoreError>((writer, readers, checkpointer, committer, head, catalog))
        })
        .await??;
        let (writer, readers, checkpointer, committer, head, catalog) = pools;
        let reads = Arc::new(tokio::sync::Semaphore::new(readers.max_size() as usize));
        Ok(Store {
            writer,
            readers,
            reads,
            checkpointer,
            committer,
            head,
            observers: Observers::default(),
            catalog,
            path: file,
            tallies,
            wal_at_rest: Arc::new(std::sync::atomic::AtomicI64::new(-1)),
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

    /// Batches of late points acknowledged but not yet applied to chunks
    /// and rollups.
    pub fn unapplied_batches(&self) -> usize {
        self.committer.unapplied_batches()
    }

    /// Acknowledged points held in the head (in memory and in the log, not
    /// yet in chunks), and the series they belong to.
    pub fn head_points(&self) -> (usize, usize) {
        (self.head.points(), self.head.series_count())
    }

    /// When the last retention pass finished, epoch ms (0: none yet).
    pub fn retention_done_ms(&self) -> i64 {
        self.tallies.retention_done_ms()
    }

    /// Points and batches acknowledged since the store opened.
    pub fn ingested(&self) -> (u64, u64) {
        self.tallies.ingested()
    }

    /// Stores every point of `batch` atomically and durably. A point whose
    /// series and time already exist replaces the stored value (last write
    /// wins). Returns once the batch is committed.
    pub async fn write_batch(&self, batch: ValidBatch) -> Result<WriteSummary, StoreError> {
        self.write_batch_within(batch, NewSeriesRule::unlimited()).await
    }

    /// Like [`Store::write_batch`], when `rule` admits the series the batch
    /// creates; otherwise stores nothing and says which cap refused it
    /// ([`StoreError::SeriesRefused`]).
    pub async fn write_batch_within(&self, batch: ValidBatch, rule: NewSeriesRule) -> Result<WriteSummary, StoreError> {
        let spans: Vec<WrittenSpan> = batch
            .series()
            .iter()
            .zip(batch.key_hashes())
            .filter_map(|(s, &hash)| {
                let (first, last) = s.points.iter().fold(None, |span: Option<(i64, i64)>, &(t, _)| {
                    Some(span.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))))
                })?;
                Some(WrittenSpan {
                    series: SeriesHash(hash),
                    first,
                    last,
                })
            })
            .collect();
        let outcome = self.committer.write(batch, rule).await;
        // Even a failed write may have reached the log: its answers go too.
        // A refused one never did.
        if !matches!(outcome, Err(StoreError::SeriesRefused(_))) {
            self.observers.written(&spans);
        }
        if let Ok(summary) = &outcome {
            self.tallies.acknowledged(summary.points);
        }
        outcome
    }

    /// Returns once every acknowledged point is in chunks and rollups
    /// (readers see acknowledged points without it, from the head).
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.committer.flush().await
    }

    /// Runs `f` with a [`Reader`] that sees every write to `series` (keys)
    /// acknowledged so far, in one snapshot: their late points applied
    /// first (a reader of one series does not wait while the committer
    /// applies those of others), their head points read from the head.
    pub async fn read_series<T, F>(&self, series: &[&str], f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Reader) -> Result<T, StoreError> + Send + 'static,
    {
        if let Err(e) = self.committer.flush_series(series).await {
            tracing::warn!(error = %e, "reading without the newest writes");
        }
        let keys: Vec<String> = series.iter().map(|s| (*s).to_owned()).collect();
        let (catalog, head) = (self.catalog.clone(), self.head.clone());
        self.on_reader(move |conn| {
            let ids: Vec<i64> = {
                let catalog = series::caught_up(&catalog, conn)?;
                keys.iter().filter_map(|k| catalog.id_of(k)).collect()
            };
            in_snapshot(conn, head.view(ids), f)
        })
        .await
    }

    /// Runs `f` with a [`Reader`] on the blocking pool, after every point
    /// acknowledged so far is in chunks and rollups.
    pub async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Reader) -> Result<T, StoreError> + Send + 'static,
    {
        self.applied().await;
        self.on_reader(move |conn| in_snapshot(conn, HeadView::default(), f))
            .await
    }

    /// Waits until every point acknowledged so far is in chunks; a failure
    /// is logged and the read goes on without the newest writes.
    async fn applied(&self) {
        if let Err(e) = self.flush().await {
            tracing::warn!(error = %e, "reading without the newest writes");
        }
    }

    /// Runs `f` with a reader connection on the blocking pool, at once.
    async fn on_reader<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
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
    /// two transactions of the committer. Batches acknowledged but not
    /// yet applied stay in the ingest log meanwhile: what runs here
    /// (dashboards, tokens, compaction, retention) never depends on them,
    /// and waiting for them would force small applications every second.
    async fn on_writer<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
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

/// Runs `f` on a [`Reader`] whose statements share one snapshot, begun
/// after `head` was taken (see the module `head`).
fn in_snapshot<T>(
    conn: &Connection,
    head: HeadView,
    f: impl FnOnce(&Reader) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let snapshot = conn.unchecked_transaction()?;
    let outcome = f(&Reader::new(&snapshot, head))?;
    snapshot.commit()?;
    Ok(outcome)
}
