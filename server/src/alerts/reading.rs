//! From a rule to the query that reads its window, and from the answer to
//! one reading per instance: the window reduced to the value the rule's
//! condition compares, or no value when the window is empty or its newest
//! point is older than the rule's no-data time.

use app::domain::{Evaluation, TimeSpec};
use app::model::{Agg, CheckedRule, Labels, Line, QueryRequest, QueryResult, Reducer, Resolution, Stats, MAX_LINES};

/// The label naming the rule in every instance's labels.
pub const ALERT_NAME: &str = "alertname";
/// The label naming the series of an instance that watches one.
pub const SERIES_LABEL: &str = "series";

/// One instance's share of an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub labels: Labels,
    pub evaluation: Evaluation,
    /// When its newest point was written, if the window held one.
    pub newest: Option<i64>,
}

/// How the query of a rule came back.
#[derive(Debug)]
pub enum Outcome<'a> {
    Answer(&'a QueryResult),
    /// The rule's one series does not exist (yet): no data, not an error.
    NoSeries,
    Failed(String),
}

/// Longest window read from raw points; longer ones read rollups where
/// the planner finds them cheaper (the newest point is then known to
/// within a bucket).
const RAW_WINDOW_MS: i64 = 3_600_000;

/// The query over the rule's trailing window ending at `now`: the window's
/// statistics are what most reducers read; LTTB at two points keeps the
/// first and the last point exactly, for a rate and for the newest time.
pub fn query_for(rule: &CheckedRule, now: i64) -> QueryRequest {
    let d = &rule.draft;
    QueryRequest {
        series: d.series.clone(),
        select: d.select.clone(),
        aggregate: d.aggregate,
        by: d.by.clone(),
        lines: d.select.is_some().then_some(MAX_LINES),
        from: TimeSpec::At(now - rule.window_ms),
        to: TimeSpec::At(now),
        points: 2,
        agg: if d.aggregate.is_some() { Agg::Auto } else { Agg::Lttb },
        resolution: if rule.window_ms <= RAW_WINDOW_MS {
            Resolution::Raw
        } else {
            Resolution::Auto
        },
        ..QueryRequest::default()
    }
}

/// The readings of one evaluation at `now`, or the failure every known
/// instance of the rule takes.
pub fn readings(rule: &CheckedRule, outcome: Outcome, now: i64) -> Result<Vec<Reading>, String> {
    let base = base_labels(rule);
    match outcome {
        Outcome::Failed(message) => Err(message),
        Outcome::NoSeries => Ok(vec![Reading {
            labels: with_series(base, &rule.draft.series),
            evaluation: Evaluation::NoValue,
            newest: None,
        }]),
        Outcome::Answer(r) if rule.draft.select.is_none() => Ok(vec![reading(
            rule,
            with_series(base, &rule.draft.series),
            &r.stats,
            &r.points,
            now,
        )]),
        Outcome::Answer(r) => Ok(r
            .lines
            .iter()
            .map(|line| line_reading(rule, &base, line, now))
            .collect()),
    }
}

fn line_reading(rule: &CheckedRule, base: &Labels, line: &Line, now: i64) -> Reading {
    let mut labels = line.labels.clone();
    labels.extend(base.iter().map(|(k, v)| (k.clone(), v.clone())));
    if let Some(series) = &line.series {
        labels.insert(SERIES_LABEL.into(), series.clone());
    }
    reading(rule, labels, &line.stats, &line.points, now)
}

fn reading(rule: &CheckedRule, labels: Labels, stats: &Stats, points: &[(i64, f64)], now: i64) -> Reading {
    let newest = points.last().map(|&(t, _)| t);
    let stale = newest.is_none_or(|t| now - t >= rule.logic.no_data_ms);
    let evaluation = match reduce(rule.draft.reducer, stats, points) {
        Some(v) if !stale => Evaluation::Value(v),
        _ => Evaluation::NoValue,
    };
    Reading {
        labels,
        evaluation,
        newest,
    }
}

/// The window reduced to one value; none when it held no data.
pub fn reduce(reducer: Reducer, stats: &Stats, points: &[(i64, f64)]) -> Option<f64> {
    if stats.count == 0 {
        return None;
    }
    match reducer {
        Reducer::Last => stats.last,
        Reducer::Avg => stats.avg,
        Reducer::Min => stats.min,
        Reducer::Max => stats.max,
        Reducer::Count => Some(stats.count as f64),
        Reducer::Rate => {
            let (&(t0, v0), &(t1, v1)) = (points.first()?, points.last()?);
            (t1 > t0).then(|| (v1 - v0) * 1000.0 / (t1 - t0) as f64)
        }
    }
}

/// The rule's own labels and its name.
fn base_labels(rule: &CheckedRule) -> Labels {
    let mut labels = rule.draft.labels.clone();
    labels.insert(ALERT_NAME.into(), rule.draft.name.clone());
    labels
}

fn with_series(mut labels: Labels, series: &str) -> Labels {
    labels.insert(SERIES_LABEL.into(), series.to_owned());
    labels
}

#[cfg(test)]
#[path = "reading_tests.rs"]
mod tests;
