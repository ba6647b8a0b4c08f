//! The read side of the store's API: a reader connection lent to a
//! closure as a [`Reader`], whose methods speak of series, points and
//! rollup buckets. Nothing outside the store sees a connection, a table or
//! a line of SQL; a caller that answers many queries at once (the query
//! engine's cache misses) still runs them all on one connection.

use super::{chunks, rollups, series, SeriesRow, StoreError};
use app::domain::{RollupTier, Summary};
use rusqlite::Connection;

pub use chunks::{Page, PageCursor};
pub use rollups::TierReach;

/// A reader connection for the length of one call of
/// [`super::Store::read`] or [`super::Store::read_series`].
pub struct Reader<'c> {
    conn: &'c Connection,
}

impl<'c> Reader<'c> {
    pub(super) fn new(conn: &'c Connection) -> Self {
        Reader { conn }
    }

    /// The series stored under `key` (its canonical key), if any.
    pub fn series(&self, key: &str) -> Result<Option<SeriesRow>, StoreError> {
        series::by_key(self.conn, key)
    }

    /// Points of `series` with `from <= t <= to`, in time order.
    pub fn points(&self, series: i64, from: i64, to: i64) -> Result<Vec<(i64, f64)>, StoreError> {
        chunks::scan::points(self.conn, series, from, to)
    }

    /// One page of the points of `series` in `[from, to]`: those of at most
    /// `max_chunks` chunks after `after` (from the start for `None`), and
    /// the cursor of the next page, `None` after the last. Each page is its
    /// own read, so a long export holds no connection between pages.
    pub fn page(
        &self,
        series: i64,
        window: (i64, i64),
        after: Option<PageCursor>,
        max_chunks: usize,
    ) -> Result<Page, StoreError> {
        chunks::page(self.conn, series, window, after, max_chunks)
    }

    /// About how many points of `series` lie in `[from, to]`: each stored
    /// chunk counts in proportion to its overlap with the window.
    pub fn raw_estimate(&self, series: i64, from: i64, to: i64) -> Result<u64, StoreError> {
        chunks::raw_estimate(self.conn, series, from, to)
    }

    /// The `tier` buckets of `series` that start in `[from, to]`, in time
    /// order. A bucket's `start`/`end` are its edges, not point times.
    pub fn buckets(&self, tier: RollupTier, series: i64, from: i64, to: i64) -> Result<Vec<Summary>, StoreError> {
        rollups::read(self.conn, tier, series, from, to)
    }

    /// Time of the oldest raw point of `series` still kept.
    pub fn oldest_point(&self, series: i64) -> Result<Option<i64>, StoreError> {
        chunks::scan::oldest(self.conn, series)
    }

    /// How far back each kind of data of `series` goes, after retention.
    pub fn reach(&self, series: i64) -> Result<TierReach, StoreError> {
        rollups::reach(self.conn, series)
    }
}
