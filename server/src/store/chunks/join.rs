//! Joining a long run to its window's blocks: points written after
//! everything stored in a window are merged with the window's blocks and
//! the whole is written once, when they are many enough to pay for the
//! rewrite. A steady stream applied in large pieces (each application
//! ends inside a window that the next one continues) then leaves no
//! window for compaction to read, decode and write a second time.

use super::chunk::{self, merge};
use super::compact::{blocks_of, take_blocks};
use super::grow::GROWS_WITH;
use super::StoreError;
use rusqlite::Transaction;

/// Points the blocks may hold per new point for a join. Each join
/// rewrites at most this many stored points per new one, so a window
/// filled in pieces costs a bounded multiple of its points; points that
/// trickle in (fewer) become blocks, which compaction merges once.
const HELD_PER_NEW: usize = 4;

/// Rewrites the blocks of `series` in the window starting at `window`
/// together with `points` (sorted, all later than every stored point of
/// the window), split only at holes (see `chunk::split_at_holes`), when
/// the blocks hold at most [`HELD_PER_NEW`] points per new one. Returns
/// the rows written, or `None` when nothing was done (no block, or too
/// few new points). Writes short enough to grow a block are left to
/// `grow`, which keeps a hole among a few points apart.
pub fn join(tx: &Transaction, series: i64, window: i64, points: &[(i64, f64)]) -> Result<Option<usize>, StoreError> {
    if points.len() <= GROWS_WITH {
        return Ok(None);
    }
    let blocks = blocks_of(tx, series, window)?;
    let held: i64 = blocks.iter().map(|&(_, count)| count).sum();
    if blocks.is_empty() || held > (points.len() * HELD_PER_NEW) as i64 {
        return Ok(None);
    }
    let stored = take_blocks(tx, series, window, &blocks)?;
    let joined = merge(&stored, points);
    let mut rows = 0;
    for piece in chunk::split_at_holes(&joined) {
        rows += chunk::insert_chunks(tx, series, piece)?;
    }
    Ok(Some(rows))
}

#[cfg(test)]
mod tests {
    use crate::store::chunks::chunk::CHUNK_MS;
    use crate::store::chunks::place::place;
    use crate::store::chunks::scan::points as read_points;
    use crate::store::test_db::one_series;
    use app::domain::bucket_start;
    use rusqlite::Connection;

    fn write(conn: &mut Connection, points: &[(i64, f64)]) {
        let tx = conn.transaction().unwrap();
        let mut rest = points;
        while let Some(&(t, _)) = rest.first() {
            let window = bucket_start(t, CHUNK_MS);
            let split = rest.partition_point(|p| p.0 < window + CHUNK_MS);
            place(&tx, 1, window, &rest[..split], None).unwrap();
            rest = &rest[split..];
        }
        tx.commit().unwrap();
    }

    fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn second(from: i64, to: i64) -> Vec<(i64, f64)> {
        (from..to).map(|i| (i * 1_000, (i % 13) as f64 * 0.5)).collect()
    }

    #[test]
    fn a_stream_written_in_long_pieces_keeps_one_chunk_per_window() {
        let mut conn = one_series();
        // Pieces of 83 minutes: each ends inside a window the next continues.
        let all = second(0, 5 * 3_600);
        for piece in all.chunks(4_980) {
            write(&mut conn, piece);
        }
        assert_eq!(read_points(&conn, 1, 0, i64::MAX).unwrap(), all);
        assert_eq!(count(&conn, "SELECT count(*) FROM chunks"), 5, "one per hour");
        assert_eq!(count(&conn, "SELECT count(*) FROM unsealed"), 0, "nothing to compact");
        let (points, sum): (i64, f64) = conn
            .query_row("SELECT sum(count), sum(sum) FROM chunks", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((points, sum), (all.len() as i64, all.iter().map(|p| p.1).sum()));
    }

    #[test]
    fn few_points_after_many_make_a_block_for_compaction() {
        let mut conn = one_series();
        write(&mut conn, &second(0, 1_000));
        write(&mut conn, &second(1_000, 1_100));
        write(&mut conn, &second(1_100, 1_200));
        assert_eq!(
            count(&conn, "SELECT count(*) FROM chunks"),
            3,
            "100 points join no 1,000"
        );
        assert_eq!(count(&conn, "SELECT blocks FROM unsealed"), 2);
        write(&mut conn, &second(1_200, 1_600));
        assert_eq!(
            count(&conn, "SELECT count(*) FROM chunks"),
            1,
            "400 points join the 1,200 before them"
        );
        assert_eq!(count(&conn, "SELECT count(*) FROM unsealed"), 0);
        assert_eq!(read_points(&conn, 1, 0, i64::MAX).unwrap(), second(0, 1_600));
    }

    #[test]
    fn a_join_keeps_holes_as_chunk_edges_so_late_points_land_between_them() {
        let mut conn = one_series();
        write(&mut conn, &second(0, 500));
        // 100 seconds missing, as a batch still in flight leaves them.
        write(&mut conn, &second(600, 1_500));
        assert_eq!(count(&conn, "SELECT count(*) FROM chunks"), 2, "split at the hole");
        assert_eq!(count(&conn, "SELECT count(*) FROM unsealed"), 1);
        write(&mut conn, &second(500, 600));
        write(&mut conn, &second(1_500, 3_000));
        assert_eq!(
            count(&conn, "SELECT count(*) FROM chunks"),
            1,
            "the filled hole is joined with the rest"
        );
        assert_eq!(count(&conn, "SELECT count(*) FROM unsealed"), 0);
        assert_eq!(read_points(&conn, 1, 0, i64::MAX).unwrap(), second(0, 3_000));
    }
}
