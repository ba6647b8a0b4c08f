//! The planner: which data answers a query. `resolution=auto` picks the
//! finest data whose rows in the window stay within [`ROWS_PER_POINT`]
//! times the points asked for, so a query's cost follows the size of its
//! answer, not the size of the data.

use super::window::Window;
use crate::store::read::raw_estimate;
use crate::store::rollup::{bucket_start, HOUR_MS, MINUTE_MS};
use crate::store::{RollupTier, SeriesRow, StoreError};
use app::model::{Agg, Resolution};
use rusqlite::Connection;

/// Rows read per point returned, at most, when the planner chooses.
pub const ROWS_PER_POINT: u64 = 20;

/// Data a query reads: stored points or one rollup tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Raw,
    Rollup(RollupTier),
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Raw => Resolution::Raw.as_str(),
            Source::Rollup(RollupTier::Minute) => Resolution::Minute.as_str(),
            Source::Rollup(RollupTier::Hour) => Resolution::Hour.as_str(),
        }
    }
}

/// Chooses the source of `q` for `series`.
pub fn choose(conn: &Connection, series: &SeriesRow, q: &Window) -> Result<Source, StoreError> {
    let (id, from, to) = (series.id, q.from, q.to);
    Ok(match q.resolution {
        Resolution::Raw => Source::Raw,
        Resolution::Minute => Source::Rollup(RollupTier::Minute),
        Resolution::Hour => Source::Rollup(RollupTier::Hour),
        Resolution::Auto if q.agg == Agg::Raw => Source::Raw,
        Resolution::Auto => {
            let budget = (q.points as u64).saturating_mul(ROWS_PER_POINT);
            let minutes = (to.saturating_sub(from) / MINUTE_MS) as u64 + 1;
            let reach = Reach::of(conn, id)?;
            if reach.covers(Source::Raw, from) && raw_fits(conn, series, from, to, budget)? {
                Source::Raw
            } else if reach.covers(Source::Rollup(RollupTier::Minute), from) && minutes <= budget {
                Source::Rollup(RollupTier::Minute)
            } else {
                Source::Rollup(RollupTier::Hour)
            }
        }
    })
}

/// Whether the window holds at most `budget` raw points. The series'
/// average density answers at once when it is far from the budget; near
/// it, the chunks overlapping the window are counted.
fn raw_fits(conn: &Connection, series: &SeriesRow, from: i64, to: i64, budget: u64) -> Result<bool, StoreError> {
    let info = &series.info;
    if let (Some(first), Some(last)) = (info.first, info.last) {
        let overlap = (to.min(last) - from.max(first) + 1).max(0) as f64;
        let guess = info.count as f64 * overlap / ((last - first + 1).max(1) as f64);
        if guess > 4.0 * budget as f64 {
            return Ok(false);
        }
        if guess < budget as f64 / 4.0 {
            return Ok(true);
        }
    }
    Ok(raw_estimate(conn, series.id, from, to)? <= budget)
}

/// How far back each kind of data of a series goes. Retention drops raw
/// points first and 1-minute buckets next: a window older than a kind's
/// reach is answered by a coarser one rather than shown empty.
struct Reach {
    raw: Option<i64>,
    minute: Option<i64>,
    hour: Option<i64>,
}

/// Time of the oldest raw point still kept of series `id`.
pub fn raw_since(conn: &Connection, id: i64) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT min(first_t) FROM chunks WHERE series_id = ?1")?
        .query_row([id], |r| r.get(0))?)
}

impl Reach {
    fn of(conn: &Connection, id: i64) -> Result<Reach, StoreError> {
        let first = |sql: &str| -> Result<Option<i64>, StoreError> {
            Ok(conn.prepare_cached(sql)?.query_row([id], |r| r.get(0))?)
        };
        Ok(Reach {
            raw: raw_since(conn, id)?,
            minute: first("SELECT min(bucket_t) FROM rollup_1m WHERE series_id = ?1")?,
            hour: first("SELECT min(bucket_t) FROM rollup_1h WHERE series_id = ?1")?,
        })
    }

    /// Whether `source` reaches back to `from`, or as far as any data does
    /// (compared by the hour, the coarsest bucket).
    fn covers(&self, source: Source, from: i64) -> bool {
        let hour = |t: i64| bucket_start(t, HOUR_MS);
        let Some(oldest) = [self.raw, self.minute, self.hour].into_iter().flatten().min() else {
            return true;
        };
        let start = match source {
            Source::Raw => self.raw,
            Source::Rollup(RollupTier::Minute) => self.minute,
            Source::Rollup(RollupTier::Hour) => self.hour,
        };
        start.is_some_and(|s| hour(s) <= hour(from.max(oldest)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_older_than_the_raw_points_goes_to_the_rollups() {
        let day = 86_400_000;
        let reach = Reach {
            raw: Some(2 * day + 5),
            minute: Some(day),
            hour: Some(0),
        };
        assert!(reach.covers(Source::Raw, 2 * day + 60_000));
        assert!(!reach.covers(Source::Raw, day));
        assert!(reach.covers(Source::Rollup(RollupTier::Minute), day));
        assert!(!reach.covers(Source::Rollup(RollupTier::Minute), 0));
        assert!(reach.covers(Source::Rollup(RollupTier::Hour), 0));
        let young = Reach {
            raw: Some(day + 5),
            minute: Some(day),
            hour: Some(day),
        };
        assert!(young.covers(Source::Raw, 0), "nothing older exists anywhere");
        let empty = Reach {
            raw: None,
            minute: None,
            hour: None,
        };
        assert!(empty.covers(Source::Raw, 0));
    }
}
