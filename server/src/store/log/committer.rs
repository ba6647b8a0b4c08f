//! The committer thread: the one place that writes batches. A batch is
//! appended to the ingest log and committed, then acknowledged; batches
//! arriving meanwhile share that commit (group commit). Logged batches are
//! applied to chunks and rollups many at a time: when enough points wait,
//! after a short pause, or when a reader asks for a flush, so that every
//! read sees every acknowledged write. An application runs a few series
//! per transaction, and new batches are committed to the log between two
//! of them, so that producers are not kept waiting while it runs.

use super::apply::{Application, WriteSummary};
use super::known_series::KnownSeries;
use super::new_series::{NewSeriesRule, SeriesRefusal};
use super::rows as log;
use super::{Durability, StoreError};
use crate::batch::ValidBatch;
use crate::store::chunks::sort_last_wins;
use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;
use rustc_hash::FxHashSet;
use std::collections::HashSet;
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::oneshot;

/// A commit of the log stops taking batches once it holds this many points.
const GROUP_POINTS: usize = 100_000;
/// Logged points that make the committer apply them at once. Each series an
/// application touches costs a few b-tree pages (its index entries, its
/// hour and minute rows, their parents) whatever its number of points, so
/// more points per application write fewer bytes per point: with 500,000
/// the server wrote 29 B/pt (WAL and checkpoints) where 250,000 wrote 37
/// (`ingest_load`, 4 writers).
/// A reader that needs the newest points waits for up to this many.
const APPLY_POINTS: usize = 500_000;
/// Logged batches are applied after this long without a new command.
const APPLY_AFTER: Duration = Duration::from_millis(200);
/// Points applied per transaction, between two of which the log takes
/// new batches: a few milliseconds of work.
const STEP_POINTS: usize = 25_000;
/// Logged points waiting behind an application that make the committer stop
/// taking batches until it is done, which bounds memory and the log.
const BACKLOG_POINTS: usize = 2 * APPLY_POINTS;
/// Pause before retrying a step that failed on a busy database.
const RETRY_AFTER: Duration = Duration::from_millis(20);

type Reply = oneshot::Sender<Result<WriteSummary, StoreError>>;
type FlushReply = oneshot::Sender<Result<(), String>>;

/// A batch with its points sorted (one per time), its log row, and its
/// size as received (points, series).
struct Logged {
    batch: ValidBatch,
    row: Vec<u8>,
    received: (usize, usize),
    rule: NewSeriesRule,
}

/// How many series a batch creates, or why it was refused.
type Admission = Result<usize, SeriesRefusal>;

/// The rules of the batches of one commit, and the series in the store
/// before it.
struct Admitted {
    rules: Vec<NewSeriesRule>,
    series_count: usize,
}

/// What one commit to the log did.
struct LogCommit {
    /// The newest log id.
    logged_to: Option<i64>,
    /// Per batch, how many series it creates, or why it was refused (and
    /// not logged).
    new_series: Vec<Admission>,
    /// The keys of those series.
    created: HashSet<String>,
}

enum Command {
    Write(Logged, Reply),
    Flush(FlushReply),
}

/// A cheap `Clone` handle to the committer thread, which runs until the last
/// handle is dropped (and then applies what is left).
#[derive(Clone)]
pub struct Committer {
    commands: mpsc::Sender<Command>,
    /// What is logged but not yet applied, so that a flush is free when
    /// nothing (or nothing of the series a reader wants) waits.
    pending: Arc<Mutex<Pending>>,
}

/// Batches logged but not applied, and the keys of the series they touch:
/// those being applied, and those waiting for the next application.
#[derive(Default)]
struct Pending {
    batches: usize,
    applying: FxHashSet<String>,
    waiting: FxHashSet<String>,
    /// Series in the store once every logged batch is applied.
    series: usize,
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
    /// Starts the thread with the writer pool and the series known as the
    /// database has it (the log applied).
    pub fn start(
        writer: Pool<SqliteConnectionManager>,
        known: KnownSeries,
        series_count: usize,
        durability: Durability,
    ) -> std::io::Result<Committer> {
        let (commands, inbox) = mpsc::channel();
        let pending = Arc::new(Mutex::new(Pending {
            series: series_count,
            ..Pending::default()
        }));
        let thread = CommitterThread {
            pool: writer,
            durability,
            known,
            series_count,
            waiting: Unapplied::default(),
            applying: None,
            new_keys: HashSet::new(),
            pending: pending.clone(),
        };
        std::thread::Builder::new()
            .name("sensorboard-committer".into())
            .spawn(move || thread.run(inbox))?;
        Ok(Committer { commands, pending })
    }

    /// Logs `batch` if `rule` admits the series it creates, and returns
    /// once it is durable. Sorting and encoding happen here, on the
    /// caller's thread, to keep the committer free.
    pub async fn write(&self, batch: ValidBatch, rule: NewSeriesRule) -> Result<WriteSummary, StoreError> {
        let received = (batch.len(), batch.series().len());
        let batch = sorted(batch);
        let row = log::encode(&batch)?;
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::Write(
                Logged {
                    batch,
                    row,
                    received,
                    rule,
                },
                reply,
            ))
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Batches logged and acknowledged but not yet applied.
    pub fn unapplied_batches(&self) -> usize {
        lock(&self.pending).batches
    }

