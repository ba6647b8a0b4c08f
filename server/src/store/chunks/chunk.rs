//! Chunks: runs of one series' points stored as compressed rows with their
//! summary, keyed by (series, first time).
//!
//! Invariants every write keeps: a chunk lies inside one window of
//! [`CHUNK_MS`] on a fixed grid, and the chunks of a series never overlap
//! in time, so reading a range is decoding its rows in key order. A write
//! appends a new small chunk (a block) when its points fall in a gap;
//! compaction later merges a window's blocks into chunks of up to
//! [`CHUNK_POINTS`].

use super::{codec, StoreError};
use app::domain::Summary;
use rusqlite::{params, Transaction};

/// Width of a chunk's time window: an hour (3,600 points at 1 Hz), the
/// same grid as the hour rollup.
pub const CHUNK_MS: i64 = app::domain::HOUR_MS;

/// Most points in one chunk: a sealed hour of 1 Hz data is one chunk, and a
/// faster series' hour is split so that no row grows past a few kilobytes.
pub const CHUNK_POINTS: usize = 4_096;

/// Inserts time-ordered points of one window, none of them inside an
/// existing chunk, as chunks of at most [`CHUNK_POINTS`]; returns how many
/// rows that took.
pub fn insert_chunks(tx: &Transaction, series: i64, points: &[(i64, f64)]) -> Result<usize, StoreError> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO chunks (series_id, first_t, last_t, count, min, max, sum, first_v, last_v, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut rows = 0;
    for piece in points.chunks(CHUNK_POINTS) {
        let Some(s) = Summary::of(piece) else { continue };
        stmt.execute(params![
            series,
            s.start,
            s.end,
            s.count as i64,
            s.min,
            s.max,
            s.sum,
            s.first,
            s.last,
            codec::encode(piece)
        ])?;
        rows += 1;
    }
    Ok(rows)
}

/// Chunks read back for a rewrite.
pub struct Loaded {
    /// Their points, in time order.
    pub points: Vec<(i64, f64)>,
    /// The first times (keys) of the first and the last chunk read.
    pub keys: Option<(i64, i64)>,
    pub rows: usize,
}

/// Decodes the chunks of `series` whose first time is in `[lo, hi)` and
/// whose last time is at least `min_last`.
pub fn load(tx: &Transaction, series: i64, lo: i64, hi: i64, min_last: i64) -> Result<Loaded, StoreError> {
    let mut stmt = tx.prepare_cached(
        "SELECT first_t, data FROM chunks
         WHERE series_id = ?1 AND first_t >= ?2 AND first_t < ?3 AND last_t >= ?4 ORDER BY first_t",
    )?;
    let mut rows = stmt.query(params![series, lo, hi, min_last])?;
    let mut loaded = Loaded {
        points: Vec::new(),
        keys: None,
        rows: 0,
    };
    while let Some(row) = rows.next()? {
        let first_t: i64 = row.get(0)?;
        let rusqlite::types::ValueRef::Blob(data) = row.get_ref(1)? else {
            return Err(codec::CodecError::Corrupt.into());
        };
        codec::decode_into(data, &mut loaded.points)?;
        loaded.keys = Some(loaded.keys.map_or((first_t, first_t), |(a, _)| (a, first_t)));
        loaded.rows += 1;
    }
    Ok(loaded)
}

/// Deletes the chunks of `series` whose first time is in `[from, to]`.
pub fn delete(tx: &Transaction, series: i64, (from, to): (i64, i64)) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM chunks WHERE series_id = ?1 AND first_t >= ?2 AND first_t <= ?3")?
        .execute(params![series, from, to])?;
    Ok(())
}

