//! Applying logged batches to chunks, rollups and the series table: many
//! batches at once, a few series per transaction. The committer applies
//! this way the late points of batches (those at or before a series'
//! newest stored time, which the head cannot take), and start-up applies
//! every batch left in the log.
//!
//! Per series, the points of all batches are gathered in write order and
//! sorted (the later of two writes at one time wins; batches that do not
//! overlap in time are only put in order), split by chunk
//! window and placed window by window (see `place`); then the series'
//! row in the series table is updated.

use super::known_series::{KnownSeries, SeriesState};
use super::rows as log;
use super::StoreError;
use crate::batch::{SeriesPoints, ValidBatch};
use crate::store::chunks::{place, Fit, Neighbours};
use crate::store::chunks::{sort_gathered, CHUNK_MS};
use app::domain::bucket_start;
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

/// Applies `batches`, whose log rows end at `logged_to`, all at once, and
/// then deletes those rows (as at start-up); see [`Application`].
pub(in crate::store) fn apply(
    conn: &mut Connection,
    known: &mut KnownSeries,
    batches: Vec<ValidBatch>,
    logged_to: Option<i64>,
) -> Result<(), StoreError> {
    let mut application = Application::new(batches);
    while !application.is_done() {
        application.step(conn, known, usize::MAX)?;
    }
    if let Some(last) = logged_to {
        let tx = conn.transaction()?;
        log::trim(&tx, last)?;
        tx.commit()?;
    }
    Ok(())
}

/// Logged batches being applied to chunks, rollups and the series table,
/// a few series per transaction so that the writer can commit new batches
/// to the log in between. Their log rows are the caller's to delete.
///
/// Should the process stop half-way, the log still holds every batch and
/// applying them again at start-up gives the same result: a point already
/// stored is replaced by itself.
pub(super) struct Application {
    /// Each series' points from every batch, in write order (batch after
    /// batch), so that the last write of a time still wins; its unit is the
    /// last one given.
    series: Vec<SeriesPoints>,
    next: usize,
}

impl Application {
    /// Gathers `batches` by series.
    pub fn new(batches: Vec<ValidBatch>) -> Application {
        let (placed, totals) = slots_of(&batches);
        let mut series: Vec<Option<SeriesPoints>> = totals.iter().map(|_| None).collect();
        // Where each batch's points start in each series' gathered points.
        let mut batch_starts: Vec<Vec<usize>> = vec![Vec::new(); totals.len()];
        for (batch, batch_slots) in batches.into_iter().zip(placed) {
            for (mut s, slot) in batch.into_series().into_iter().zip(batch_slots) {
                match &mut series[slot] {
                    Some(gathered) => {
                        batch_starts[slot].push(gathered.points.len());
                        gathered.points.extend_from_slice(&s.points);
                        if s.unit.is_some() {
                            gathered.unit = s.unit;
                        }
                    }
                    empty => {
                        s.points.reserve_exact(totals[slot] - s.points.len());
                        batch_starts[slot].push(0);
                        *empty = Some(s);
                    }
                }
            }
        }
        let mut series: Vec<SeriesPoints> = series.into_iter().flatten().collect();
        for (s, starts) in series.iter_mut().zip(&batch_starts) {
            sort_gathered(&mut s.points, starts);
        }
        Application { series, next: 0 }
    }

    pub fn is_done(&self) -> bool {
        self.next >= self.series.len()
    }

    /// Applies the next series, at least one and about `budget` points, in
    /// one transaction. Should that fail, each of them is applied alone so
    /// that the others still land; a series that cannot be applied even
    /// alone is dropped with an error (it passed validation, so only a
    /// damaged database gets there). Busy errors stop the step, to be
    /// retried.
    pub fn step(&mut self, conn: &mut Connection, known: &mut KnownSeries, budget: usize) -> Result<(), StoreError> {
        let from = self.next;
        let mut end = from;
        let mut points = 0;
        while end < self.series.len() && (end == from || points < budget) {
            points += self.series[end].points.len();
            end += 1;
        }
        let Err(first) = apply_together(conn, known, &self.series[from..end]) else {
            self.next = end;
            return Ok(());
        };
        if first.is_busy() {
            return Err(first);
        }
        tracing::warn!(error = %first, series = end - from, "applying series one by one");
        for i in from..end {
            if let Err(e) = apply_together(conn, known, &self.series[i..=i]) {
                if e.is_busy() {
                    return Err(e);
                }
                let lost = &self.series[i];
                tracing::error!(error = %e, series = %lost.key, points = lost.points.len(),
                    "acknowledged points could not be stored");
            }
            self.next = i + 1;
        }
        Ok(())
    }
}