    /// Series in the store once every acknowledged batch is applied (those
    /// that logged batches create included).
    pub fn series_logged(&self) -> usize {
        lock(&self.pending).series
    }

    /// Returns once every batch acknowledged so far is applied.
    pub async fn flush(&self) -> Result<(), StoreError> {
        if lock(&self.pending).batches == 0 {
            return Ok(());
        }
        self.apply_now().await
    }

    /// Returns once every acknowledged write to any of `series` (keys) is
    /// applied; at once when none of them waits.
    pub async fn flush_series(&self, series: &[&str]) -> Result<(), StoreError> {
        if !lock(&self.pending).touches(series) {
            return Ok(());
        }
        self.apply_now().await
    }

    async fn apply_now(&self) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::Flush(reply))
            .map_err(|_| StoreError::Closed)?;
        answer
            .await
            .map_err(|_| StoreError::Closed)?
            .map_err(StoreError::Failed)
    }
}

/// Logged batches waiting for the next application.
#[derive(Default)]
struct Unapplied {
    batches: Vec<ValidBatch>,
    points: usize,
    logged_to: Option<i64>,
}

/// An application under way, and how many logged batches it holds.
struct Applying {
    application: Application,
    batches: usize,
}

struct CommitterThread {
    pool: Pool<SqliteConnectionManager>,
    durability: Durability,
    known: KnownSeries,
    /// Series in the store, those of logged, unapplied batches counted.
    series_count: usize,
    waiting: Unapplied,
    applying: Option<Applying>,
    /// Keys of series that logged, unapplied batches will create.
    new_keys: HashSet<String>,
    pending: Arc<Mutex<Pending>>,
}

