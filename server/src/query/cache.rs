//! The query result cache: answers keyed by their normalised query (series
//! or selection, resolved window, points, agg, resolution), bounded in
//! bytes, least recently used out first.
//!
//! Invalidation is precise: a write to a series drops exactly the entries
//! read from that series (its own, and those of the selectors that matched
//! it) whose window holds one of the written times, at the
//! moment the write is acknowledged (before its client hears back). An
//! answer computed while such a write was acknowledged is not stored: each
//! lookup takes an [`Epoch`], and an insert is refused when its series was
//! written after that epoch.
//!
//! Series are known here by their [`SeriesHash`], so that a batch naming
//! thousands of series is taken in under one lock without copying a key,
//! and the newest write's epoch is kept in a fixed table of slots by hash
//! (no memory per series). Keys sharing a hash or a slot only make the
//! cache drop or refuse more than it must.

use super::{Answer, ResolvedQuery};
use crate::store::{SeriesHash, WriteObserver, WrittenSpan};
use lru::LruCache;
use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Slots of the table of newest writes' epochs, a power of two: series
/// sharing a slot refuse each other's answers read during a write of
/// either, so enough that a fleet's writes rarely do.
const WRITTEN_SLOTS: usize = 1 << 16;

/// Bytes an entry costs besides its points: key, result fields, bookkeeping.
const ENTRY_OVERHEAD: usize = 256;

/// A moment in the cache's history of writes, taken before an answer is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Epoch(u64);

/// Counters since start, and the cache's size now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub inserts: u64,
    /// Entries dropped to stay within the byte budget.
    pub evictions: u64,
    /// Entries dropped because their series got a write in their window.
    pub invalidations: u64,
    pub entries: u64,
    pub bytes: u64,
    pub capacity_bytes: u64,
}

/// A shared, thread-safe cache; clones share the same entries. A budget of
/// 0 bytes disables it (every lookup misses, nothing is stored).
#[derive(Clone)]
pub struct QueryCache {
    inner: Arc<Mutex<Inner>>,
    counters: Arc<Counters>,
    budget: usize,
}

#[derive(Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    inserts: AtomicU64,
    evictions: AtomicU64,
    invalidations: AtomicU64,
}

struct Inner {
    /// Each answer with the series it was read from.
    entries: LruCache<ResolvedQuery, (Arc<Answer>, Vec<SeriesHash>)>,
    /// Cached windows per series, to find what a write invalidates.
    by_series: FxHashMap<SeriesHash, Vec<ResolvedQuery>>,
    /// Epoch of the newest write of the series in each slot.
    written: Box<[Epoch]>,
    /// Answers read before this epoch are never stored (retention ran).
    written_floor: Epoch,
    now: Epoch,
    bytes: usize,
}

