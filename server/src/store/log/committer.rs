//! The committer thread: the one place that writes batches. A batch is
//! appended to the ingest log and committed, then acknowledged; batches
//! arriving meanwhile share that commit (group commit). Once logged, a
//! batch's points join their series' heads in memory (see `store::head`),
//! which are written out to chunks and rollups a few series per
//! transaction when a series has a chunk's worth, when its points reach
//! into the next chunk window, when all heads together hold too many
//! points, or when the oldest of them waits too long. Late points (at or
//! before a series' newest stored time) are applied to the chunks many
//! batches at a time: when enough wait, after a short pause, or when a
//! reader of their series asks. New batches are committed to the log
//! between two of those transactions, so that producers are not kept
//! waiting.

mod logging;
mod steps;

use steps::{Applying, Due, Unapplied};

use super::apply::{Application, WriteSummary};
use super::known_series::KnownSeries;
use super::new_series::{NewSeriesRule, SeriesRefusal};
use super::rows as log;
use super::write_out::write_out;
use super::{Durability, StoreError};
use crate::batch::{SeriesPoints, ValidBatch};
use crate::store::catalog::Catalog;
use crate::store::chunks::sort_last_wins;
use crate::store::head::{Fresh, Head};
use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::hash_map::Entry;
use std::collections::VecDeque;
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// A commit of the log stops taking batches once it holds this many points.
const GROUP_POINTS: usize = 100_000;
/// Points in all heads together past which the oldest heads are written
/// out: 16 bytes a point, so a bound on the head's memory.
const HEAD_POINTS: usize = 4_000_000;
/// What the heads are brought back to once past [`HEAD_POINTS`], by
/// writing out the oldest. Writing out only the oldest few, rather than
/// every head, lets each series gather more points per write-out within
/// the same memory: with `N` alike series writing out a fraction `f` of
/// them per round, each holds `2 × HEAD_POINTS / (N × (1 + f))` points
/// when written (twice as many as writing all at once as `f` nears 0), and
/// a write-out costs a few rows whatever its points.
const HEAD_POINTS_AFTER: usize = HEAD_POINTS / 8 * 7;
/// Series with a head past which every head is written out: a head costs
/// about 150 bytes besides its points. Writing a head out costs a few
/// rows whatever its points, so new series are created fastest when their
/// first points wait in memory: the bound is the default series cap.
const HEAD_SERIES: usize = 1_000_000;
/// Head points at which the committer stops taking batches until heads
/// are written out: producers faster than the writing wait.
const HEAD_BACKLOG: usize = 2 * HEAD_POINTS;
/// A head whose oldest point was logged this long ago is written out with
/// all the others: it bounds the log, and the work of replaying it after
/// a crash.
const HEAD_AGE: Duration = Duration::from_secs(600);
/// How often an idle committer looks at the age of the heads.
const TICK: Duration = Duration::from_secs(1);
/// Late points that make the committer apply them at once. A reader that
/// needs them waits for up to this many.
const APPLY_POINTS: usize = 500_000;
/// Late points are applied after this long without a new command.
const APPLY_AFTER: Duration = Duration::from_millis(200);
/// Points written per transaction (late points applied, or heads written
/// out), between two of which the log takes new batches: a few
/// milliseconds of work.
const STEP_POINTS: usize = 25_000;
/// Late points waiting behind an application that make the committer stop
/// taking batches until it is done, which bounds memory and the log.
const BACKLOG_POINTS: usize = 2 * APPLY_POINTS;
/// Pause before retrying a step that failed on a busy database.
const RETRY_AFTER: Duration = Duration::from_millis(20);

/// A write's answer, with its batch handed back: its memory (a key and a
/// vector per series) is freed on the writer's thread, which allocated
/// it, rather than on the committer's.
type Reply = oneshot::Sender<Result<(WriteSummary, ValidBatch), StoreError>>;
type FlushReply = oneshot::Sender<Result<(), String>>;

/// A batch with its points sorted (one per time), its log row, its
/// series' ids where the catalogue knew them, and its size as received
/// (points, series).
struct Logged {
    batch: ValidBatch,
    row: Vec<u8>,
    ids: SeriesIds,
    received: (usize, usize),
    rule: NewSeriesRule,
}

