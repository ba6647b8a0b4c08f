//! The head: points acknowledged (in the ingest log) but not yet written
//! to chunks and rollups, kept in memory per series so that a series
//! written a point at a time pays for its chunk, rollup rows and series
//! row once per many points rather than once per batch.
//!
//! The head of a series holds only points newer than every stored point of
//! it (its stored last time). A point at or before that time is late: it
//! takes the ingest log's application path, which merges it into the
//! chunks. So a reader combines the two by appending: stored points, then
//! the head's points after the stored last time it sees.
//!
//! Readers never lock out the committer for longer than cloning a few
//! `Arc`s. A reader takes its [`HeadView`] *before* its SQL snapshot: a
//! flush commits the head's points to chunks and only then trims them from
//! the head, so a reader either sees them in the head (snapshot before
//! the commit, or after it with the points in both, told apart by the
//! stored last time) or in the chunks (view after the trim, and so
//! snapshot after the commit). Only the committer thread changes the head.

mod table;
mod view;

pub use view::{extend_buckets, within, HeadView};

use crate::store::chunks::CHUNK_MS;
use app::domain::bucket_start;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use table::Table;

/// Points of one series, time-ordered, one per time. Shared with readers
/// by `Arc`: the committer copies it only if a reader holds it meanwhile.
pub type HeadPoints = Arc<Vec<(i64, f64)>>;

/// Every series' head. A cheap `Clone` handle.
#[derive(Debug, Clone, Default)]
pub struct Head {
    series: Arc<RwLock<Table>>,
    points: Arc<AtomicUsize>,
}

/// Points for one series' head: sorted, one per time, all newer than the
/// series' stored last time, from log row `row`.
pub struct Fresh<'a> {
    pub series: i64,
    pub points: &'a [(i64, f64)],
    pub row: i64,
}

/// Points in one head past which it is written out: a full chunk's worth.
pub const SERIES_POINTS: usize = 4_096;
/// The newest points a full head keeps when written out, so that batches
/// arriving a little out of order (several connections of one producer)
/// still land in memory rather than in stored chunks.
pub const HELD_POINTS: usize = 512;

impl Head {
    /// Points held over all series.
    pub fn points(&self) -> usize {
        self.points.load(Ordering::Relaxed)
    }

    /// Series with a head.
    pub fn series_count(&self) -> usize {
        self.read().len()
    }

    /// A view of the heads of `series`, for one reader.
    pub fn view(&self, series: impl IntoIterator<Item = i64>) -> HeadView {
        let heads = self.read();
        HeadView::new(
            series
                .into_iter()
                .filter_map(|id| heads.get(id).map(|h| (id, h.points.clone())))
                .collect(),
        )
    }

    /// Adds points to their series' heads (one lock for all), and returns
    /// the series now ripe for writing out (again, if they were already).
    pub fn add(&self, fresh: &[Fresh]) -> Vec<i64> {
        let mut heads = self.write();
        let mut ripe = Vec::new();
        let mut added = 0;
        for f in fresh.iter().filter(|f| !f.points.is_empty()) {
            let Some(head) = heads.entry(f.series) else {
                continue;
            };
            let before = head.points.len();
            let newest = f.points.last().map_or(i64::MIN, |p| p.0);
            head.brought(f.row, newest, f.points.len());
            let points = Arc::make_mut(&mut head.points);
            merge_into(points, f.points);
            added += points.len() - before;
            if is_ripe(points) {
                ripe.push(f.series);
            }
        }
        self.points.fetch_add(added, Ordering::Relaxed);
        ripe
    }

    /// The points of `series`' head, for writing them out.
    pub fn points_of(&self, series: i64) -> Option<HeadPoints> {
        self.read().get(series).map(|h| h.points.clone())
    }

