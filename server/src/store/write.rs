//! Applying logged batches to chunks, rollups and the catalogue, many
//! batches per transaction, together with the deletion of their log rows.
//!
//! Per series, the points of all batches are gathered in write order and
//! sorted (the later of two writes at one time wins), split by chunk
//! window and placed window by window (see `place`); then the series'
//! catalogue row is updated.

use super::catalogue::{Catalogue, SeriesState};
use super::chunk::{sort_last_wins, CHUNK_MS};
use super::log;
use super::place::{place, Fit, Neighbours};
use super::rollup::bucket_start;
use super::StoreError;
use crate::ingest::{SeriesPoints, ValidBatch};
use rusqlite::{params, Connection, Transaction};
use rustc_hash::FxHashMap;

/// What an acknowledged batch holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct WriteSummary {
    /// Points in the batch (replacements included).
    pub points: usize,
    /// Distinct series the batch touched.
    pub series: usize,
    /// Series that did not exist before.
    pub new_series: usize,
}

/// Applies `batches`, whose log rows end at `logged_to`, in one
/// transaction that also trims the log. Should that fail, each batch is
/// applied alone so that the others still land; a batch that cannot be
/// applied even alone is dropped from the log with an error (it passed
/// validation, so only a damaged database gets there). Errors are those
/// of the database, when nothing could be applied.
pub(super) fn apply(
    conn: &mut Connection,
    catalogue: &mut Catalogue,
    batches: &[ValidBatch],
    logged_to: Option<i64>,
) -> Result<(), StoreError> {
    let Err(first) = apply_together(conn, catalogue, batches, logged_to) else {
        return Ok(());
    };
    if batches.len() == 1 && logged_to.is_none() {
        return Err(first);
    }
    tracing::warn!(error = %first, batches = batches.len(), "applying batches one by one");
    for batch in batches {
        if let Err(e) = apply_together(conn, catalogue, std::slice::from_ref(batch), None) {
            if e.is_busy() {
                return Err(e);
            }
            tracing::error!(error = %e, points = batch.len(), "an acknowledged batch could not be stored");
        }
    }
    if let Some(last) = logged_to {
        let tx = conn.transaction()?;
        log::trim(&tx, last)?;
        tx.commit()?;
    }
    Ok(())
}

/// One series' points gathered from every batch of a group.
struct Gathered<'a> {
    head: &'a SeriesPoints,
    unit: Option<&'a String>,
    points: Vec<(i64, f64)>,
}

fn apply_together(
    conn: &mut Connection,
    catalogue: &mut Catalogue,
    batches: &[ValidBatch],
    logged_to: Option<i64>,
) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    let now_ms = crate::clock::now_ms();
    let mut written = Vec::new();
    for mut series in gather(batches) {
        let (state, _) = catalogue.resolve(&tx, series.head, series.unit, now_ms)?;
        sort_last_wins(&mut series.points);
        written.push((&series.head.key, write_series(&tx, state, &series.points)?));
    }
    if let Some(last) = logged_to {
        log::trim(&tx, last)?;
    }
    tx.commit()?;
    for (key, state) in written {
        catalogue.remember(key, state);
    }
    Ok(())
}

/// Each series of `batches` with its points in write order (batch after
/// batch), so that the last write of a time still wins.
fn gather(batches: &[ValidBatch]) -> Vec<Gathered<'_>> {
    let mut all: Vec<Gathered> = Vec::new();
    let mut slots: FxHashMap<&str, usize> = FxHashMap::default();
    for batch in batches {
        for series in batch.series() {
            let slot = *slots.entry(series.key.as_str()).or_insert_with(|| {
                all.push(Gathered {
                    head: series,
                    unit: None,
                    points: Vec::with_capacity(series.points.len()),
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
    fn a_batch_that_cannot_be_applied_does_not_hold_back_the_others() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut conn).unwrap();
        conn.execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON series WHEN NEW.name = 'bad'
             BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        )
        .unwrap();
        let group = [
            batch("a", &[(1_000, 1.0), (2_000, 2.0)]),
            batch("bad", &[(1_000, 1.0)]),
            batch("a", &[(2_000, 20.0), (3_000, 3.0)]),
        ];
        let tx = conn.transaction().unwrap();
        for b in &group {
            log::append(&tx, &log::encode(b).unwrap()).unwrap();
        }
        let last = log::newest(&tx).unwrap();
        tx.commit().unwrap();
        apply(&mut conn, &mut Catalogue::default(), &group, last).unwrap();
        let stored = super::super::read::read_points(&conn, 1, 0, 10_000).unwrap();
        assert_eq!(stored, [(1_000, 1.0), (2_000, 20.0), (3_000, 3.0)], "later batch wins");
        let series: i64 = conn.query_row("SELECT count(*) FROM series", [], |r| r.get(0)).unwrap();
        assert_eq!(series, 1);
        let logged: i64 = conn
            .query_row("SELECT count(*) FROM ingest_log", [], |r| r.get(0))
            .unwrap();
        assert_eq!(logged, 0, "the log is trimmed");
    }

    #[test]
    fn a_lone_batch_reports_its_error() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut conn).unwrap();
        conn.execute_batch("CREATE TRIGGER refuse BEFORE INSERT ON chunks BEGIN SELECT RAISE(ABORT, 'full'); END;")
            .unwrap();
        assert!(apply(&mut conn, &mut Catalogue::default(), &[batch("a", &[(1, 1.0)])], None).is_err());
    }
}