/// A batch's series' ids, where the catalogue knew them.
type SeriesIds = Vec<Option<i64>>;

enum Command {
    Write(Logged, Reply),
    /// Apply every late point; with `heads`, write every head out too.
    Flush {
        heads: bool,
        reply: FlushReply,
    },
}

/// A cheap `Clone` handle to the committer thread, which runs until the last
/// handle is dropped (and then writes out what is left).
#[derive(Clone)]
pub struct Committer {
    commands: mpsc::Sender<Command>,
    /// What is logged but not yet applied, so that a flush is free when
    /// nothing (or nothing of the series a reader wants) waits.
    pending: Arc<Mutex<Pending>>,
    head: Head,
    catalog: Arc<RwLock<Catalog>>,
}

/// Batches of late points logged but not applied, and the keys of their
/// series: those being applied, and those waiting for the next
/// application.
#[derive(Default)]
struct Pending {
    batches: usize,
    applying: FxHashSet<String>,
    waiting: FxHashSet<String>,
}

impl Pending {
    fn touches(&self, series: &[&str]) -> bool {
        self.batches > 0
            && series
                .iter()
                .any(|s| self.applying.contains(*s) || self.waiting.contains(*s))
    }
}

fn lock(pending: &Mutex<Pending>) -> MutexGuard<'_, Pending> {
    pending.lock().unwrap_or_else(|p| p.into_inner())
}

impl Committer {
    /// Starts the thread with the writer pool, the series known as the
    /// database has it (the log applied), the (empty) head it fills and the
    /// catalogue it adds the series it creates to.
    pub fn start(
        writer: Pool<SqliteConnectionManager>,
        (known, series_count): (KnownSeries, usize),
        durability: Durability,
        head: Head,
        catalog: Arc<RwLock<Catalog>>,
    ) -> std::io::Result<Committer> {
        let (commands, inbox) = mpsc::channel();
        let pending = Arc::new(Mutex::new(Pending::default()));
        let thread = CommitterThread {
            pool: writer,
            durability,
            known,
            series_count,
            waiting: Unapplied::default(),
            applying: None,
            pending: pending.clone(),
            head: head.clone(),
            catalog: catalog.clone(),
            due: Due::default(),
            commits: VecDeque::new(),
            last_row: None,
            trimmed_below: None,
            watched: Instant::now(),
        };
        std::thread::Builder::new()
            .name("sensorboard-committer".into())
            .spawn(move || thread.run(inbox))?;
        Ok(Committer {
            commands,
            pending,
            head,
            catalog,
        })
    }

    /// Logs `batch` if `rule` admits the series it creates, and returns
    /// once it is durable. Sorting, encoding and finding the series' ids
    /// happen here, on the caller's thread, to keep the committer free.
    pub async fn write(&self, batch: ValidBatch, rule: NewSeriesRule) -> Result<WriteSummary, StoreError> {
        let received = (batch.len(), batch.series().len());
        let batch = sorted(batch);
        let row = log::encode(&batch)?;
        let ids = {
            let catalog = self.catalog.read().unwrap_or_else(|p| p.into_inner());
            batch
                .series()
                .iter()
                .zip(batch.key_hashes())
                .map(|(s, &hash)| catalog.id_of_hashed(&s.key, hash))
                .collect()
        };
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::Write(
                Logged {
                    batch,
                    row,
                    ids,
                    received,
                    rule,
                },
                reply,
            ))
            .map_err(|_| StoreError::Closed)?;
        let (summary, _spent) = answer.await.map_err(|_| StoreError::Closed)??;
        Ok(summary)
    }

    /// Batches of late points logged and acknowledged but not yet applied.
    pub fn unapplied_batches(&self) -> usize {
        lock(&self.pending).batches
    }

    /// Returns once every point acknowledged so far is in chunks and
    /// rollups, heads written out.
    pub async fn flush(&self) -> Result<(), StoreError> {
        if lock(&self.pending).batches == 0 && self.head.points() == 0 {
            return Ok(());
        }
        self.apply_now(true).await
    }

    /// Returns once every acknowledged write to any of `series` (keys) is
    /// readable: their late points applied (their head points are read
    /// from the head); at once when none of them waits.
    pub async fn flush_series(&self, series: &[&str]) -> Result<(), StoreError> {
        if !lock(&self.pending).touches(series) {
            return Ok(());
        }
        self.apply_now(false).await
    }

    /// Returns once every late point acknowledged so far is applied (head
    /// points are read from the head); at once when none waits.
    pub async fn flush_late(&self) -> Result<(), StoreError> {
        if lock(&self.pending).batches == 0 {
            return Ok(());
        }
        self.apply_now(false).await
    }

    async fn apply_now(&self, heads: bool) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::Flush { heads, reply })
            .map_err(|_| StoreError::Closed)?;
        answer
            .await
            .map_err(|_| StoreError::Closed)?
            .map_err(StoreError::Failed)
    }
}

