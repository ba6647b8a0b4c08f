//! Placing a write's points of one series and one window among the stored
//! chunks. Points that fall in a gap between stored chunks (the usual
//! case: newer than everything stored) become a new block, or grow the
//! small block just before them, and are folded into the rollups without
//! reading anything else back. Points that land inside
//! a stored chunk are merged: the chunks they touch are decoded, merged
//! (last write wins), re-encoded, and the touched rollup buckets are
//! recomputed from the merged points. Minute rows are kept only for hours
//! past the sparse bound (see `rollups`).

use super::chunk::{self, merge, CHUNK_MS};
use super::StoreError;
use super::{compact, grow, join, scan};
use crate::store::rollups::rows::{self as rollup_rows, Placement};
use crate::store::rollups::SPARSE_HOUR_POINTS;
use app::domain::{bucket_slice, bucket_start, touched_buckets, RollupTier, Summary, MINUTE_MS};
use rusqlite::{params, OptionalExtension, Transaction};

/// The stored chunks around a gap: the last time before it and the first
/// time after it, if any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Neighbours {
    pub before: Option<i64>,
    pub after: Option<i64>,
}

/// Where a window's new points fit among the stored chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fit {
    /// Every point falls in a gap: runs of points (`start..end` indices)
    /// with the stored chunks around each.
    Gaps(Vec<(usize, usize, Neighbours)>),
    /// Some point falls inside a stored chunk.
    Overlap,
}

impl Fit {
    /// All the points in one gap.
    pub fn one_gap(len: usize, around: Neighbours) -> Fit {
        Fit::Gaps(vec![(0, len, around)])
    }
}