/// Each series' slot (in order of first appearance) for every series of
/// every batch, and each slot's point count over all batches: counted
/// first, so that a series' points are gathered into one allocation of
/// their final size rather than a vector grown (and copied) batch after
/// batch.
fn slots_of(batches: &[ValidBatch]) -> (Vec<Vec<usize>>, Vec<usize>) {
    let mut slots: FxHashMap<&str, usize> = FxHashMap::default();
    let mut totals: Vec<usize> = Vec::new();
    let placed = batches
        .iter()
        .map(|batch| {
            batch
                .series()
                .iter()
                .map(|s| {
                    let slot = *slots.entry(s.key.as_str()).or_insert_with(|| {
                        totals.push(0);
                        totals.len() - 1
                    });
                    totals[slot] += s.points.len();
                    slot
                })
                .collect()
        })
        .collect();
    (placed, totals)
}

fn apply_together(conn: &mut Connection, known: &mut KnownSeries, series: &[SeriesPoints]) -> Result<(), StoreError> {
    let written = (|| {
        let tx = conn.transaction()?;
        let now_ms = crate::clock::now_ms();
        let mut written = Vec::with_capacity(series.len());
        for s in series {
            let (state, _) = known.resolve(&tx, s, None, now_ms)?;
            written.push(write_series(&tx, state, &s.points)?);
        }
        tx.commit()?;
        Ok::<_, StoreError>(written)
    })();
    match written {
        Ok(written) => {
            for state in written {
                known.remember(state);
            }
            Ok(())
        }
        Err(e) => {
            known.forget_all();
            Err(e)
        }
    }
}

/// Writes time-ordered, duplicate-free `points` of a series into its
/// chunks and rollups, updates its series row, and returns its new state.
pub(super) fn write_series(
    tx: &Transaction,
    mut state: SeriesState,
    points: &[(i64, f64)],
) -> Result<SeriesState, StoreError> {
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
    use crate::batch::validate_point;

    fn batch(name: &str, points: &[(i64, f64)]) -> ValidBatch {
        let valid = points
            .iter()
            .map(|&(t, v)| validate_point(name.into(), Default::default(), None, t, v).unwrap())
            .collect();
        ValidBatch::new(valid).unwrap()
    }

    #[test]
    fn a_batch_that_cannot_be_applied_does_not_hold_back_the_others() {
        let mut conn = crate::store::test_db::migrated();
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
        apply(&mut conn, &mut KnownSeries::default(), group.to_vec(), last).unwrap();
        let stored = crate::store::chunks::scan::points(&conn, 1, 0, 10_000).unwrap();
        assert_eq!(stored, [(1_000, 1.0), (2_000, 20.0), (3_000, 3.0)], "later batch wins");
        let series: i64 = conn.query_row("SELECT count(*) FROM series", [], |r| r.get(0)).unwrap();
        assert_eq!(series, 1);
        let logged: i64 = conn
            .query_row("SELECT count(*) FROM ingest_log", [], |r| r.get(0))
            .unwrap();
        assert_eq!(logged, 0, "the log is trimmed");
    }

    #[test]
    fn a_series_that_cannot_be_stored_does_not_block_the_log() {
        let mut conn = crate::store::test_db::migrated();
        conn.execute_batch("CREATE TRIGGER refuse BEFORE INSERT ON chunks BEGIN SELECT RAISE(ABORT, 'full'); END;")
            .unwrap();
        let tx = conn.transaction().unwrap();
        let only = batch("a", &[(1, 1.0)]);
        log::append(&tx, &log::encode(&only).unwrap()).unwrap();
        let last = log::newest(&tx).unwrap();
        tx.commit().unwrap();
        apply(&mut conn, &mut KnownSeries::default(), vec![only], last).unwrap();
        let logged: i64 = conn
            .query_row("SELECT count(*) FROM ingest_log", [], |r| r.get(0))
            .unwrap();
        assert_eq!(logged, 0, "dropped with an error, not retried for ever");
    }

    #[test]
    fn steps_apply_a_few_series_each() {
        let mut conn = crate::store::test_db::migrated();
        let group = vec![
            batch("a", &[(1_000, 1.0), (2_000, 2.0)]),
            batch("b", &[(1_000, 1.0)]),
            batch("c", &[(5, 5.0)]),
        ];
        let tx = conn.transaction().unwrap();
        for b in &group {
            log::append(&tx, &log::encode(b).unwrap()).unwrap();
        }
        tx.commit().unwrap();
        let mut known = KnownSeries::default();
        let mut application = Application::new(group);
        let count = |conn: &Connection, sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        application.step(&mut conn, &mut known, 2).unwrap();
        assert_eq!(
            count(&conn, "SELECT count(*) FROM series"),
            1,
            "a's two points fill the budget"
        );
        assert!(!application.is_done());
        application.step(&mut conn, &mut known, 2).unwrap();
        assert_eq!(count(&conn, "SELECT count(*) FROM series"), 3, "b and c");
        assert_eq!(
            count(&conn, "SELECT count(*) FROM ingest_log"),
            3,
            "the log is the caller's"
        );
        assert!(application.is_done());
    }
}