struct CommitterThread {
    pool: Pool<SqliteConnectionManager>,
    durability: Durability,
    known: KnownSeries,
    /// Series in the store.
    series_count: usize,
    waiting: Unapplied,
    applying: Option<Applying>,
    pending: Arc<Mutex<Pending>>,
    head: Head,
    catalog: Arc<RwLock<Catalog>>,
    due: Due,
    /// The newest log row of each commit and when it was made, oldest
    /// first: how old the oldest head is.
    commits: VecDeque<(i64, Instant)>,
    /// The newest log row.
    last_row: Option<i64>,
    /// Rows below this id are deleted from the log.
    trimmed_below: Option<i64>,
    /// When the heads' size and age were last looked at.
    watched: Instant,
}

impl CommitterThread {
    fn run(mut self, inbox: mpsc::Receiver<Command>) {
        loop {
            let command = if self.applying.is_some() || !self.due.is_empty() {
                if self.backlogged() {
                    None
                } else {
                    match inbox.try_recv() {
                        Ok(command) => Some(command),
                        Err(TryRecvError::Empty) => None,
                        Err(TryRecvError::Disconnected) => return self.finish(),
                    }
                }
            } else {
                let wait = if self.waiting.batches.is_empty() {
                    TICK
                } else {
                    APPLY_AFTER
                };
                match inbox.recv_timeout(wait) {
                    Ok(command) => Some(command),
                    Err(RecvTimeoutError::Timeout) => {
                        self.start_applying();
                        None
                    }
                    Err(RecvTimeoutError::Disconnected) => return self.finish(),
                }
            };
            if let Some(first) = command {
                self.take(first, &inbox);
            }
            if self.applying.is_none() && self.waiting.points >= APPLY_POINTS {
                self.start_applying();
            }
            self.watch_heads();
            if let Err(e) = self.step() {
                tracing::warn!(error = %e, "writing logged points failed; will retry");
                std::thread::sleep(RETRY_AFTER);
            }
        }
    }

    /// Whether producers must wait for the writing to catch up.
    fn backlogged(&self) -> bool {
        self.waiting.points >= BACKLOG_POINTS || self.head.points() >= HEAD_BACKLOG
    }

    /// Takes `first` and the commands queued behind it: writes are logged
    /// in one commit, then flushes are answered.
    fn take(&mut self, first: Command, inbox: &mpsc::Receiver<Command>) {
        let (mut writes, mut flushes, mut points, mut heads) = (Vec::new(), Vec::new(), 0, false);
        let mut next = Some(first);
        while let Some(command) = next.take() {
            match command {
                Command::Write(logged, reply) => {
                    points += logged.batch.len();
                    writes.push((logged, reply));
                }
                Command::Flush { heads: all, reply } => {
                    heads |= all;
                    flushes.push(reply);
                }
            }
            if points < GROUP_POINTS {
                next = inbox.try_recv().ok();
            }
        }
        if !writes.is_empty() {
            self.log(writes);
        }
        if !flushes.is_empty() {
            let result = self.apply_all(heads);
            for reply in flushes {
                let _ = reply.send(result.clone());
            }
        }
    }

    /// Writes everything out, once the last handle is gone.
    fn finish(mut self) {
        if let Err(e) = self.apply_all(true) {
            tracing::warn!(error = %e, "writing logged points out at shutdown failed; the log keeps them");
        }
    }
}

/// The batch with each series' points sorted by time, one per time (the
/// later write wins), as the log stores them.
fn sorted(mut batch: ValidBatch) -> ValidBatch {
    batch.map_points(sort_last_wins);
    batch
}
