//! Batch writes: a batch is stored whole or not at all, in one transaction
//! with the batches that were waiting alongside it (group commit), and
//! the 2xx goes out only after the commit.
//!
//! Per series, the batch's points are sorted (the later of two writes at
//! one time wins), split by chunk window and placed window by window (see
//! `place`); then the series' catalogue row is updated.

use super::catalogue::{Catalogue, SeriesState};
use super::chunk::{sort_last_wins, CHUNK_MS};
use super::place::{place, Fit, Neighbours};
use super::rollup::bucket_start;
use super::StoreError;
use crate::ingest::{SeriesPoints, ValidBatch};
use rusqlite::{params, Connection, Transaction};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// What a committed batch changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct WriteSummary {
    /// Points in the batch (replacements included).
    pub points: usize,
    /// Distinct series the batch touched.
    pub series: usize,
    /// Series that did not exist before.
    pub new_series: usize,
}

/// Writes `batches` in one transaction when all of them can be stored,
/// else each in its own, so that a failing batch fails alone. Returns one
/// result per batch, in order; each batch is stored whole or not at all.
pub(super) fn write_group(
    conn: &mut Connection,
    catalogue: &Mutex<Catalogue>,
    batches: &[ValidBatch],
) -> Vec<Result<WriteSummary, StoreError>> {
    let mut catalogue = catalogue.lock().unwrap_or_else(PoisonError::into_inner);
    match write_batches(conn, &mut catalogue, batches) {
        Ok(summaries) => summaries.into_iter().map(Ok).collect(),
        Err(e) if batches.len() == 1 => vec![Err(e)],
        Err(_) => batches
            .iter()
            .map(|b| Ok(write_batches(conn, &mut catalogue, std::slice::from_ref(b))?[0]))
            .collect(),
    }
}

/// One series' points gathered from every batch of a group.
struct Gathered<'a> {
    head: &'a SeriesPoints,
    unit: Option<&'a String>,
    points: Vec<(i64, f64)>,
    /// The batch that named the series first: it is the one that creates it.
    first_batch: usize,
}

fn write_batches(
    conn: &mut Connection,
    catalogue: &mut Catalogue,
    batches: &[ValidBatch],
) -> Result<Vec<WriteSummary>, StoreError> {
    let mut summaries: Vec<WriteSummary> = batches
        .iter()
        .map(|b| WriteSummary {
            points: b.len(),
            series: b.series().len(),
            new_series: 0,
        })
        .collect();
    let tx = conn.transaction()?;
    let now_ms = crate::clock::now_ms();
    let mut written = Vec::new();
    for mut series in gather(batches) {
        let (state, created) = catalogue.resolve(&tx, series.head, series.unit, now_ms)?;
        summaries[series.first_batch].new_series += usize::from(created);
        sort_last_wins(&mut series.points);
        written.push((&series.head.key, write_series(&tx, state, &series.points)?));
    }
    tx.commit()?;
    for (key, state) in written {
        catalogue.remember(key, state);
    }
    Ok(summaries)
}

/// Each series of `batches` with its points in write order (batch after
/// batch), so that the last write of a time still wins.
fn gather(batches: &[ValidBatch]) -> Vec<Gathered<'_>> {
    let mut all: Vec<Gathered> = Vec::new();
    let mut slots: HashMap<&str, usize> = HashMap::new();
    for (b, batch) in batches.iter().enumerate() {
        for series in batch.series() {
            let slot = *slots.entry(series.key.as_str()).or_insert_with(|| {
                all.push(Gathered {
                    head: series,
                    unit: None,
                    points: Vec::with_capacity(series.points.len()),
                    first_batch: b,
                });
                all.len() - 1
            });
            let gathered = &mut all[slot];
            gathered.points.extend_from_slice(&series.points);
            if series.unit.is_some() {
                gathered.unit = series.unit.as_ref();
            }
        }
    }
    all
}

/// Writes time-ordered, duplicate-free `points` of a series into its
/// chunks and rollups, updates its catalogue row, and returns its new state.
fn write_series(tx: &Transaction, mut state: SeriesState, points: &[(i64, f64)]) -> Result<SeriesState, StoreError> {
    let (Some(&(first_t, _)), Some(&(last_t, last_v))) = (points.first(), points.last()) else {
        return Ok(state);
    };
    let mut added = 0;
    let mut rest = points;
    while let Some(&(t, _)) = rest.first() {
        let window = bucket_start(t, CHUNK_MS);
        let split = rest.partition_point(|p| p.0 < window + CHUNK_MS);
        // Newer than every stored point: the gap after the last chunk.
        let known = match state.last_t {
            None => Some(Fit::one_gap(split, Neighbours::default())),
            Some(newest) if newest < t => Some(Fit::one_gap(
                split,
                Neighbours {
                    before: Some(newest),
                    after: None,
                },
            )),
            Some(_) => None,
        };
        added += place(tx, state.id, window, &rest[..split], known)?;
        state.last_t = Some(state.last_t.map_or(rest[split - 1].0, |l| l.max(rest[split - 1].0)));
        rest = &rest[split..];
    }
    tx.prepare_cached(
        "UPDATE series SET
            count = count + ?2,
            first_t = min(coalesce(first_t, ?3), ?3),
            last_t = max(coalesce(last_t, ?4), ?4),
            last_v = CASE WHEN last_t IS NULL OR ?4 >= last_t THEN ?5 ELSE last_v END
         WHERE id = ?1",
    )?
    .execute(params![state.id, added, first_t, last_t, last_v])?;
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::validate_point;

    fn batch(name: &str, points: &[(i64, f64)]) -> ValidBatch {
        let valid = points
            .iter()
            .map(|&(t, v)| validate_point(name.into(), Default::default(), None, t, v).unwrap())
            .collect();
        ValidBatch::new(valid).unwrap()
    }

    #[test]
    fn a_failing_batch_fails_alone_and_the_group_is_stored() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut conn).unwrap();
        conn.execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON series WHEN NEW.name = 'bad'
             BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        )
        .unwrap();
        let catalogue = Mutex::new(Catalogue::default());
        let group = [
            batch("a", &[(1_000, 1.0), (2_000, 2.0)]),
            batch("bad", &[(1_000, 1.0)]),
            batch("a", &[(2_000, 20.0), (3_000, 3.0)]),
        ];
        let results = write_group(&mut conn, &catalogue, &group);
        assert_eq!(
            results[0].as_ref().unwrap(),
            &WriteSummary {
                points: 2,
                series: 1,
                new_series: 1
            }
        );
        assert!(results[1].is_err());
        assert_eq!(results[2].as_ref().unwrap().new_series, 0);
        let stored = super::super::read::read_points(&conn, 1, 0, 10_000).unwrap();
        assert_eq!(stored, [(1_000, 1.0), (2_000, 20.0), (3_000, 3.0)], "later batch wins");
        let series: i64 = conn.query_row("SELECT count(*) FROM series", [], |r| r.get(0)).unwrap();
        assert_eq!(series, 1);
    }

    #[test]
    fn a_group_counts_new_series_once_for_the_batch_that_named_them_first() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut conn).unwrap();
        let catalogue = Mutex::new(Catalogue::default());
        let group = [
            batch("a", &[(1_000, 1.0)]),
            batch("a", &[(2_000, 2.0)]),
            batch("b", &[(1_000, 1.0)]),
        ];
        let new: Vec<usize> = write_group(&mut conn, &catalogue, &group)
            .into_iter()
            .map(|r| r.unwrap().new_series)
            .collect();
        assert_eq!(new, [1, 0, 1]);
    }
}
