//! Aggregation across series, bucket by bucket of one time grid. Each
//! series is read from the source the planner picks for it (raw points or
//! a rollup tier); the grid's width is a multiple of the coarsest tier
//! read, so every rollup bucket falls inside one grid bucket and the
//! partial sums stay exact: an `avg` is the sum of every point over their
//! count, never a mean of means.

use super::super::budget::Spending;
use super::super::compute::buckets_at_most;
use super::super::plan::{self, Source};
use super::super::resolved::ResolvedQuery;
use super::super::QueryError;
use crate::store::{Reader, SelectedSeries};
use app::domain::{bucket_start, mean_grid, Summary};
use app::model::{AggregateOp, Labels, Line, Stats};
use std::collections::{BTreeMap, HashMap};

/// One grid bucket of one series, or of a group of them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Partial {
    /// Points.
    pub count: u64,
    pub sum: f64,
    pub min: f64,
    pub max: f64,
    /// Series with a point in the bucket, and the sum of their means.
    pub series: u64,
    pub sum_of_means: f64,
}

impl Partial {
    fn of(s: &Summary) -> Partial {
        Partial {
            count: s.count,
            sum: s.sum,
            min: s.min,
            max: s.max,
            series: 1,
            sum_of_means: 0.0,
        }
    }

    /// Adds a run of the same series in the same bucket.
    fn extend(&mut self, s: &Summary) {
        self.count += s.count;
        self.sum += s.sum;
        self.min = self.min.min(s.min);
        self.max = self.max.max(s.max);
    }

    /// Adds another series' partial of the same bucket.
    fn merge(&mut self, other: &Partial) {
        self.count += other.count;
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.series += other.series;
        self.sum_of_means += other.sum_of_means;
    }

    /// The bucket's value under `op`.
    pub fn value(&self, op: AggregateOp) -> f64 {
        match op {
            AggregateOp::Sum => self.sum_of_means,
            AggregateOp::Avg => self.sum / self.count as f64,
            AggregateOp::Min => self.min,
            AggregateOp::Max => self.max,
            AggregateOp::Count => self.series as f64,
        }
    }
}

/// One series' grid buckets: runs of points or rollup buckets folded into
/// the grid bucket holding them.
pub fn grid_partials(runs: &[Summary], width: i64) -> Vec<(i64, Partial)> {
    let mut out: Vec<(i64, Partial)> = Vec::new();
    for run in runs.iter().filter(|r| r.count > 0) {
        let start = run.start.div_euclid(width) * width;
        match out.last_mut() {
            Some((s, p)) if *s == start => p.extend(run),
            _ => out.push((start, Partial::of(run))),
        }
    }
    for (_, p) in &mut out {
        p.sum_of_means = p.sum / p.count as f64;
    }
    out
}

/// A group's lines-to-be: its series count, unit and buckets.
#[derive(Default)]
struct Group {
    series: u64,
    unit: Option<Option<String>>,
    buckets: BTreeMap<i64, Partial>,
}

/// The aggregated lines of `members` for `w`, one per group of their
/// `by` labels (in label-value order), with the rows read and the
/// coarsest source used.
pub fn aggregate(
    reader: &Reader,
    w: &ResolvedQuery,
    op: AggregateOp,
    by: &[String],
    members: &[SelectedSeries],
    spending: &mut Spending,
) -> Result<(Vec<Line>, u64, Source), QueryError> {
    let mut planned = Vec::with_capacity(members.len());
    for m in members {
        let Some(row) = reader.series(&m.key)? else { continue };
        let one = ResolvedQuery {
            series: m.key.as_str().into(),
            selection: None,
            ..w.clone()
        };
        let source = plan::choose(reader, &row, &one)?;
        planned.push((m, row, source));
    }
    let coarsest = planned
        .iter()
        .map(|(_, _, s)| *s)
        .max_by_key(|s| unit_of(*s))
        .unwrap_or(Source::Raw);
    let width = mean_grid(w.from, w.to, w.points, unit_of(coarsest));
    let mut groups: BTreeMap<Vec<String>, Group> = BTreeMap::new();
    let mut rows_read = 0;
    for (member, row, source) in planned {
        let runs: Vec<Summary> = match source {
            Source::Raw => {
                spending.read(reader.raw_estimate(row.id, w.from, w.to)?)?;
                let points = reader.points(row.id, w.from, w.to)?;
                rows_read += points.len() as u64;
                points
                    .iter()
                    .filter_map(|p| Summary::of(std::slice::from_ref(p)))
                    .collect()
            }
            Source::Rollup(tier) => {
                let first = bucket_start(w.from, tier.width_ms());
                spending.read(buckets_at_most(&row.info, first, w.to, tier))?;
                let rows = reader.buckets(tier, row.id, first, w.to)?;
                rows_read += rows.len() as u64;
                rows
            }
        };
        let values: HashMap<&str, &str> = member.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let key: Vec<String> = by
            .iter()
            .map(|l| values.get(l.as_str()).copied().unwrap_or("").to_owned())
            .collect();
        let group = groups.entry(key).or_default();
        group.series += 1;
        group.unit = match group.unit.take() {
            None => Some(row.info.unit.clone()),
            Some(u) if u == row.info.unit => Some(u),
            Some(_) => Some(None),
        };
        for (start, p) in grid_partials(&runs, width) {
            group.buckets.entry(start).and_modify(|b| b.merge(&p)).or_insert(p);
        }
    }
    let lines = groups
        .into_iter()
        .map(|(values, g)| line(op, by, values, g, (w.from, width)))
        .collect();
    Ok((lines, rows_read, coarsest))
}

fn unit_of(source: Source) -> i64 {
    match source {
        Source::Raw => 1,
        Source::Rollup(tier) => tier.width_ms(),
    }
}

/// A group's line: each grid bucket's value at its start (at `from` for a
/// bucket that starts before the window).
fn line(op: AggregateOp, by: &[String], values: Vec<String>, g: Group, (from, width): (i64, i64)) -> Line {
    let labels: Labels = by.iter().cloned().zip(values).filter(|(_, v)| !v.is_empty()).collect();
    let points: Vec<(i64, f64)> = g.buckets.iter().map(|(&t, p)| (t.max(from), p.value(op))).collect();
    let whole = g.buckets.values().copied().reduce(|mut a, b| {
        a.merge(&b);
        a
    });
    let stats = whole.map_or_else(Stats::default, |w| Stats {
        count: w.count,
        min: Some(w.min),
        max: Some(w.max),
        avg: Some(w.sum / w.count as f64),
        last: points.last().map(|p| p.1),
    });
    Line {
        series: None,
        labels,
        series_count: g.series,
        unit: g.unit.flatten(),
        points,
        bucket: Some(width),
        stats,
    }
}

#[cfg(test)]
#[path = "aggregate_tests.rs"]
mod tests;
