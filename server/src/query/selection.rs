//! Queries over many series: a selector picks them from the catalogue,
//! and the answer holds one line per series (the best `lines` of them by
//! a window statistic) or, with `aggregate`, one line per group of label
//! values, combined bucket by bucket (`aggregate.rs`).
//!
//! The matched series are part of the question: [`Selection::members`]
//! is a hash of their keys, set once they are known, so a new series that
//! the selector matches makes a new cache key, and the cache drops an
//! answer when any of its series is written in its window.

mod aggregate;
mod lines;

pub use lines::compute_selection;

use super::QueryError;
use app::domain::Selector;
use app::model::{AggregateOp, QueryRequest, RankStat, DEFAULT_LINES, MAX_LINES};
use std::hash::{Hash, Hasher};

/// What a query by selector asks, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selection {
    pub selector: Selector,
    pub aggregate: Option<AggregateOp>,
    pub by: Vec<String>,
    pub lines: usize,
    pub rank: RankStat,
    pub bottom: bool,
    /// A hash of the matched series' keys (0 until they are selected).
    pub members: u64,
}

impl Selection {
    /// The selection `q` asks for, or `None` for a query of one series;
    /// selection fields without a selector, or a selector with a series,
    /// are refused.
    pub fn of(q: &QueryRequest) -> Result<Option<Selection>, QueryError> {
        let Some(text) = &q.select else {
            if q.aggregate.is_some() || !q.by.is_empty() || q.lines.is_some() || q.rank.is_some() || q.bottom {
                return Err(QueryError::invalid(
                    "invalid_query",
                    "aggregate, by, lines, rank and bottom apply to a query by `select` only",
                ));
            }
            return Ok(None);
        };
        if !q.series.is_empty() {
            return Err(QueryError::invalid(
                "invalid_query",
                "a query names either `series` or `select`, not both",
            ));
        }
        let selector =
            Selector::parse(text).map_err(|e| QueryError::invalid("invalid_selector", format!("select: {e}")))?;
        if !q.by.is_empty() && q.aggregate.is_none() {
            return Err(QueryError::invalid(
                "invalid_query",
                "`by` groups an aggregation: give `aggregate` too",
            ));
        }
        if let Some(bad) =
            q.by.iter()
                .find(|l| l.is_empty() || l.chars().any(|c| "{}\",= ".contains(c)))
        {
            return Err(QueryError::invalid(
                "invalid_query",
                format!("by: `{}` is not a label name", bad.escape_debug()),
            ));
        }
        let lines = q.lines.unwrap_or(DEFAULT_LINES);
        if !(1..=MAX_LINES).contains(&lines) {
            return Err(QueryError::invalid(
                "invalid_lines",
                format!("lines must be from 1 to {MAX_LINES}, got {lines}"),
            ));
        }
        let mut by = q.by.clone();
        by.sort();
        by.dedup();
        Ok(Some(Selection {
            selector,
            aggregate: q.aggregate,
            by,
            lines,
            rank: q.rank.unwrap_or_default(),
            bottom: q.bottom,
            members: 0,
        }))
    }

    /// This selection once its series are known, keys in key order.
    pub fn with_members(&self, keys: &[String]) -> Selection {
        let mut h = std::hash::DefaultHasher::new();
        keys.hash(&mut h);
        Selection {
            members: h.finish() | 1,
            ..self.clone()
        }
    }
}
