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
/// Points in all heads together past which every head is written out,
/// oldest first: 16 bytes a point, so a bound on the head's memory.
const HEAD_POINTS: usize = 2_000_000;
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

type Reply = oneshot::Sender<Result<WriteSummary, StoreError>>;
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

/// How many series a batch creates, or why it was refused.
type Admission = Result<usize, SeriesRefusal>;

/// A logged batch: its log row id and, per series, its id and newest
/// stored time.
struct InLog {
    row: i64,
    series: Vec<(i64, Option<i64>)>,
}

/// What one commit to the log did.
struct LogCommit {
    /// Per batch, how many series it creates, or why it was refused (and
    /// not logged).
    new_series: Vec<Admission>,
    /// Per batch, where it went in the log (`None` when refused).
    in_log: Vec<Option<InLog>>,
    /// The series created, by id and key.
    created: Vec<(i64, String)>,
}

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
            batch.series().iter().map(|s| catalog.id_of(&s.key)).collect()
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
        answer.await.map_err(|_| StoreError::Closed)?
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

/// Logged batches of late points waiting for the next application.
#[derive(Default)]
struct Unapplied {
    batches: Vec<ValidBatch>,
    points: usize,
    /// The oldest log row they come from.
    first_row: Option<i64>,
}

/// An application under way, how many logged batches it holds and the
/// oldest log row they come from.
struct Applying {
    application: Application,
    batches: usize,
    first_row: Option<i64>,
}

/// Series whose heads are to be written out, in order, each once, and
/// whether whole (a round of every head) or only what is ripe (see
/// `Head::due_through`).
#[derive(Default)]
struct Due {
    order: VecDeque<i64>,
    queued: FxHashMap<i64, bool>,
}

impl Due {
    fn push(&mut self, series: i64, whole: bool) {
        match self.queued.entry(series) {
            Entry::Occupied(mut queued) => *queued.get_mut() |= whole,
            Entry::Vacant(slot) => {
                slot.insert(whole);
                self.order.push_back(series);
            }
        }
    }

    fn pop(&mut self) -> Option<(i64, bool)> {
        let series = self.order.pop_front()?;
        let whole = self.queued.remove(&series).unwrap_or(true);
        Some((series, whole))
    }

