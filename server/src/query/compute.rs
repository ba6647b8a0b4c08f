//! Computing one answer through a store [`Reader`]: the planner picks the
//! data, the window is summed up exactly, and the data is reduced to the
//! requested size.

use super::budget::Spending;
use super::from_rollup::{self, Piece, Reduced};
use super::plan::{self, Source};
use super::resolved::{ResolvedQuery, MAX_POINTS};
use super::transform::{self, Sample};
use super::QueryError;
use crate::store::{Reader, SeriesRow};
use app::domain::{
    bucket_start, downsample_lttb, grid_for, mean_grid, mean_into, minmax_into, RollupTier, Summary, MINUTE_MS,
};
use app::model::{Agg, QueryResult, SeriesInfo, Stats, Transform};

/// The answer to `w`, read through `reader`, its reads charged to
/// `spending` before they happen.
pub fn compute(reader: &Reader, w: &ResolvedQuery, spending: &mut Spending) -> Result<QueryResult, QueryError> {
    let series = reader
        .series(&w.series)?
        .ok_or_else(|| QueryError::SeriesNotFound(w.series.to_string()))?;
    let source = plan::choose(reader, &series, w)?;
    let ((points, bucket), stats, rows_read) = match (source, w.transform) {
        (source, Some(t)) => transformed(reader, &series, source, t, w, spending)?,
        (Source::Raw, None) => {
            let bounded = plan::raw_is_bounded(w);
            if !bounded {
                spending.read(reader.raw_estimate(series.id, w.from, w.to)?)?;
            }
            let raw = reader.points(series.id, w.from, w.to)?;
            if bounded {
                // Charged once read: the planner kept it small.
                spending.read(raw.len() as u64)?;
            }
            let (stats, rows) = (stats_of(&raw), raw.len() as u64);
            (reduce_points(raw, w, 1)?, stats, rows)
        }
        (Source::Rollup(tier), None) => {
            let first = bucket_start(w.from, tier.width_ms());
            spending.read(buckets_at_most(&series.info, first, w.to, tier))?;
            let rows = reader.buckets(tier, series.id, first, w.to)?;
            let bucket_rows = rows.len() as u64;
            let (pieces, edge_rows) = window_pieces(reader, series.id, tier, rows, w)?;
            // The edges' raw points are read already: at most two buckets' worth.
            spending.read(edge_rows)?;
            let stats = from_rollup::stats(&pieces);
            (reduce_rollup(&pieces, tier, w)?, stats, bucket_rows + edge_rows)
        }
    };
    Ok(QueryResult {
        series: w.series.to_string(),
        unit: match w.transform {
            Some(t) => series.info.unit.clone().map(|u| t.unit_of(u)),
            None => series.info.unit.clone(),
        },
        from: w.from,
        to: w.to,
        resolution: source.name().into(),
        rows_read,
        agg: w.agg,
        points,
        bucket,
        stats,
        matched: None,
        lines: Vec::new(),
        more: 0,
    })
}

/// The most `tier` buckets in `[from, to]` that can hold data: those
/// between the series' first and last points.
pub(super) fn buckets_at_most(info: &SeriesInfo, from: i64, to: i64, tier: RollupTier) -> u64 {
    let (Some(first), Some(last)) = (info.first, info.last) else {
        return 0;
    };
    let width = tier.width_ms();
    let (from, to) = (from.max(bucket_start(first, width)), to.min(last));
    if from > to {
        return 0;
    }
    ((to - from) / width) as u64 + 1
}

/// `points` reduced as `w` asks, on a grid of multiples of `unit` (1 for
/// stored points, a tier's width for values made from its buckets).
fn reduce_points(points: Vec<(i64, f64)>, w: &ResolvedQuery, unit: i64) -> Result<Reduced, QueryError> {
    // Values a bucket apart, or stored points as they are.
    let unreduced = (unit > 1).then_some(unit);
    if points.len() <= w.points && w.agg != Agg::Lttb {
        return Ok((points, unreduced));
    }
    Ok(match w.agg {
        Agg::Raw => (too_many(points)?, unreduced),
        Agg::Lttb => (lttb(&points, w.points)?, None),
        Agg::Auto | Agg::Minmax => {
            let width = grid_for(w.from, w.to, w.points, unit);
            let mut out = Vec::with_capacity(w.points);
            minmax_into(&points, width, &mut out);
            (out, Some(width))
        }
        Agg::Avg => {
            let width = mean_grid(w.from, w.to, w.points, unit);
            let mut out = Vec::with_capacity(w.points);
            mean_into(&points, width, &mut out);
            if let Some(first) = out.first_mut() {
                first.0 = first.0.max(w.from);
            }
            (out, Some(width))
        }
    })
}