/// Merges `new` points into the time-ordered `old` ones. Both must be
/// sorted by time; on equal times the new value wins (last write wins),
/// and within `new` the later occurrence wins.
pub fn merge(old: &[(i64, f64)], new: &[(i64, f64)]) -> Vec<(i64, f64)> {
    let mut out: Vec<(i64, f64)> = Vec::with_capacity(old.len() + new.len());
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        let take_new = j < new.len() && (i == old.len() || new[j].0 <= old[i].0);
        let point = if take_new {
            if i < old.len() && old[i].0 == new[j].0 {
                i += 1;
            }
            j += 1;
            new[j - 1]
        } else {
            i += 1;
            old[i - 1]
        };
        match out.last_mut() {
            Some(last) if last.0 == point.0 => *last = point,
            _ => out.push(point),
        }
    }
    out
}

/// Sorts a batch's points of one series by time, keeping for each time the
/// value written last. Points that arrive in order (the usual case) cost
/// one pass.
pub fn sort_last_wins(points: &mut Vec<(i64, f64)>) {
    if points.windows(2).all(|w| w[0].0 < w[1].0) {
        return;
    }
    points.sort_by_key(|p| p.0); // stable: equal times keep batch order
    let mut kept = 0;
    for i in 0..points.len() {
        if kept > 0 && points[kept - 1].0 == points[i].0 {
            points[kept - 1] = points[i];
        } else {
            points[kept] = points[i];
            kept += 1;
        }
    }
    points.truncate(kept);
}

/// Sorts the points of one series gathered from several batches, which
/// start at `batch_starts` and are each sorted with one point per time
/// (as `Store::write_batch` logs them), keeping for each time the value
/// written last. Batches that do not overlap in time (producers sending
/// consecutive spans, however their requests interleave) are only put in
/// order: one copy instead of a merge sort.
pub fn sort_gathered(points: &mut Vec<(i64, f64)>, batch_starts: &[usize]) {
    let ends = batch_starts.iter().skip(1).copied().chain([points.len()]);
    let mut batches: Vec<std::ops::Range<usize>> = batch_starts.iter().zip(ends).map(|(&a, b)| a..b).collect();
    batches.retain(|b| !b.is_empty());
    let ordered = |s: &[(i64, f64)]| s.windows(2).all(|w| w[0].0 < w[1].0);
    if !batches.iter().all(|b| ordered(&points[b.clone()])) {
        return sort_last_wins(points);
    }
    batches.sort_by_key(|b| points[b.start].0);
    if !batches
        .windows(2)
        .all(|w| points[w[0].end - 1].0 < points[w[1].start].0)
    {
        return sort_last_wins(points);
    }
    if batches.windows(2).all(|w| w[0].end == w[1].start) {
        return;
    }
    let mut sorted = Vec::with_capacity(points.len());
    for b in batches {
        sorted.extend_from_slice(&points[b]);
    }
    *points = sorted;
}

/// Splits time-ordered points where the step to the next point is over
/// [`HOLE_STEPS`] times their mean step. A block stored with a hole in it
/// would turn the late batch that fills the hole into a rewrite of the
/// window; split there, the late points fall in a gap between blocks.
pub fn split_at_holes(points: &[(i64, f64)]) -> impl Iterator<Item = &[(i64, f64)]> {
    let limit = hole_limit(points).unwrap_or(i64::MAX);
    points.chunk_by(move |a, b| b.0 - a.0 <= limit)
}

/// The longest step that is no hole among time-ordered `points`:
/// [`HOLE_STEPS`] times their mean step; `None` with fewer than two points.
pub fn hole_limit(points: &[(i64, f64)]) -> Option<i64> {
    match (points.first(), points.last()) {
        (Some(first), Some(last)) if points.len() >= 2 => {
            Some((last.0 - first.0) / (points.len() as i64 - 1) * HOLE_STEPS)
        }
        _ => None,
    }
}