impl QueryCache {
    pub fn new(budget_bytes: usize) -> Self {
        QueryCache {
            inner: Arc::new(Mutex::new(Inner {
                entries: LruCache::unbounded(),
                by_series: FxHashMap::default(),
                written: vec![Epoch(0); WRITTEN_SLOTS].into_boxed_slice(),
                written_floor: Epoch(0),
                now: Epoch(0),
                bytes: 0,
            })),
            counters: Arc::default(),
            budget: budget_bytes,
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.budget > 0
    }

    /// The epoch to pass to [`QueryCache::insert`] for an answer read from now on.
    pub fn epoch(&self) -> Epoch {
        self.lock().now
    }

    /// The cached answer to `window`, counting a hit or a miss.
    pub fn get(&self, window: &ResolvedQuery) -> Option<Arc<Answer>> {
        let found = if self.is_enabled() {
            self.lock().entries.get(window).map(|(answer, _)| answer.clone())
        } else {
            None
        };
        let counter = if found.is_some() {
            &self.counters.hits
        } else {
            &self.counters.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores `answer`, read from the series `members` (the window's own
    /// series, or those its selector matched), unless one of them was
    /// written after `read_at` (the answer may miss that write) or it is
    /// larger than the budget.
    pub fn insert(&self, window: ResolvedQuery, answer: Arc<Answer>, read_at: Epoch, members: Vec<SeriesHash>) {
        let size = entry_size(&window, &answer, &members);
        if size > self.budget {
            return;
        }
        let mut inner = self.lock();
        let stale = read_at < inner.written_floor || members.iter().any(|&m| inner.written[slot(m)] > read_at);
        if stale {
            return;
        }
        inner.remove(&window);
        inner.bytes += size;
        for m in &members {
            inner.by_series.entry(*m).or_default().push(window.clone());
        }
        inner.entries.put(window, (answer, members));
        self.counters.inserts.fetch_add(1, Ordering::Relaxed);
        while inner.bytes > self.budget {
            let Some((old, _)) = inner.entries.peek_lru().map(|(w, a)| (w.clone(), a.clone())) else {
                break;
            };
            inner.remove(&old);
            self.counters.evictions.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Records a write of `series` at times `first..=last`: drops the
    /// entries whose window holds any of them.
    #[cfg(test)]
    pub fn written(&self, series: &str, first: i64, last: i64) {
        self.written_spans(&[WrittenSpan {
            series: SeriesHash::of(series),
            first,
            last,
        }]);
    }

    /// Records one write's spans under one lock: drops the entries of each
    /// span's series whose window holds any of its times.
    pub fn written_spans(&self, spans: &[WrittenSpan]) {
        let mut inner = self.lock();
        inner.now = Epoch(inner.now.0 + 1);
        let now = inner.now;
        let mut dropped = 0;
        for span in spans {
            inner.written[slot(span.series)] = now;
            if inner.by_series.is_empty() {
                continue;
            }
            let Some(windows) = inner.by_series.get(&span.series) else {
                continue;
            };
            let hit: Vec<ResolvedQuery> = windows
                .iter()
                .filter(|w| w.from <= span.last && span.first <= w.to)
                .cloned()
                .collect();
            for window in &hit {
                inner.remove(window);
            }
            dropped += hit.len() as u64;
        }
        self.counters.invalidations.fetch_add(dropped, Ordering::Relaxed);
    }

    /// Forgets every entry (after retention removed data of any window).
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.now = Epoch(inner.now.0 + 1);
        inner.written_floor = inner.now;
        let dropped = inner.entries.len() as u64;
        inner.entries.clear();
        inner.by_series.clear();
        inner.bytes = 0;
        self.counters.invalidations.fetch_add(dropped, Ordering::Relaxed);
    }

    pub fn stats(&self) -> CacheStats {
        let (entries, bytes) = {
            let inner = self.lock();
            (inner.entries.len() as u64, inner.bytes as u64)
        };
        let c = &self.counters;
        CacheStats {
            hits: c.hits.load(Ordering::Relaxed),
            misses: c.misses.load(Ordering::Relaxed),
            inserts: c.inserts.load(Ordering::Relaxed),
            evictions: c.evictions.load(Ordering::Relaxed),
            invalidations: c.invalidations.load(Ordering::Relaxed),
            entries,
            bytes,
            capacity_bytes: self.budget as u64,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves consistent maps behind
        // (each step is a whole insert or remove), so keep serving.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl WriteObserver for QueryCache {
    fn written(&self, spans: &[WrittenSpan]) {
        self.written_spans(spans);
    }

    fn expired(&self) {
        self.clear();
    }
}

impl Inner {
    fn remove(&mut self, window: &ResolvedQuery) {
        let Some((answer, members)) = self.entries.pop(window) else {
            return;
        };
        self.bytes -= entry_size(window, &answer, &members);
        for m in &members {
            if let Some(windows) = self.by_series.get_mut(m) {
                windows.retain(|w| w != window);
                if windows.is_empty() {
                    self.by_series.remove(m);
                }
            }
        }
    }
}

/// The slot of `series` in the table of newest writes (Fibonacci hashing:
/// the hash's high bits after a multiply, well spread whatever its low bits).
fn slot(series: SeriesHash) -> usize {
    (series.0.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - WRITTEN_SLOTS.trailing_zeros())) as usize
}

fn entry_size(window: &ResolvedQuery, answer: &Answer, members: &[SeriesHash]) -> usize {
    let keys = members.len() * (std::mem::size_of::<SeriesHash>() + ENTRY_OVERHEAD / 4);
    ENTRY_OVERHEAD
        + window.series.len()
        + keys
        + super::points_in(&answer.result) as usize * std::mem::size_of::<(i64, f64)>()
}

#[cfg(test)]
#[path = "cache_tests.rs"]
mod tests;
