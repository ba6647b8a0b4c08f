//! The planner: which data answers a query. `resolution=auto` picks the
//! finest data whose rows in the window stay within [`ROWS_PER_POINT`]
//! times the points asked for, so a query's cost follows the size of its
//! answer, not the size of the data.

use crate::store::read::raw_estimate;
use crate::store::rollup::MINUTE_MS;
use crate::store::{RollupTier, StoreError};
use app::model::{Agg, QueryRequest, Resolution};
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

/// Chooses the source of `q` for series `id` over `[from, to]`.
pub fn choose(conn: &Connection, id: i64, from: i64, to: i64, q: &QueryRequest) -> Result<Source, StoreError> {
    Ok(match q.resolution {
        Resolution::Raw => Source::Raw,
        Resolution::Minute => Source::Rollup(RollupTier::Minute),
        Resolution::Hour => Source::Rollup(RollupTier::Hour),
        Resolution::Auto if q.agg == Agg::Raw => Source::Raw,
        Resolution::Auto => {
            let budget = (q.points as u64).saturating_mul(ROWS_PER_POINT);
            let minutes = (to.saturating_sub(from) / MINUTE_MS) as u64 + 1;
            if raw_estimate(conn, id, from, to)? <= budget {
                Source::Raw
            } else if minutes <= budget {
                Source::Rollup(RollupTier::Minute)
            } else {
                Source::Rollup(RollupTier::Hour)
            }
        }
    })
}
