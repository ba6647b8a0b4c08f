//! The wire types of a query over many series: a selector in place of a
//! series key, an aggregation across the selected series per time bucket
//! (optionally one line per group of label values), and which lines come
//! back when there are more than a chart can show.

use super::{Labels, QueryOutcome, QueryResult, Stats};
use serde::{Deserialize, Serialize};

/// Lines an answer holds when the query does not say.
pub const DEFAULT_LINES: usize = 20;
/// The most lines one answer may hold.
pub const MAX_LINES: usize = 1_000;

/// How the selected series are combined in each time bucket.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AggregateOp {
    /// The sum of each series' mean in the bucket.
    Sum,
    /// The mean of every point of every series in the bucket (weighted by
    /// count: not a mean of means).
    Avg,
    /// The lowest point of any series in the bucket.
    Min,
    /// The highest point of any series in the bucket.
    Max,
    /// How many series have a point in the bucket.
    Count,
}

impl AggregateOp {
    pub fn as_str(self) -> &'static str {
        match self {
            AggregateOp::Sum => "sum",
            AggregateOp::Avg => "avg",
            AggregateOp::Min => "min",
            AggregateOp::Max => "max",
            AggregateOp::Count => "count",
        }
    }

    pub fn parse(text: &str) -> Option<AggregateOp> {
        [
            AggregateOp::Sum,
            AggregateOp::Avg,
            AggregateOp::Min,
            AggregateOp::Max,
            AggregateOp::Count,
        ]
        .into_iter()
        .find(|a| a.as_str() == text)
    }
}

/// The window statistic that ranks lines when only some are returned.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RankStat {
    #[default]
    Max,
    Min,
    Avg,
    Last,
}

impl RankStat {
    pub fn as_str(self) -> &'static str {
        match self {
            RankStat::Max => "max",
            RankStat::Min => "min",
            RankStat::Avg => "avg",
            RankStat::Last => "last",
        }
    }

    pub fn parse(text: &str) -> Option<RankStat> {
        [RankStat::Max, RankStat::Min, RankStat::Avg, RankStat::Last]
            .into_iter()
            .find(|r| r.as_str() == text)
    }

    /// The statistic's value in `stats`, if the window had points.
    pub fn of(self, stats: &Stats) -> Option<f64> {
        match self {
            RankStat::Max => stats.max,
            RankStat::Min => stats.min,
            RankStat::Avg => stats.avg,
            RankStat::Last => stats.last,
        }
    }
}

/// One line of an answer over many series: one series, or one group of
/// them aggregated.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// The series' key, when the line is one series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// The series' labels (with `__name__`), or the group's `by` labels.
    pub labels: Labels,
    /// How many series the line stands for.
    pub series_count: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// `[t, v]` pairs in time order.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Vec<f64>>))]
    pub points: Vec<(i64, f64)>,
    /// The grid the points were reduced on, as in [`QueryResult::bucket`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<i64>,
    /// Over the window: of the series, or of the group's points (`last`
    /// is then the aggregate's last value).
    pub stats: Stats,
}

/// A label's value and how many series carry it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelValue {
    pub value: String,
    pub series: usize,
}

/// A page of the series list: a substring of the key, optionally a
/// selector the series must match, after the key `after`, at most `limit`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesQuery {
    pub filter: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    pub limit: usize,
}

impl QueryResult {
    /// The answer as one result per line, as a chart draws them: itself
    /// for one series, else each line named by its series key or its
    /// group's labels, with the selection's `matched` and `more`.
    pub fn into_lines(self) -> Vec<QueryResult> {
        if self.lines.is_empty() {
            return vec![self];
        }
        let QueryResult {
            series: selector,
            from,
            to,
            resolution,
            agg,
            matched,
            lines,
            more,
            ..
        } = self;
        lines
            .into_iter()
            .map(|line| QueryResult {
                series: line
                    .series
                    .unwrap_or_else(|| group_name(&line.labels, line.series_count, &selector)),
                unit: line.unit,
                from,
                to,
                resolution: resolution.clone(),
                rows_read: 0,
                agg,
                points: line.points,
                bucket: line.bucket,
                stats: line.stats,
                matched,
                lines: Vec::new(),
                more,
            })
            .collect()
    }
}

/// A group's name: its labels, or how many series it joins.
fn group_name(labels: &Labels, series: u64, selector: &str) -> String {
    if labels.is_empty() {
        return format!("{selector} ({series} series)");
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every outcome as the results a chart draws, lines spread out.
pub fn spread_lines(outcomes: Vec<QueryOutcome>) -> Vec<QueryOutcome> {
    outcomes
        .into_iter()
        .flat_map(|o| match o {
            QueryOutcome::Ok(r) => r
                .into_lines()
                .into_iter()
                .map(|l| QueryOutcome::Ok(Box::new(l)))
                .collect(),
            err => vec![err],
        })
        .collect()
}