impl CommitterThread {
    fn run(mut self, inbox: mpsc::Receiver<Command>) {
        loop {
            let command = if self.applying.is_some() {
                if self.waiting.points >= BACKLOG_POINTS {
                    None
                } else {
                    match inbox.try_recv() {
                        Ok(command) => Some(command),
                        Err(TryRecvError::Empty) => None,
                        Err(TryRecvError::Disconnected) => return self.finish(),
                    }
                }
            } else if self.waiting.batches.is_empty() {
                match inbox.recv() {
                    Ok(command) => Some(command),
                    Err(_) => return,
                }
            } else {
                match inbox.recv_timeout(APPLY_AFTER) {
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
            if let Err(e) = self.step() {
                tracing::warn!(error = %e, "applying logged batches failed; will retry");
                std::thread::sleep(RETRY_AFTER);
            }
        }
    }

    /// Takes `first` and the commands queued behind it: writes are logged
    /// in one commit, then flushes are answered.
    fn take(&mut self, first: Command, inbox: &mpsc::Receiver<Command>) {
        let (mut writes, mut flushes, mut points) = (Vec::new(), Vec::new(), 0);
        let mut next = Some(first);
        while let Some(command) = next.take() {
            match command {
                Command::Write(logged, reply) => {
                    points += logged.batch.len();
                    writes.push((logged, reply));
                }
                Command::Flush(reply) => flushes.push(reply),
            }
            if points < GROUP_POINTS {
                next = inbox.try_recv().ok();
            }
        }
        if !writes.is_empty() {
            self.log(writes);
        }
        if !flushes.is_empty() {
            let result = self.apply_all();
            for reply in flushes {
                let _ = reply.send(result.clone());
            }
        }
    }

    /// Applies everything logged, once the last handle is gone.
    fn finish(mut self) {
        let _ = self.apply_all();
    }

    /// Appends the batches to the log in one transaction and answers them.
    fn log(&mut self, writes: Vec<(Logged, Reply)>) {
        let n = writes.len();
        let (mut batches, mut rows, mut sizes, mut rules, mut replies) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (logged, reply) in writes {
            batches.push(logged.batch);
            rows.push(logged.row);
            sizes.push(logged.received);
            rules.push(logged.rule);
            replies.push(reply);
        }
        let started = std::time::Instant::now();
        let committed = self.commit_to_log(&batches, &rows, rules);
        crate::store::tallies::warn_if_slow("committing batches to the ingest log", started);
        match committed {
            Ok((logged_to, new_series)) => {
                let logged: Vec<ValidBatch> = batches
                    .into_iter()
                    .zip(&new_series)
                    .filter(|(_, admitted)| admitted.is_ok())
                    .map(|(batch, _)| batch)
                    .collect();
                self.waiting.points += logged.iter().map(ValidBatch::len).sum::<usize>();
                {
                    // Before any answer: a reader that saw the answer must see this too.
                    let mut pending = lock(&self.pending);
                    for batch in &logged {
                        pending.waiting.extend(batch.series().iter().map(|s| s.key.clone()));
                    }
                    pending.batches += logged.len();
                    pending.series = self.series_count;
                }
                self.waiting.batches.extend(logged);
                self.waiting.logged_to = logged_to;
                for ((reply, (points, series)), new_series) in replies.into_iter().zip(sizes).zip(new_series) {
                    let _ = reply.send(match new_series {
                        Ok(new_series) => Ok(WriteSummary {
                            points,
                            series,
                            new_series,
                        }),
                        Err(refused) => Err(StoreError::SeriesRefused(refused)),
                    });
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, batches = replies.len(), "ingest log write failed");
                let busy = e.is_busy();
                for reply in replies {
                    let error = if busy {
                        StoreError::Busy(e.to_string())
                    } else {
                        StoreError::Failed(e.to_string())
                    };
                    let _ = reply.send(Err(error));
                }
            }
        }
    }

    /// Commits the batches their rules admit to the log; returns the
    /// newest log id and, per batch, how many series it creates or why it
    /// was refused.
    fn commit_to_log(
        &mut self,
        batches: &[ValidBatch],
        rows: &[Vec<u8>],
        rules: Vec<NewSeriesRule>,
    ) -> Result<(Option<i64>, Vec<Admission>), StoreError> {
        let mut conn = self.pool.get()?;
        let synced = self.durability == Durability::Disk;
        if synced {
            // Only this commit waits for the disk; applications stay NORMAL.
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        let admitted = Admitted {
            rules,
            series_count: self.series_count,
        };
        let logged = Self::append_all(&mut conn, batches, rows, admitted, &self.new_keys, &mut self.known);
        if synced {
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        let logged = logged?;
        self.series_count += logged.created.len();
        self.new_keys.extend(logged.created);
        Ok((logged.logged_to, logged.new_series))
    }

    /// Appends to the log, in one transaction, the `rows` whose batches
    /// their rules admit.
    fn append_all(
        conn: &mut rusqlite::Connection,
        batches: &[ValidBatch],
        rows: &[Vec<u8>],
        admitted: Admitted,
        new_keys: &HashSet<String>,
        known: &mut KnownSeries,
    ) -> Result<LogCommit, StoreError> {
        let tx = conn.transaction()?;
        let mut created = HashSet::new();
        let mut new_series = Vec::with_capacity(batches.len());
        for ((batch, row), mut rule) in batches.iter().zip(rows).zip(admitted.rules) {
            let mut new = Vec::new();
            for s in batch.series() {
                let seen = new_keys.contains(&s.key) || created.contains(&s.key) || known.lookup(&tx, &s.key)?;
                if !seen {
                    new.push(&s.key);
                }
            }
            if let Err(refused) = rule.admit(new.len(), admitted.series_count + created.len()) {
                new_series.push(Err(refused));
                continue;
            }
            log::append(&tx, row)?;
            new_series.push(Ok(new.len()));
            created.extend(new.into_iter().cloned());
        }
        let logged_to = log::newest(&tx)?;
        tx.commit()?;
        Ok(LogCommit {
            logged_to,
            new_series,
            created,
        })
    }

    /// Hands the waiting batches to a new application, if none runs.
    fn start_applying(&mut self) {
        if self.applying.is_some() || self.waiting.batches.is_empty() {
            return;
        }
        let waiting = std::mem::take(&mut self.waiting);
        {
            let mut pending = lock(&self.pending);
            pending.applying = std::mem::take(&mut pending.waiting);
        }
        self.applying = Some(Applying {
            batches: waiting.batches.len(),
            application: Application::new(waiting.batches, waiting.logged_to),
        });
    }

    /// One transaction of the application under way, if any.
    fn step(&mut self) -> Result<(), StoreError> {
        let Some(applying) = self.applying.as_mut() else {
            return Ok(());
        };
        let started = std::time::Instant::now();
        let mut conn = self.pool.get()?;
        let stepped = applying.application.step(&mut conn, &mut self.known, STEP_POINTS);
        crate::store::tallies::warn_if_slow("applying logged batches", started);
        stepped?;
        if applying.application.is_done() {
            let applied = applying.batches;
            self.applying = None;
            if self.waiting.batches.is_empty() {
                self.new_keys.clear();
            }
            let mut pending = lock(&self.pending);
            pending.applying.clear();
            pending.batches -= applied;
        }
        Ok(())
    }

    /// Applies every logged batch: the application under way, then the
    /// batches waiting behind it. The error is for flushing readers.
    fn apply_all(&mut self) -> Result<(), String> {
        self.finish_applying()?;
        self.start_applying();
        self.finish_applying()
    }

    fn finish_applying(&mut self) -> Result<(), String> {
        while self.applying.is_some() {
            self.step().map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// The batch with each series' points sorted by time, one per time (the
/// later write wins), as the log stores them.
fn sorted(mut batch: ValidBatch) -> ValidBatch {
    batch.map_points(sort_last_wins);
    batch
}