/// See [`split_at_holes`].
const HOLE_STEPS: i64 = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[test]
    fn new_values_replace_old_ones_at_the_same_time() {
        let old = [(1, 1.0), (3, 3.0), (5, 5.0)];
        let new = [(0, 0.5), (3, 30.0), (4, 4.0), (9, 9.0)];
        assert_eq!(
            merge(&old, &new),
            [(0, 0.5), (1, 1.0), (3, 30.0), (4, 4.0), (5, 5.0), (9, 9.0)]
        );
        assert_eq!(merge(&[], &new), new);
        assert_eq!(merge(&old, &[]), old);
    }

    #[test]
    fn within_a_batch_the_later_write_wins() {
        let mut batch = vec![(5, 1.0), (2, 2.0), (5, 3.0), (2, 4.0)];
        sort_last_wins(&mut batch);
        assert_eq!(batch, [(2, 4.0), (5, 3.0)]);
        let mut in_order = vec![(1, 1.0), (2, 2.0), (2, 3.0)];
        sort_last_wins(&mut in_order);
        assert_eq!(in_order, [(1, 1.0), (2, 3.0)], "a repeated time at the end");
    }

    #[test]
    fn gathered_batches_that_do_not_overlap_are_put_in_order() {
        let mut points = vec![(20, 2.0), (21, 2.1), (0, 0.0), (1, 0.1), (10, 1.0)];
        sort_gathered(&mut points, &[0, 2, 4]);
        assert_eq!(points, [(0, 0.0), (1, 0.1), (10, 1.0), (20, 2.0), (21, 2.1)]);
        let mut overlapping = vec![(0, 0.0), (5, 0.5), (5, 5.0), (6, 6.0)];
        sort_gathered(&mut overlapping, &[0, 2]);
        assert_eq!(overlapping, [(0, 0.0), (5, 5.0), (6, 6.0)], "the later batch wins");
    }

    #[test]
    fn blocks_split_where_a_batch_is_missing() {
        let at = |times: &[i64]| times.iter().map(|&t| (t, 0.0)).collect::<Vec<_>>();
        let with_hole = at(&[0, 1, 2, 3, 50, 51, 52]);
        let pieces: Vec<usize> = split_at_holes(&with_hole).map(<[_]>::len).collect();
        assert_eq!(pieces, [4, 3]);
        let steady = at(&[0, 10, 20, 30, 40]);
        assert_eq!(split_at_holes(&steady).count(), 1);
        assert_eq!(
            split_at_holes(&at(&[0, 1000])).count(),
            1,
            "two points have no typical step"
        );
        assert_eq!(split_at_holes(&[]).count(), 0);
        let same_time = at(&[5, 5, 5]);
        assert_eq!(split_at_holes(&same_time).count(), 1);
    }

    proptest! {
        /// Gathering batches and sorting them equals replaying every write.
        #[test]
        fn sort_gathered_is_replay(batches in prop::collection::vec(prop::collection::vec((0i64..200, -100i32..100), 1..20), 1..8)) {
            let (mut gathered, mut starts, mut model) = (Vec::new(), Vec::new(), BTreeMap::new());
            for batch in batches {
                let mut points: Vec<(i64, f64)> = batch.iter().map(|&(t, v)| (t, f64::from(v))).collect();
                points.iter().for_each(|&(t, v)| { model.insert(t, v); });
                sort_last_wins(&mut points);
                starts.push(gathered.len());
                gathered.extend(points);
            }
            sort_gathered(&mut gathered, &starts);
            prop_assert_eq!(gathered, model.into_iter().collect::<Vec<_>>());
        }

        /// Merging batch after batch equals replaying every write into a map.
        #[test]
        fn merge_is_replay(batches in prop::collection::vec(prop::collection::vec((0i64..50, -100i32..100), 0..20), 0..6)) {
            let mut stored: Vec<(i64, f64)> = Vec::new();
            let mut model = BTreeMap::new();
            for batch in batches {
                let mut points: Vec<(i64, f64)> = batch.iter().map(|&(t, v)| (t, f64::from(v))).collect();
                for &(t, v) in &points {
                    model.insert(t, v);
                }
                sort_last_wins(&mut points);
                stored = merge(&stored, &points);
            }
            prop_assert_eq!(stored, model.into_iter().collect::<Vec<_>>());
        }
    }
}
