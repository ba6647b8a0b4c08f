//! What the store counts about itself for `/metrics` and the System page:
//! points and batches acknowledged, the last retention pass, and how long
//! requests waited for a pool connection. Plain atomics, so counting costs
//! nothing measurable on the write and read paths.

use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Writer work longer than this is logged: writes and fresh reads wait
/// for it.
const SLOW_WRITE: Duration = Duration::from_millis(250);

/// Logs `what` if it held the writer connection since `started` for long.
pub fn warn_if_slow(what: &str, started: Instant) {
    let took = started.elapsed();
    if took > SLOW_WRITE {
        tracing::warn!(took_ms = took.as_millis() as u64, "{what} held the writer for long");
    }
}

/// The counters, shared by every clone of the store.
#[derive(Debug, Default)]
pub struct Tallies {
    ingested_points: AtomicU64,
    ingested_batches: AtomicU64,
    /// When the last retention pass finished (the `now` it enforced),
    /// epoch ms; 0 before the first.
    retention_done_ms: AtomicI64,
    /// Counted by the pools' event handlers (see [`counting`]).
    pub writer_waits: Arc<CheckoutWaits>,
    pub reader_waits: Arc<CheckoutWaits>,
}

impl Tallies {
    pub fn acknowledged(&self, points: usize) {
        self.ingested_points.fetch_add(points as u64, Relaxed);
        self.ingested_batches.fetch_add(1, Relaxed);
    }

    /// Points and batches acknowledged since the store opened.
    pub fn ingested(&self) -> (u64, u64) {
        (self.ingested_points.load(Relaxed), self.ingested_batches.load(Relaxed))
    }

    pub fn retention_done(&self, now_ms: i64) {
        self.retention_done_ms.store(now_ms, Relaxed);
    }

    pub fn retention_done_ms(&self) -> i64 {
        self.retention_done_ms.load(Relaxed)
    }
}

/// Checkouts of one pool and their total wait.
#[derive(Debug, Default)]
pub struct CheckoutWaits {
    checkouts: AtomicU64,
    waited_us: AtomicU64,
}

/// One pool's state for `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolFigures {
    pub open: u32,
    pub idle: u32,
    pub checkouts: u64,
    /// Total time checkouts waited for a connection, microseconds.
    pub waited_us: u64,
}

impl PoolFigures {
    pub fn of(pool: &Pool<SqliteConnectionManager>, waits: &CheckoutWaits) -> Self {
        let state = pool.state();
        PoolFigures {
            open: state.connections,
            idle: state.idle_connections,
            checkouts: waits.checkouts.load(Relaxed),
            waited_us: waits.waited_us.load(Relaxed),
        }
    }
}

impl CheckoutWaits {
    /// Adds a wait spent before the pool was asked (see `Store::read_now`).
    pub fn waited(&self, wait: std::time::Duration) {
        self.waited_us.fetch_add(wait.as_micros() as u64, Relaxed);
    }
}

/// An event handler for a pool that adds every checkout's wait to `waits`.
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