    /// Drops the points of `series` up to and including `through`, once
    /// they are committed to chunks, and the log rows that brought nothing
    /// newer.
    pub fn trim(&self, series: i64, through: i64) {
        let mut heads = self.write();
        let Some(head) = heads.get_mut(series) else {
            return;
        };
        let cut = head.points.partition_point(|p| p.0 <= through);
        let left = head.points.len() - cut;
        self.points.fetch_sub(cut, Ordering::Relaxed);
        if left == 0 {
            heads.remove(series);
        } else {
            Arc::make_mut(&mut head.points).drain(..cut);
            head.written_through(through);
        }
    }

    /// Up to which time a head is written out: all of it (`whole`), or
    /// else the windows before its newest one, or else all but its newest
    /// [`HELD_POINTS`]. `None` when that is nothing.
    pub fn due_through(&self, series: i64, whole: bool) -> Option<i64> {
        let heads = self.read();
        let points = &heads.get(series)?.points;
        let &(last, _) = points.last()?;
        if whole {
            return Some(last);
        }
        let newest_window = bucket_start(last, CHUNK_MS);
        let before_newest = points.partition_point(|p| p.0 < newest_window);
        let end = if before_newest > 0 {
            before_newest
        } else {
            points.len().saturating_sub(HELD_POINTS)
        };
        end.checked_sub(1).map(|i| points[i].0)
    }

    /// Gives back the memory of a table that held many more heads than it
    /// holds now (after a round wrote them all out).
    pub fn shrink_if_sparse(&self) {
        self.write().shrink_if_sparse();
    }

    /// The ids of every series with a head, the oldest log row first.
    pub fn by_age(&self) -> Vec<i64> {
        self.oldest_holding(usize::MAX)
    }

    /// The oldest heads (by log row, as [`Self::by_age`]) that together
    /// hold at least `points` points, or all of them.
    pub fn oldest_holding(&self, points: usize) -> Vec<i64> {
        let mut all: Vec<(i64, i64, usize)> = self
            .read()
            .iter()
            .map(|h| (h.first_row(), h.series, h.points.len()))
            .collect();
        all.sort_unstable();
        let mut held = 0;
        all.into_iter()
            .take_while(|&(_, _, len)| {
                let more = held < points;
                held += len;
                more
            })
            .map(|(_, id, _)| id)
            .collect()
    }

    /// The time of the oldest point in any head.
    pub fn oldest_point(&self) -> Option<i64> {
        self.read().iter().filter_map(|h| h.points.first().map(|p| p.0)).min()
    }

    /// The oldest log row a head still needs.
    pub fn oldest_row(&self) -> Option<i64> {
        self.read().iter().map(|h| h.first_row()).min()
    }

    fn read(&self) -> RwLockReadGuard<'_, Table> {
        self.series.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Table> {
        self.series.write().unwrap_or_else(|p| p.into_inner())
    }
}

/// Merges sorted, one-per-time `fresh` into sorted `points`; a time in
/// both keeps `fresh`'s value (the later write).
fn merge_into(points: &mut Vec<(i64, f64)>, fresh: &[(i64, f64)]) {
    let Some(&(first, _)) = fresh.first() else {
        return;
    };
    if points.last().is_none_or(|&(last, _)| last < first) {
        points.extend_from_slice(fresh);
        return;
    }
    let start = points.partition_point(|p| p.0 < first);
    let tail = points.split_off(start);
    let (mut a, mut b) = (tail.into_iter().peekable(), fresh.iter().copied().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.0 < y.0 => points.extend(a.next()),
            (Some(x), Some(y)) if x.0 == y.0 => {
                a.next();
                points.extend(b.next());
            }
            (_, Some(_)) => points.extend(b.next()),
            (Some(_), None) => points.extend(a.next()),
            (None, None) => break,
        }
    }
}

/// Whether a head holding `points` should be written out: it holds a
/// chunk's worth, or reaches into a later chunk window than its first.
fn is_ripe(points: &[(i64, f64)]) -> bool {
    let (Some(&(first, _)), Some(&(last, _))) = (points.first(), points.last()) else {
        return false;
    };
    points.len() >= SERIES_POINTS || bucket_start(first, CHUNK_MS) != bucket_start(last, CHUNK_MS)
}

#[cfg(test)]
mod tests;