/// Looks up where `points` (sorted, all in the window starting at
/// `window`) fit among the chunks of `series`.
pub fn fit(tx: &Transaction, series: i64, window: i64, points: &[(i64, f64)]) -> Result<Fit, StoreError> {
    let (Some(&(first, _)), Some(&(last, _))) = (points.first(), points.last()) else {
        return Ok(Fit::Gaps(Vec::new()));
    };
    // Chunks never leave their window, so any chunk meeting the span starts in it.
    let met: Vec<(i64, i64)> = tx
        .prepare_cached(
            "SELECT first_t, last_t FROM chunks
             WHERE series_id = ?1 AND first_t >= ?2 AND first_t <= ?3 AND last_t >= ?4 ORDER BY first_t",
        )?
        .query_map(params![series, window, last, first], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let before: Option<i64> = tx
        .prepare_cached(
            "SELECT last_t FROM chunks WHERE series_id = ?1 AND first_t < ?2 ORDER BY first_t DESC LIMIT 1",
        )?
        .query_row(params![series, first], |r| r.get(0))
        .optional()?
        .filter(|&t| t < first);
    let after: Option<i64> = tx
        .prepare_cached("SELECT first_t FROM chunks WHERE series_id = ?1 AND first_t > ?2 ORDER BY first_t LIMIT 1")?
        .query_row(params![series, last], |r| r.get(0))
        .optional()?;
    Ok(runs_between(points, &met, before, after))
}

/// Splits `points` into the runs between the stored chunk spans `met`
/// (sorted, disjoint), or says that a point falls inside one.
fn runs_between(points: &[(i64, f64)], met: &[(i64, i64)], before: Option<i64>, after: Option<i64>) -> Fit {
    let mut runs = Vec::with_capacity(met.len() + 1);
    let mut start = 0;
    let mut prev_end = before;
    for &(chunk_first, chunk_last) in met {
        let end = start + points[start..].partition_point(|p| p.0 < chunk_first);
        if points.get(end).is_some_and(|p| p.0 <= chunk_last) {
            return Fit::Overlap;
        }
        if end > start {
            let around = Neighbours {
                before: prev_end,
                after: Some(chunk_first),
            };
            runs.push((start, end, around));
        }
        (start, prev_end) = (end, Some(chunk_last));
    }
    if start < points.len() {
        runs.push((
            start,
            points.len(),
            Neighbours {
                before: prev_end,
                after,
            },
        ));
    }
    Fit::Gaps(runs)
}

/// Stores `points` (sorted, distinct times, all in the window starting at
/// `window`) of `series`; returns how many points the series gained.
/// `known` is where they fit, when the caller already knows.
pub fn place(
    tx: &Transaction,
    series: i64,
    window: i64,
    points: &[(i64, f64)],
    known: Option<Fit>,
) -> Result<i64, StoreError> {
    let fit = match known {
        Some(fit) => fit,
        None => fit(tx, series, window, points)?,
    };
    match fit {
        Fit::Gaps(runs) => {
            for (start, end, around) in runs {
                append(tx, series, window, &points[start..end], around)?;
            }
            Ok(points.len() as i64)
        }
        Fit::Overlap => rewrite(tx, series, window, points),
    }
}

fn append(
    tx: &Transaction,
    series: i64,
    window: i64,
    points: &[(i64, f64)],
    around: Neighbours,
) -> Result<(), StoreError> {
    let stored_before = around.before.is_some_and(|t| t >= window);
    let stored_after = around.after.is_some_and(|t| t < window + CHUNK_MS);
    let run = store_run(
        tx,
        series,
        window,
        points,
        around.before.filter(|_| stored_before),
        stored_after,
    )?;
    let hour_count = fold(tx, RollupTier::Hour, series, window, points, around)?;
    let before = hour_count.saturating_sub(points.len() as u64);
    if before > SPARSE_HOUR_POINTS {
        fold_minutes(tx, series, points, around)?;
    } else if hour_count > SPARSE_HOUR_POINTS {
        let all = scan::points(tx, series, window, window + CHUNK_MS - 1)?;
        rollup_rows::minutes_of_hour(tx, series, &all)?;
    }
    // A grown block leaves the window's row count, and so its need of
    // compaction, as it was; a join leaves it compact unless a hole split it.
    match run {
        Run::Grown => {}
        Run::Joined(1) => compact::clear_unsealed(tx, series, window)?,
        Run::Joined(_) => mark_unsealed(tx, series, window)?,
        Run::Blocks(rows) if stored_before || stored_after || rows > 1 => mark_unsealed(tx, series, window)?,
        Run::Blocks(_) => {}
    }
    Ok(())
}

/// Folds points that fell in a gap into their minute rows.
fn fold_minutes(tx: &Transaction, series: i64, points: &[(i64, f64)], around: Neighbours) -> Result<(), StoreError> {
    let mut rest = points;
    let mut alone = Vec::new();
    while let Some(&(t, _)) = rest.first() {
        let bucket = bucket_start(t, MINUTE_MS);
        let split = rest.partition_point(|p| p.0 < bucket + MINUTE_MS);
        let at = placement(RollupTier::Minute, bucket, around);
        match Summary::of(&rest[..split]) {
            Some(s) if at == Placement::ALONE => alone.push((bucket, s)),
            Some(s) => {
                rollup_rows::merge(tx, RollupTier::Minute, series, bucket, &s, at)?;
            }
            None => {}
        }
        rest = &rest[split..];
    }
    rollup_rows::merge_alone(tx, series, &alone)
}

/// How a run of new points went into its window's chunks.
enum Run {
    /// Into the small block just before it.
    Grown,
    /// Rewritten with the window's blocks, as this many rows.
    Joined(usize),
    /// As new blocks, this many rows.
    Blocks(usize),
}

/// Stores a run that falls in a gap: it grows the block ending at
/// `before_in_window`, or joins the window's blocks when nothing stored
/// in the window follows it, or else becomes blocks of its own.
fn store_run(
    tx: &Transaction,
    series: i64,
    window: i64,
    points: &[(i64, f64)],
    before_in_window: Option<i64>,
    stored_after: bool,
) -> Result<Run, StoreError> {
    let Some(before) = before_in_window else {
        return blocks(tx, series, points);
    };
    if grow::grow(tx, series, window, before, points)? {
        return Ok(Run::Grown);
    }
    if !stored_after {
        if let Some(rows) = join::join(tx, series, window, points)? {
            return Ok(Run::Joined(rows));
        }
    }
    blocks(tx, series, points)
}

fn blocks(tx: &Transaction, series: i64, points: &[(i64, f64)]) -> Result<Run, StoreError> {
    let mut rows = 0;
    for piece in chunk::split_at_holes(points) {
        rows += chunk::insert_chunks(tx, series, piece)?;
    }
    Ok(Run::Blocks(rows))
}

/// Folds `points` into their bucket's row; returns the bucket's count.
fn fold(
    tx: &Transaction,
    tier: RollupTier,
    series: i64,
    bucket: i64,
    points: &[(i64, f64)],
    around: Neighbours,
) -> Result<u64, StoreError> {
    let Some(s) = Summary::of(points) else { return Ok(0) };
    rollup_rows::merge(tx, tier, series, bucket, &s, placement(tier, bucket, around))
}

/// Where new points in the bucket starting at `bucket` sit among its
/// stored ones, from the stored chunks around them.
fn placement(tier: RollupTier, bucket: i64, around: Neighbours) -> Placement {
    Placement {
        stored_before: around.before.is_some_and(|t| t >= bucket),
        stored_after: around.after.is_some_and(|t| t < bucket + tier.width_ms()),
    }
}

fn rewrite(tx: &Transaction, series: i64, window: i64, points: &[(i64, f64)]) -> Result<i64, StoreError> {
    let (Some(&(first, _)), Some(&(last, _))) = (points.first(), points.last()) else {
        return Ok(0);
    };
    // Whole minute buckets, so each touched bucket is recomputed from all its points.
    let (from, to) = (
        bucket_start(first, MINUTE_MS),
        bucket_start(last, MINUTE_MS) + MINUTE_MS,
    );
    let old = chunk::load(tx, series, window, to, from)?;
    if let Some(keys) = old.keys {
        chunk::delete(tx, series, keys)?;
    }
    let merged = merge(&old.points, points);
    chunk::insert_chunks(tx, series, &merged)?;
    mark_unsealed(tx, series, window)?;
    let gained = merged.len() as i64 - old.points.len() as i64;
    let Some(hour) = window_summary(tx, series, window)? else {
        return Ok(gained);
    };
    rollup_rows::replace(tx, RollupTier::Hour, series, window, &hour)?;
    let before = hour.count.saturating_sub(gained.max(0) as u64);
    if before > SPARSE_HOUR_POINTS {
        for bucket in touched_buckets(points.iter().map(|p| p.0), MINUTE_MS) {
            if let Some(s) = Summary::of(bucket_slice(&merged, bucket, MINUTE_MS)) {
                rollup_rows::replace(tx, RollupTier::Minute, series, bucket, &s)?;
            }
        }
    } else if hour.count > SPARSE_HOUR_POINTS {
        let all = scan::points(tx, series, window, window + CHUNK_MS - 1)?;
        rollup_rows::minutes_of_hour(tx, series, &all)?;
    }
    Ok(gained)
}

/// The summary of every point in the window, from its chunks' summaries.
fn window_summary(tx: &Transaction, series: i64, window: i64) -> Result<Option<Summary>, StoreError> {
    let mut stmt = tx.prepare_cached(
        "SELECT first_t, last_t, count, min, max, sum, first_v, last_v FROM chunks
         WHERE series_id = ?1 AND first_t >= ?2 AND first_t < ?3 ORDER BY first_t",
    )?;
    let rows = stmt.query_map(params![series, window, window + CHUNK_MS], |r| {
        Ok(Summary {
            start: r.get(0)?,
            end: r.get(1)?,
            count: r.get::<_, i64>(2)?.max(0) as u64,
            min: r.get(3)?,
            max: r.get(4)?,
            sum: r.get(5)?,
            first: r.get(6)?,
            last: r.get(7)?,
        })
    })?;
    let mut whole: Option<Summary> = None;
    for row in rows {
        let s = row?;
        whole = Some(match whole {
            None => s,
            Some(w) => w.then(&s),
        });
    }
    Ok(whole)
}

/// Notes that the window holds more than one chunk, for compaction.
fn mark_unsealed(tx: &Transaction, series: i64, window: i64) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO unsealed (series_id, window_t, blocks, touched_ms) VALUES (?1, ?2, 1, ?3)
         ON CONFLICT (series_id, window_t) DO UPDATE SET blocks = blocks + 1, touched_ms = ?3",
    )?
    .execute(params![series, window, crate::clock::now_ms()])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(times: &[i64]) -> Vec<(i64, f64)> {
        times.iter().map(|&t| (t, 0.0)).collect()
    }

    fn around(before: Option<i64>, after: Option<i64>) -> Neighbours {
        Neighbours { before, after }
    }

    #[test]
    fn a_long_run_folds_every_minute_bucket_exactly() {
        let mut conn = crate::store::test_db::one_series();
        // A bucket already holds a summary (as after its raw points expired).
        conn.execute(
            "INSERT INTO rollup_1m (series_id, bucket_t, count, min, max, sum, first_v, last_v)
             VALUES (1, 600000, 2, -5.0, 50.0, 45.0, -5.0, 50.0)",
            [],
        )
        .unwrap();
        let points: Vec<(i64, f64)> = (0..3_590).map(|i| (i * 1_000, ((i * 37) % 101) as f64)).collect();
        let tx = conn.transaction().unwrap();
        place(&tx, 1, 0, &points, None).unwrap();
        tx.commit().unwrap();
        let rows: Vec<(i64, i64, f64, f64, f64, f64, f64)> = conn
            .prepare("SELECT bucket_t, count, min, max, sum, first_v, last_v FROM rollup_1m ORDER BY bucket_t")
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows.len(), 60);
        for (bucket, count, min, max, sum, first, last) in rows {
            let mut s = Summary::of(bucket_slice(&points, bucket, MINUTE_MS)).unwrap();
            if bucket == 600_000 {
                s.count += 2;
                s.min = s.min.min(-5.0);
                s.max = s.max.max(50.0);
                s.sum += 45.0;
            }
            assert_eq!(
                (count, min, max, sum, first, last),
                (s.count as i64, s.min, s.max, s.sum, s.first, s.last),
                "{bucket}"
            );
        }
    }

    #[test]
    fn points_between_stored_chunks_split_into_runs() {
        let points = at(&[1, 2, 5, 6, 9]);
        assert_eq!(
            runs_between(&points, &[(3, 4), (7, 8)], Some(0), Some(20)),
            Fit::Gaps(vec![
                (0, 2, around(Some(0), Some(3))),
                (2, 4, around(Some(4), Some(7))),
                (4, 5, around(Some(8), Some(20))),
            ])
        );
        assert_eq!(
            runs_between(&at(&[5, 6]), &[(1, 4)], None, None),
            Fit::Gaps(vec![(0, 2, around(Some(4), None))])
        );
        assert_eq!(
            runs_between(&at(&[1]), &[], None, None),
            Fit::Gaps(vec![(0, 1, around(None, None))])
        );
    }

    #[test]
    fn a_point_inside_or_on_the_edge_of_a_chunk_overlaps() {
        for t in [3, 4, 5] {
            assert_eq!(
                runs_between(&at(&[1, t, 9]), &[(3, 5)], None, None),
                Fit::Overlap,
                "{t}"
            );
        }
    }
}
