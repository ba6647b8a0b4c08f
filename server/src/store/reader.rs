//! The read side of the store's API: a reader connection lent to a
//! closure as a [`Reader`], whose methods speak of series, points and
//! rollup buckets. Nothing outside the store sees a connection, a table or
//! a line of SQL; a caller that answers many queries at once (the query
//! engine's cache misses) still runs them all on one connection.
//!
//! Every answer joins what the chunks and rollups hold with the series'
//! head points (acknowledged, not yet written out), which are all newer
//! than the stored ones: appended to points, folded into the last
//! buckets, counted in the series row.

use super::head::{self, HeadView};
use super::{chunks, rollups, series, SeriesRow, StoreError};
use app::domain::{bucket_start, RollupTier, Summary, HOUR_MS, MINUTE_MS};
use rusqlite::{Connection, OptionalExtension};
use rustc_hash::FxHashMap;
use std::cell::RefCell;

pub use chunks::{Page, PageCursor};
pub use rollups::TierReach;

/// A reader connection, in one snapshot, for the length of one call of
/// [`super::Store::read`] or [`super::Store::read_series`].
pub struct Reader<'c> {
    conn: &'c Connection,
    head: HeadView,
    /// Each series' newest stored time in this snapshot, once asked.
    stored_last: RefCell<FxHashMap<i64, Option<i64>>>,
}

impl<'c> Reader<'c> {
    pub(super) fn new(conn: &'c Connection, head: HeadView) -> Self {
        Reader {
            conn,
            head,
            stored_last: RefCell::default(),
        }
    }

    /// The series stored under `key` (its canonical key), if any.
    pub fn series(&self, key: &str) -> Result<Option<SeriesRow>, StoreError> {
        let Some(mut row) = series::by_key(self.conn, key)? else {
            return Ok(None);
        };
        let stored_last = row.info.last;
        self.stored_last.borrow_mut().insert(row.id, stored_last);
        series::with_head(&mut row.info, self.head.fresh(row.id, stored_last));
        Ok(Some(row))
    }

    /// Points of `series` with `from <= t <= to`, in time order.
    pub fn points(&self, series: i64, from: i64, to: i64) -> Result<Vec<(i64, f64)>, StoreError> {
        let mut points = chunks::scan::points(self.conn, series, from, to)?;
        points.extend_from_slice(head::within(self.fresh(series)?, from, to));
        Ok(points)
    }

    /// One page of the points of `series` in `[from, to]`: those of at most
    /// `max_chunks` chunks after `after` (from the start for `None`), and
    /// the cursor of the next page, `None` after the last (which also holds
    /// the head's points). Each page is its own read, so a long export
    /// holds no connection between pages.
    pub fn page(
        &self,
        series: i64,
        window: (i64, i64),
        after: Option<PageCursor>,
        max_chunks: usize,
    ) -> Result<Page, StoreError> {
        let (mut points, next) = chunks::page(self.conn, series, window, after, max_chunks)?;
        if next.is_none() {
            points.extend_from_slice(head::within(self.fresh(series)?, window.0, window.1));
        }
        Ok((points, next))
    }

    /// About how many points of `series` lie in `[from, to]`: each stored
    /// chunk counts in proportion to its overlap with the window.
    pub fn raw_estimate(&self, series: i64, from: i64, to: i64) -> Result<u64, StoreError> {
        let fresh = head::within(self.fresh(series)?, from, to).len() as u64;
        Ok(chunks::raw_estimate(self.conn, series, from, to)? + fresh)
    }

    /// The `tier` buckets of `series` that start in `[from, to]`, in time
    /// order. A bucket's `start`/`end` are its edges, not point times.
    pub fn buckets(&self, tier: RollupTier, series: i64, from: i64, to: i64) -> Result<Vec<Summary>, StoreError> {
        let mut rows = match tier {
            RollupTier::Minute => rollups::read_minutes(self.conn, series, from, to)?,
            RollupTier::Hour => rollups::read(self.conn, tier, series, from, to)?,
        };
        head::extend_buckets(&mut rows, self.fresh(series)?, tier.width_ms(), from, to);
        Ok(rows)
    }

    /// Time of the oldest raw point of `series` still kept.
    pub fn oldest_point(&self, series: i64) -> Result<Option<i64>, StoreError> {
        let stored = chunks::scan::oldest(self.conn, series)?;
        Ok(stored.or(self.fresh(series)?.first().map(|p| p.0)))
    }

    /// How far back each kind of data of `series` goes, after retention.
    pub fn reach(&self, series: i64) -> Result<TierReach, StoreError> {
        let mut reach = rollups::reach(self.conn, series)?;
        if let Some(&(first, _)) = self.fresh(series)?.first() {
            reach.raw.get_or_insert(first);
            reach.minute.get_or_insert(bucket_start(first, MINUTE_MS));
            reach.hour.get_or_insert(bucket_start(first, HOUR_MS));
        }
        Ok(reach)
    }

    /// The head points of `series` that its stored points in this snapshot
    /// do not hold.
    fn fresh(&self, series: i64) -> Result<&[(i64, f64)], StoreError> {
        if !self.head.holds(series) {
            return Ok(&[]);
        }
        let known = self.stored_last.borrow().get(&series).copied();
        let stored_last = match known {
            Some(last) => last,
            None => {
                let last: Option<i64> = self
                    .conn
                    .prepare_cached("SELECT last_t FROM series WHERE id = ?1")?
                    .query_row([series], |r| r.get(0))
                    .optional()?
                    .flatten();
                self.stored_last.borrow_mut().insert(series, last);
                last
            }
        };
        Ok(self.head.fresh(series, stored_last))
    }
}
