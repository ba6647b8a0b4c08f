//! Writing heads out: a few series' head points into chunks, rollups and
//! their series rows in one transaction, then trimmed from the head.

use super::apply::write_series;
use super::known_series::{KnownSeries, SeriesState};
use super::StoreError;
use crate::store::head::Head;
use rusqlite::Connection;

/// Writes out the heads of `series`, each up to its time (all of it for
/// `None`), together. Should that fail, each is
/// written alone so that the others still land; a head that cannot be
/// written even alone is dropped with an error (its points passed
/// validation, so only a damaged database gets there). Busy errors stop
/// here, to be retried.
pub fn write_out(
    conn: &mut Connection,
    known: &mut KnownSeries,
    head: &Head,
    series: &[(i64, Option<i64>)],
) -> Result<(), StoreError> {
    let Err(first) = write_together(conn, known, head, series) else {
        return Ok(());
    };
    if first.is_busy() {
        return Err(first);
    }
    tracing::warn!(error = %first, series = series.len(), "writing heads out one by one");
    for &(id, through) in series {
        if let Err(e) = write_together(conn, known, head, &[(id, through)]) {
            if e.is_busy() {
                return Err(e);
            }
            let lost = head.points_of(id).map_or(0, |p| p.len());
            tracing::error!(error = %e, series = id, points = lost, "acknowledged points could not be stored");
            head.trim(id, i64::MAX);
        }
    }
    Ok(())
}

fn write_together(
    conn: &mut Connection,
    known: &mut KnownSeries,
    head: &Head,
    series: &[(i64, Option<i64>)],
) -> Result<(), StoreError> {
    let written = (|| {
        let tx = conn.transaction()?;
        let mut written: Vec<(SeriesState, i64)> = Vec::with_capacity(series.len());
        for &(id, up_to) in series {
            let Some(all) = head.points_of(id) else {
                continue;
            };
            let points = &all[..up_to.map_or(all.len(), |t| all.partition_point(|p| p.0 <= t))];
            let Some(&(through, _)) = points.last() else {
                continue;
            };
            let Some(state) = known.by_id(&tx, id)? else {
                return Err(StoreError::Failed(format!("series {id} has a head but no row")));
            };
            written.push((write_series(&tx, state, points)?, through));
        }
        tx.commit()?;
        Ok(written)
    })();
    match written {
        Ok(written) => {
            for (state, through) in written {
                known.remember(state);
                head.trim(state.id, through);
            }
            Ok(())
        }
        Err(e) => {
            known.forget_all();
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::head::Fresh;

    #[test]
    fn written_heads_land_in_chunks_and_leave_the_head() {
        let mut conn = crate::store::test_db::migrated();
        conn.execute(
            "INSERT INTO series (key, name, labels, created_ms) VALUES ('a', 'a', '{}', 0)",
            [],
        )
        .unwrap();
        let head = Head::default();
        head.add(&[Fresh {
            series: 1,
            points: &[(1_000, 1.0), (2_000, 2.0)],
            row: 1,
        }]);
        let mut known = KnownSeries::default();
        write_out(&mut conn, &mut known, &head, &[(1, None)]).unwrap();
        assert_eq!(
            crate::store::chunks::scan::points(&conn, 1, 0, 10_000).unwrap(),
            [(1_000, 1.0), (2_000, 2.0)]
        );
        assert_eq!(head.points(), 0);
        let (count, last): (i64, i64) = conn
            .query_row("SELECT count, last_t FROM series WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((count, last), (2, 2_000));
    }

    #[test]
    fn a_head_that_cannot_be_written_is_dropped_and_the_others_land() {
        let mut conn = crate::store::test_db::migrated();
        conn.execute_batch(
            "INSERT INTO series (key, name, labels, created_ms) VALUES ('a', 'a', '{}', 0), ('b', 'b', '{}', 0);
             CREATE TRIGGER refuse BEFORE INSERT ON chunks WHEN NEW.series_id = 2
             BEGIN SELECT RAISE(ABORT, 'full'); END;",
        )
        .unwrap();
        let head = Head::default();
        head.add(&[
            Fresh {
                series: 1,
                points: &[(1_000, 1.0)],
                row: 1,
            },
            Fresh {
                series: 2,
                points: &[(1_000, 1.0)],
                row: 1,
            },
        ]);
        write_out(&mut conn, &mut KnownSeries::default(), &head, &[(1, None), (2, None)]).unwrap();
        assert_eq!(
            crate::store::chunks::scan::points(&conn, 1, 0, 10_000).unwrap(),
            [(1_000, 1.0)]
        );
        assert_eq!(head.points(), 0, "not retried for ever");
    }
}
