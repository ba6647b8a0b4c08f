//! The answer to a query by selector: one line per series, each answered
//! exactly as a query of that series alone would be, or the aggregated
//! lines; then the best `lines` of them by the rank statistic.

use super::super::budget::Spending;
use super::super::compute::{compute, stats_of};
use super::super::resolved::ResolvedQuery;
use super::super::transform;
use super::super::QueryError;
use super::aggregate::aggregate;
use super::Selection;
use crate::store::{Reader, SelectedSeries};
use app::model::{Line, QueryResult, RankStat, Stats};
use std::cmp::Ordering;

/// The answer to `w`, whose selection `sel` matched `members` (in key
/// order), read through `reader` within `spending`.
pub fn compute_selection(
    reader: &Reader,
    w: &ResolvedQuery,
    sel: &Selection,
    members: &[SelectedSeries],
    spending: &mut Spending,
) -> Result<QueryResult, QueryError> {
    let (lines, dropped, rows_read, resolution) = match sel.aggregate {
        Some(op) => {
            let (mut lines, rows, source) = aggregate(reader, w, op, &sel.by, members, spending)?;
            if let Some(t) = w.transform {
                for line in &mut lines {
                    // Of the aggregated buckets: the rate of a sum, not a sum of rates.
                    line.points = transform::apply_to_points(t, &line.points);
                    line.stats = stats_of(&line.points);
                    line.unit = line.unit.take().map(|u| t.unit_of(u));
                }
            }
            (lines, 0, rows, source.name().to_owned())
        }
        None => per_series(reader, w, sel, members, spending)?,
    };
    let total = lines.len() + dropped;
    let lines = best(lines, sel.rank, sel.bottom, sel.lines);
    let more = (total - lines.len()) as u64;
    let unit = lines
        .first()
        .and_then(|l| l.unit.clone())
        .filter(|u| lines.iter().all(|l| l.unit.as_ref() == Some(u)));
    Ok(QueryResult {
        series: w.series.to_string(),
        unit,
        from: w.from,
        to: w.to,
        resolution,
        rows_read,
        agg: w.agg,
        points: Vec::new(),
        bucket: None,
        stats: overall(&lines),
        matched: Some(members.len() as u64),
        lines,
        more,
    })
}

/// Each member answered alone. Only the best `sel.lines` keep their
/// points while the others are read, so memory follows the answer.
fn per_series(
    reader: &Reader,
    w: &ResolvedQuery,
    sel: &Selection,
    members: &[SelectedSeries],
    spending: &mut Spending,
) -> Result<(Vec<Line>, usize, u64, String), QueryError> {
    let mut lines: Vec<Line> = Vec::new();
    let (mut rows_read, mut resolution, mut dropped) = (0, None::<String>, 0);
    for m in members {
        let one = ResolvedQuery {
            series: m.key.as_str().into(),
            selection: None,
            ..w.clone()
        };
        let r = match compute(reader, &one, spending) {
            Ok(r) => r,
            // Created and not yet written: nothing to draw.
            Err(QueryError::SeriesNotFound(_)) => continue,
            Err(e) => return Err(e),
        };
        rows_read += r.rows_read;
        resolution = Some(match resolution {
            Some(seen) if seen != r.resolution => "mixed".to_owned(),
            _ => r.resolution.clone(),
        });
        lines.push(Line {
            series: Some(m.key.clone()),
            labels: m.labels.iter().cloned().collect(),
            series_count: 1,
            unit: r.unit,
            points: r.points,
            bucket: r.bucket,
            stats: r.stats,
        });
        if lines.len() > 2 * sel.lines {
            let before = lines.len();
            lines = best(std::mem::take(&mut lines), sel.rank, sel.bottom, sel.lines);
            dropped += before - lines.len();
        }
    }
    Ok((
        lines,
        dropped,
        rows_read,
        resolution.unwrap_or_else(|| "raw".to_owned()),
    ))
}

/// The `keep` lines ranking first by `rank` (highest first, or lowest
/// with `bottom`; lines without points last), in that order.
fn best(mut lines: Vec<Line>, rank: RankStat, bottom: bool, keep: usize) -> Vec<Line> {
    lines.sort_by(|a, b| {
        let (x, y) = (rank.of(&a.stats), rank.of(&b.stats));
        let by_value = match (x, y) {
            (Some(x), Some(y)) if bottom => x.total_cmp(&y),
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_value.then_with(|| a.labels.cmp(&b.labels))
    });
    lines.truncate(keep);
    lines
}

/// The stats of every line returned together: count, extremes and the
/// count-weighted mean (no single last value).
fn overall(lines: &[Line]) -> Stats {
    let mut stats = Stats::default();
    let mut sum = 0.0;
    for s in lines.iter().map(|l| &l.stats).filter(|s| s.count > 0) {
        stats.count += s.count;
        sum += s.avg.unwrap_or(0.0) * s.count as f64;
        stats.min = Some(
            stats
                .min
                .map_or(s.min.unwrap_or(f64::NAN), |m: f64| m.min(s.min.unwrap_or(m))),
        );
        stats.max = Some(
            stats
                .max
                .map_or(s.max.unwrap_or(f64::NAN), |m: f64| m.max(s.max.unwrap_or(m))),
        );
    }
    if stats.count > 0 {
        stats.avg = Some(sum / stats.count as f64);
    }
    stats
}