/// The transformed answer: the values `source` holds from a little before
/// the window (what its first values are computed from), transformed,
/// then summed up and reduced like stored points.
fn transformed(
    reader: &Reader,
    series: &SeriesRow,
    source: Source,
    t: Transform,
    w: &ResolvedQuery,
    spending: &mut Spending,
) -> Result<(Reduced, Stats, u64), QueryError> {
    let unit = match source {
        Source::Raw => 1,
        Source::Rollup(tier) => tier.width_ms(),
    };
    let step = grid_for(w.from, w.to, w.points, unit).max(unit).max(MINUTE_MS);
    let read_from = w.from.saturating_sub(t.lookback(step));
    let (samples, rows) = match source {
        Source::Raw => {
            spending.read(reader.raw_estimate(series.id, read_from, w.to)?)?;
            let raw = reader.points(series.id, read_from, w.to)?;
            let rows = raw.len() as u64;
            (raw.into_iter().map(Sample::point).collect::<Vec<_>>(), rows)
        }
        Source::Rollup(tier) => {
            let first = bucket_start(read_from, unit);
            spending.read(buckets_at_most(&series.info, first, w.to, tier))?;
            let rows = reader.buckets(tier, series.id, first, w.to)?;
            let samples = rows
                .iter()
                .filter(|b| b.count > 0)
                .map(|b| Sample {
                    t: b.start + unit / 2,
                    last: b.last,
                    sum: b.sum,
                    count: b.count,
                })
                .collect();
            (samples, rows.len() as u64)
        }
    };
    // The newest bucket's middle may lie past the window's end.
    let values: Vec<(i64, f64)> = transform::apply(t, &samples, w.from)
        .into_iter()
        .map(|(at, v)| (at.min(w.to), v))
        .collect();
    let stats = stats_of(&values);
    Ok((reduce_points(values, w, unit)?, stats, rows))
}

fn reduce_rollup(pieces: &[Piece], tier: RollupTier, w: &ResolvedQuery) -> Result<Reduced, QueryError> {
    let width = tier.width_ms();
    Ok(match w.agg {
        Agg::Raw => (too_many(from_rollup::means(pieces, w.from, w.to))?, Some(width)),
        Agg::Lttb => (lttb(&from_rollup::means(pieces, w.from, w.to), w.points)?, None),
        Agg::Auto | Agg::Minmax => from_rollup::extremes(pieces, w.from, w.to, w.points, width),
        Agg::Avg => from_rollup::grid_means(pieces, w.from, w.to, w.points, width),
    })
}

fn lttb(points: &[(i64, f64)], target: usize) -> Result<Vec<(i64, f64)>, QueryError> {
    downsample_lttb(points, target).map_err(|e| QueryError::invalid("invalid_points", e.to_string()))
}

/// The window `[from, to]` as pieces: whole buckets from the rollup, and
/// for the buckets cut by the window's edges the raw points inside the
/// window while they are kept (the whole edge buckets otherwise). Also
/// returns the raw points read for the edges.
fn window_pieces(
    reader: &Reader,
    series: i64,
    tier: RollupTier,
    rows: Vec<Summary>,
    w: &ResolvedQuery,
) -> Result<(Vec<Piece>, u64), QueryError> {
    let raw_since = reader.oldest_point(series)?;
    let mut read = 0;
    let mut pieces = Vec::with_capacity(rows.len());
    for row in rows {
        let cut = row.start < w.from || row.end - 1 > w.to;
        if cut && raw_since.is_some_and(|first| bucket_start(first, tier.width_ms()) <= row.start) {
            let points = reader.points(series, w.from.max(row.start), w.to.min(row.end - 1))?;
            read += points.len() as u64;
            pieces.push(Piece::Points(points));
        } else {
            pieces.push(Piece::Bucket(row));
        }
    }
    Ok((pieces, read))
}

/// `agg=raw` answers are capped at [`MAX_POINTS`].
fn too_many(points: Vec<(i64, f64)>) -> Result<Vec<(i64, f64)>, QueryError> {
    if points.len() > MAX_POINTS {
        return Err(QueryError::invalid(
            "too_many_points",
            format!(
                "the window holds {} points, more than {MAX_POINTS}; use another agg or a shorter window",
                points.len()
            ),
        ));
    }
    Ok(points)
}

/// Count, extremes, mean and last value of time-ordered points.
pub fn stats_of(points: &[(i64, f64)]) -> Stats {
    Summary::of(points).map_or_else(Stats::default, |s| s.stats())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_cover_every_point() {
        let s = stats_of(&[(1, 2.0), (2, -1.0), (3, 5.0)]);
        assert_eq!(
            s,
            Stats {
                count: 3,
                min: Some(-1.0),
                max: Some(5.0),
                avg: Some(2.0),
                last: Some(5.0)
            }
        );
        assert_eq!(stats_of(&[]), Stats::default());
    }
}