    fn is_empty(&self) -> bool {
        self.order.is_empty()
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

    /// Appends the batches to the log in one transaction, hands their
    /// points to the heads (late ones to the next application) and
    /// answers them.
    fn log(&mut self, writes: Vec<(Logged, Reply)>) {
        let n = writes.len();
        let (mut batches, mut rows, mut ids, mut sizes, mut rules, mut replies) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (logged, reply) in writes {
            batches.push(logged.batch);
            rows.push(logged.row);
            ids.push(logged.ids);
            sizes.push(logged.received);
            rules.push(logged.rule);
            replies.push(reply);
        }
        let started = Instant::now();
        let committed = self.commit_to_log(&batches, &rows, &ids, rules);
        crate::store::tallies::warn_if_slow("committing batches to the ingest log", started);
        match committed {
            Ok(commit) => {
                // Before any answer: a reader that saw the answer must see this too.
                self.route(batches, commit.in_log);
                for ((reply, (points, series)), new_series) in replies.into_iter().zip(sizes).zip(commit.new_series) {
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

    /// Sends each logged batch's points to their series' heads, and its
    /// late points (at or before the series' newest stored time) to the
    /// next application.
    fn route(&mut self, batches: Vec<ValidBatch>, in_log: Vec<Option<InLog>>) {
        let mut fresh = Vec::new();
        let mut late_batches = Vec::new();
        for (batch, logged) in batches.iter().zip(&in_log) {
            let Some(logged) = logged else { continue };
            let mut late = Vec::new();
            for (s, &(id, stored_last)) in batch.series().iter().zip(&logged.series) {
                let split = stored_last.map_or(0, |last| s.points.partition_point(|p| p.0 <= last));
                fresh.push(Fresh {
                    series: id,
                    points: &s.points[split..],
                    row: logged.row,
                });
                if split > 0 {
                    late.push(SeriesPoints {
                        key: s.key.clone(),
                        unit: s.unit.clone(),
                        points: s.points[..split].to_vec(),
                    });
                }
            }
            if let Ok(late) = ValidBatch::from_validated(late) {
                late_batches.push((late, logged.row));
            }
        }
        for (series, _) in self.head.add(&fresh) {
            self.due.push(series, false);
        }
        let mut pending = lock(&self.pending);
        for (late, row) in late_batches {
            pending.waiting.extend(late.series().iter().map(|s| s.key.clone()));
            pending.batches += 1;
            self.waiting.points += late.len();
            self.waiting.first_row.get_or_insert(row);
            self.waiting.batches.push(late);
        }
    }

    /// Commits the batches their rules admit to the log, creating the
    /// series they bring.
    fn commit_to_log(
        &mut self,
        batches: &[ValidBatch],
        rows: &[Vec<u8>],
        ids: &[SeriesIds],
        rules: Vec<NewSeriesRule>,
    ) -> Result<LogCommit, StoreError> {
        let mut conn = self.pool.get()?;
        let synced = self.durability == Durability::Disk;
        if synced {
            // Only this commit waits for the disk; the others stay NORMAL.
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        let logged = Self::append_all(
            &mut conn,
            (batches, rows, ids),
            rules,
            self.series_count,
            &mut self.known,
        );
        if synced {
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        let logged = match logged {
            Ok(logged) => logged,
            Err(e) => {
                self.known.forget_all();
                return Err(e);
            }
        };
        self.series_count += logged.created.len();
        if !logged.created.is_empty() {
            let mut catalog = self.catalog.write().unwrap_or_else(|p| p.into_inner());
            let newest = catalog.newest_id();
            // A reader may have caught the catalogue up with them already.
            catalog.add(logged.created.iter().filter(|(id, _)| *id > newest).cloned());
        }
        if let Some(row) = logged.in_log.iter().flatten().map(|l| l.row).max() {
            self.last_row = Some(row);
            self.commits.push_back((row, Instant::now()));
        }
        Ok(logged)
    }

    /// Appends to the log, in one transaction, the `rows` whose batches
    /// their rules admit, and creates their new series.
    fn append_all(
        conn: &mut rusqlite::Connection,
        (batches, rows, ids): (&[ValidBatch], &[Vec<u8>], &[SeriesIds]),
        rules: Vec<NewSeriesRule>,
        series_count: usize,
        known: &mut KnownSeries,
    ) -> Result<LogCommit, StoreError> {
        let tx = conn.transaction()?;
        let now_ms = crate::clock::now_ms();
        let mut commit = LogCommit {
            new_series: Vec::with_capacity(batches.len()),
            in_log: Vec::with_capacity(batches.len()),
            created: Vec::new(),
        };
        for (((batch, row), ids), mut rule) in batches.iter().zip(rows).zip(ids).zip(rules) {
            let mut new = 0;
            for (s, &id) in batch.series().iter().zip(ids) {
                if !known.exists(&tx, &s.key, id)? {
                    new += 1;
                }
            }
            if let Err(refused) = rule.admit(new, series_count + commit.created.len()) {
                commit.new_series.push(Err(refused));
                commit.in_log.push(None);
                continue;
            }
            let row = log::append(&tx, row)?;
            let mut series = Vec::with_capacity(ids.len());
            for (s, &id) in batch.series().iter().zip(ids) {
                let (state, created) = known.resolve(&tx, s, id, now_ms)?;
                if created {
                    commit.created.push((state.id, s.key.clone()));
                }
                series.push((state.id, state.last_t));
            }
            commit.new_series.push(Ok(new));
            commit.in_log.push(Some(InLog { row, series }));
        }
        tx.commit()?;
        Ok(commit)
    }

    /// Queues heads for writing out: all of them when together they hold
    /// too many points or the oldest waited too long.
    fn watch_heads(&mut self) {
        if !self.due.is_empty() {
            return;
        }
        let too_many = self.head.points() > HEAD_POINTS;
        if !too_many && self.watched.elapsed() < TICK {
            return;
        }
        self.watched = Instant::now();
        if too_many || self.oldest_head_waited() >= HEAD_AGE {
            for series in self.head.by_age() {
                self.due.push(series, true);
            }
        }
    }

    /// How long ago the oldest point in a head was logged.
    fn oldest_head_waited(&mut self) -> Duration {
        let Some(oldest) = self.head.oldest_row() else {
            return Duration::ZERO;
        };
        while self.commits.len() > 1 && self.commits[0].0 < oldest {
            self.commits.pop_front();
        }
        self.commits.front().map_or(Duration::ZERO, |(_, at)| at.elapsed())
    }

    /// Hands the waiting late batches to a new application, if none runs.
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
            application: Application::new(waiting.batches),
            first_row: waiting.first_row,
        });
    }

    /// One transaction: of the application under way, or else of heads
    /// due to be written out. The log is trimmed once either is done.
    fn step(&mut self) -> Result<(), StoreError> {
        let started = Instant::now();
        if let Some(applying) = self.applying.as_mut() {
            let stepped = applying
                .application
                .step(&mut *self.pool.get()?, &mut self.known, STEP_POINTS);
            crate::store::tallies::warn_if_slow("applying late points", started);
            stepped?;
            if applying.application.is_done() {
                let applied = applying.batches;
                self.applying = None;
                {
                    let mut pending = lock(&self.pending);
                    pending.applying.clear();
                    pending.batches -= applied;
                }
                self.trim_log()?;
            }
            return Ok(());
        }
        if self.due.is_empty() {
            return Ok(());
        }
        let mut series = Vec::new();
        let mut points = 0;
        while points < STEP_POINTS {
            let Some((id, whole)) = self.due.pop() else { break };
            let Some(through) = self.head.due_through(id, whole) else {
                continue;
            };
            points += self.head.points_of(id).map_or(0, |p| p.len());
            series.push((id, Some(through)));
        }
        let written = write_out(&mut *self.pool.get()?, &mut self.known, &self.head, &series);
        crate::store::tallies::warn_if_slow("writing heads out", started);
        if let Err(e) = written {
            for (id, _) in series {
                self.due.push(id, true);
            }
            return Err(e);
        }
        if self.due.is_empty() {
            self.trim_log()?;
        }
        Ok(())
    }

    /// Deletes the log rows whose points are all in chunks: those older
    /// than every head and every late batch not yet applied.
    fn trim_log(&mut self) -> Result<(), StoreError> {
        let Some(last) = self.last_row else {
            return Ok(());
        };
        let needed = [
            self.head.oldest_row(),
            self.waiting.first_row,
            self.applying.as_ref().and_then(|a| a.first_row),
        ];
        let below = needed.into_iter().flatten().min().unwrap_or(last + 1);
        if self.trimmed_below.is_some_and(|done| done >= below) {
            return Ok(());
        }
        let mut conn = self.pool.get()?;
        let tx = conn.transaction()?;
        log::trim(&tx, below - 1)?;
        tx.commit()?;
        self.trimmed_below = Some(below);
        Ok(())
    }

    /// Applies every late point (the application under way, then the
    /// batches waiting behind it) and, with `heads`, writes every head
    /// out. The error is for flushing readers.
    fn apply_all(&mut self, heads: bool) -> Result<(), String> {
        self.finish_steps(false)?;
        self.start_applying();
        if !heads {
            return self.finish_steps(false);
        }
        for series in self.head.by_age() {
            self.due.push(series, true);
        }
        self.finish_steps(true)?;
        self.trim_log().map_err(|e| e.to_string())
    }

    /// Runs steps until the application under way is done and, with
    /// `heads`, until no head is due.
    fn finish_steps(&mut self, heads: bool) -> Result<(), String> {
        while self.applying.is_some() || (heads && !self.due.is_empty()) {
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
