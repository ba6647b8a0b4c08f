//! Growing a window's newest small block: a write of a few points right
//! after it is decoded into it, extended and re-encoded in place, so that a
//! series written a point at a time adds a row every [`GROW_UP_TO`] points
//! instead of every point.

use super::chunk::hole_limit;
use super::{codec, StoreError};
use app::domain::Summary;
use rusqlite::{params, OptionalExtension, Transaction};

/// A block grows by rewriting while it holds fewer points than this: a
/// few points written right after it join it instead of adding a row, so
/// points that arrive one at a time do not each pay a row's fixed cost
/// (summary columns, index entry, b-tree cell: about 100 bytes).
pub const GROW_UP_TO: usize = 64;

/// Writes of at most this many points of a series grow the block before
/// them; longer ones pay a row's cost over enough points (under 7 bytes
/// each) that looking the block up is not worth it.
pub const GROWS_WITH: usize = 16;

/// Adds `points` (sorted, all after `before`, in the window starting at
/// `window`) to the block of `series` that ends at `before`, when
/// together they hold at most [`GROW_UP_TO`] points and `points` do not
/// start after a hole (see `chunk::split_at_holes`); returns whether it did.
pub fn grow(
    tx: &Transaction,
    series: i64,
    window: i64,
    before: i64,
    points: &[(i64, f64)],
) -> Result<bool, StoreError> {
    if points.len() > GROWS_WITH {
        return Ok(false);
    }
    let newest: Option<(i64, i64, i64)> = tx
        .prepare_cached(
            "SELECT rowid, last_t, count FROM chunks
             WHERE series_id = ?1 AND first_t >= ?2 AND first_t <= ?3 ORDER BY first_t DESC LIMIT 1",
        )?
        .query_row(params![series, window, before], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((rowid, last_t, count)) = newest else {
        return Ok(false);
    };
    if last_t != before || count.max(0) as usize + points.len() > GROW_UP_TO {
        return Ok(false);
    }
    let data: Vec<u8> = tx
        .prepare_cached("SELECT data FROM chunks WHERE rowid = ?1")?
        .query_row([rowid], |r| r.get(0))?;
    let mut grown = codec::decode(&data)?;
    if !continues(&grown, points) {
        return Ok(false);
    }
    grown.extend_from_slice(points);
    let Some(s) = Summary::of(&grown) else { return Ok(false) };
    tx.prepare_cached(
        "UPDATE chunks SET last_t = ?2, count = ?3, min = ?4, max = ?5, sum = ?6, last_v = ?7, data = ?8
         WHERE rowid = ?1",
    )?
    .execute(params![
        rowid,
        s.end,
        s.count as i64,
        s.min,
        s.max,
        s.sum,
        s.last,
        codec::encode(&grown)
    ])?;
    Ok(true)
}

/// Whether `next` follows `block` with no step over the block's
/// [`hole_limit`] (any step, for a block too short to have one).
fn continues(block: &[(i64, f64)], next: &[(i64, f64)]) -> bool {
    let (Some(limit), Some(last)) = (hole_limit(block), block.last()) else {
        return true;
    };
    let mut prev = last.0;
    next.iter().all(|p| {
        let step = p.0.saturating_sub(prev);
        prev = p.0;
        step <= limit
    })
}

#[cfg(test)]
mod tests {
    use super::super::chunk::CHUNK_MS;
    use super::super::place::place;
    use super::*;
    use crate::store::test_db::one_series;
    use app::domain::bucket_start;
    use rusqlite::Connection;

    fn store_one_by_one(conn: &mut Connection, points: &[(i64, f64)]) {
        for &p in points {
            let tx = conn.transaction().unwrap();
            let window = bucket_start(p.0, CHUNK_MS);
            place(&tx, 1, window, &[p], None).unwrap();
            tx.commit().unwrap();
        }
    }

    fn rows_and_points(conn: &Connection) -> (i64, Vec<(i64, f64)>) {
        let rows = conn.query_row("SELECT count(*) FROM chunks", [], |r| r.get(0)).unwrap();
        (rows, super::super::scan::points(conn, 1, 0, i64::MAX).unwrap())
    }

    #[test]
    fn points_written_one_at_a_time_grow_the_newest_block() {
        let mut conn = one_series();
        let points: Vec<(i64, f64)> = (0..200).map(|i| (i * 1000, (i % 7) as f64)).collect();
        store_one_by_one(&mut conn, &points);
        let (rows, stored) = rows_and_points(&conn);
        assert_eq!(rows as usize, 200_usize.div_ceil(GROW_UP_TO));
        assert_eq!(stored, points);
        let (count, sum): (i64, f64) = conn
            .query_row("SELECT sum(count), sum(sum) FROM chunks", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(
            (count, sum),
            (200, points.iter().map(|p| p.1).sum()),
            "summaries follow"
        );
        let unsealed: i64 = conn
            .query_row("SELECT count(*) FROM unsealed", [], |r| r.get(0))
            .unwrap();
        assert_eq!(unsealed, 1, "the window holds several blocks");
    }

    #[test]
    fn a_block_does_not_grow_across_a_hole_or_a_window() {
        let mut conn = one_series();
        let hour = CHUNK_MS;
        let points = [
            (0, 1.0),
            (1_000, 2.0),
            (2_000, 3.0),
            (60_000, 4.0),
            (hour, 5.0),
            (hour + 1_000, 6.0),
        ];
        store_one_by_one(&mut conn, &points);
        let (rows, stored) = rows_and_points(&conn);
        assert_eq!(rows, 3, "0..2 s, the point after the hole, the next window");
        assert_eq!(stored, points);
        let late = conn.transaction().unwrap();
        place(&late, 1, 0, &[(30_000, 9.0)], None).unwrap();
        late.commit().unwrap();
        assert_eq!(
            rows_and_points(&conn).1.len(),
            points.len() + 1,
            "the hole took a late point"
        );
    }
}
