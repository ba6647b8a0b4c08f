//! The planner: which data answers a query. `resolution=auto` picks the
//! finest data whose rows in the window stay within [`ROWS_PER_POINT`]
//! times the points asked for, so a query's cost follows the size of its
//! answer, not the size of the data.

use super::resolved::ResolvedQuery;
use crate::store::{Reader, SeriesRow, StoreError, TierReach};
use app::domain::{bucket_start, RollupTier, HOUR_MS, MINUTE_MS};
use app::model::{Agg, Resolution};

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
pub fn choose(reader: &Reader, series: &SeriesRow, q: &ResolvedQuery) -> Result<Source, StoreError> {
    let (id, from, to) = (series.id, q.from, q.to);
    Ok(match q.resolution {
        Resolution::Raw => Source::Raw,
        Resolution::Minute => Source::Rollup(RollupTier::Minute),
        Resolution::Hour => Source::Rollup(RollupTier::Hour),
        Resolution::Auto if q.agg == Agg::Raw => Source::Raw,
        Resolution::Auto => {
            let budget = (q.points as u64).saturating_mul(ROWS_PER_POINT);
            let minutes = (to.saturating_sub(from) / MINUTE_MS) as u64 + 1;
            let reach = reader.reach(id)?;
            if covers(&reach, Source::Raw, from) && raw_fits(reader, series, from, to, budget)? {
                Source::Raw
            } else if covers(&reach, Source::Rollup(RollupTier::Minute), from) && minutes <= budget {
                Source::Rollup(RollupTier::Minute)
            } else {
                Source::Rollup(RollupTier::Hour)
            }
        }
    })
}

/// Whether raw points for `q` are chosen only for a window the planner
/// judged to hold few (about [`ROWS_PER_POINT`] per point asked for, from
/// the series' density or the store's estimate): reading them then needs
/// no second estimate, and is charged to the budget once read.
pub fn raw_is_bounded(q: &ResolvedQuery) -> bool {
    q.resolution == Resolution::Auto && q.agg != Agg::Raw
}

/// Whether the window holds at most `budget` raw points. The series'
/// average density answers at once when it is far from the budget; near
/// it, the chunks overlapping the window are counted.
fn raw_fits(reader: &Reader, series: &SeriesRow, from: i64, to: i64, budget: u64) -> Result<bool, StoreError> {
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
    Ok(reader.raw_estimate(series.id, from, to)? <= budget)
}

/// Whether `source` reaches back to `from`, or as far as any data does
/// (compared by the hour, the coarsest bucket): retention drops raw points
/// first and minute buckets next, so a window older than a kind's reach is
/// answered by a coarser one rather than shown empty.
fn covers(reach: &TierReach, source: Source, from: i64) -> bool {
    let hour = |t: i64| bucket_start(t, HOUR_MS);
    let Some(oldest) = [reach.raw, reach.minute, reach.hour].into_iter().flatten().min() else {
        return true;
    };
    let start = match source {
        Source::Raw => reach.raw,
        Source::Rollup(RollupTier::Minute) => reach.minute,
        Source::Rollup(RollupTier::Hour) => reach.hour,
    };
    start.is_some_and(|s| hour(s) <= hour(from.max(oldest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_older_than_the_raw_points_goes_to_the_rollups() {
        let day = 86_400_000;
        let reach = TierReach {
            raw: Some(2 * day + 5),
            minute: Some(day),
            hour: Some(0),
        };
        assert!(covers(&reach, Source::Raw, 2 * day + 60_000));
        assert!(!covers(&reach, Source::Raw, day));
        assert!(covers(&reach, Source::Rollup(RollupTier::Minute), day));
        assert!(!covers(&reach, Source::Rollup(RollupTier::Minute), 0));
        assert!(covers(&reach, Source::Rollup(RollupTier::Hour), 0));
        let young = TierReach {
            raw: Some(day + 5),
            minute: Some(day),
            hour: Some(day),
        };
        assert!(covers(&young, Source::Raw, 0), "nothing older exists anywhere");
        assert!(covers(&TierReach::default(), Source::Raw, 0));
    }
}
