//! The committer's memory of the series it has seen: per id, the newest
//! stored time and the unit. The newest stored time says, without a
//! query, which points go to the head (newer) and which are merged into
//! the chunks (late). Keys are resolved to ids by the writers' threads
//! through the catalogue, so the committer hashes no key for a series it
//! knows.

use super::StoreError;
use crate::batch::SeriesPoints;
use app::domain::parse_series_key;
use rusqlite::{params, OptionalExtension, Transaction};
use rustc_hash::FxHashMap;

/// What the writer knows of one stored series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesState {
    pub id: i64,
    /// Time of the newest point in chunks (the head's points are newer);
    /// `None` when the series has none there.
    pub last_t: Option<i64>,
}

/// One series' slot, by id (ids are dense: the series table's rowids).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    loaded: bool,
    last_t: Option<i64>,
}

/// Series states by id. Only the writer thread uses it. A state may come
/// from the transaction under way (a series it created); should that
/// transaction fail, the writer forgets everything
/// ([`KnownSeries::forget_all`]) and the memory refills from the database.
#[derive(Debug, Default)]
pub struct KnownSeries {
    slots: Vec<Slot>,
    /// The unit of every loaded series that has one.
    units: FxHashMap<i64, Box<str>>,
}

impl KnownSeries {
    /// The state of the series with id `id`, if it exists.
    pub fn by_id(&mut self, tx: &Transaction, id: i64) -> Result<Option<SeriesState>, StoreError> {
        if let Some(slot) = self.slot(id).filter(|s| s.loaded) {
            return Ok(Some(SeriesState {
                id,
                last_t: slot.last_t,
            }));
        }
        let row = tx
            .prepare_cached("SELECT last_t, unit FROM series WHERE id = ?1")?
            .query_row([id], |r| {
                Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, Option<String>>(1)?))
            })
            .optional()?;
        Ok(row.map(|(last_t, unit)| {
            self.load(id, last_t, unit);
            SeriesState { id, last_t }
        }))
    }

    /// The state of the series `key`, whose id the caller may know, if it
    /// exists (or is created by the transaction under way).
    pub fn find(&mut self, tx: &Transaction, key: &str, id: Option<i64>) -> Result<Option<SeriesState>, StoreError> {
        match id {
            Some(id) => self.by_id(tx, id),
            None => self.by_key(tx, key),
        }
    }

    /// The state of `series`, whose id the caller may know (`id`),
    /// creating its row in the series table when it is new (the bool says
    /// so) and storing its unit when the write brings a different one.
    pub fn resolve(
        &mut self,
        tx: &Transaction,
        series: &SeriesPoints,
        id: Option<i64>,
        now_ms: i64,
    ) -> Result<(SeriesState, bool), StoreError> {
        let found = self.find(tx, &series.key, id)?;
        self.resolve_found(tx, series, found, now_ms)
    }

    /// [`Self::resolve`] for a series whose state [`Self::find`] gave, in
    /// the same transaction.
    pub fn resolve_found(
        &mut self,
        tx: &Transaction,
        series: &SeriesPoints,
        found: Option<SeriesState>,
        now_ms: i64,
    ) -> Result<(SeriesState, bool), StoreError> {
        let Some(state) = found else {
            return Ok((self.create(tx, series, now_ms)?, true));
        };
        if let Some(unit) = series.unit.as_deref() {
            if self.units.get(&state.id).map(|u| &**u) != Some(unit) {
                tx.prepare_cached("UPDATE series SET unit = ?2 WHERE id = ?1")?
                    .execute(params![state.id, unit])?;
                self.units.insert(state.id, unit.into());
            }
        }
        Ok((state, false))
    }

    /// Records the newest stored time of a series after its transaction
    /// committed.
    pub fn remember(&mut self, state: SeriesState) {
        if let Some(slot) = self.slot_mut(state.id).filter(|s| s.loaded) {
            slot.last_t = state.last_t;
        }
    }

    /// Forgets every series, after a failed transaction whose states it
    /// may hold.
    pub fn forget_all(&mut self) {
        self.slots.clear();
        self.units.clear();
    }

    fn by_key(&mut self, tx: &Transaction, key: &str) -> Result<Option<SeriesState>, StoreError> {
        let row = tx
            .prepare_cached("SELECT id, last_t, unit FROM series WHERE key = ?1")?
            .query_row([key], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .optional()?;
        Ok(row.map(|(id, last_t, unit)| {
            if !self.slot(id).is_some_and(|s| s.loaded) {
                self.load(id, last_t, unit);
            }
            let last_t = self.slot(id).map_or(last_t, |s| s.last_t);
            SeriesState { id, last_t }
        }))
    }

    fn create(&mut self, tx: &Transaction, series: &SeriesPoints, now_ms: i64) -> Result<SeriesState, StoreError> {
        let (name, labels) = parse_series_key(&series.key)
            .ok_or_else(|| StoreError::Failed(format!("`{}` is not a series key", series.key)))?;
        let labels: std::collections::BTreeMap<&str, String> = labels.into_iter().collect();
        let labels = serde_json::to_string(&labels)?;
        tx.prepare_cached("INSERT INTO series (key, name, labels, unit, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![series.key, name, labels, series.unit, now_ms])?;
        let id = tx.last_insert_rowid();
        self.load(id, None, series.unit.clone());
        Ok(SeriesState { id, last_t: None })
    }

    fn load(&mut self, id: i64, last_t: Option<i64>, unit: Option<String>) {
        let Some(slot) = self.slot_mut(id) else {
            return;
        };
        *slot = Slot { loaded: true, last_t };
        match unit {
            Some(unit) => self.units.insert(id, unit.into()),
            None => self.units.remove(&id),
        };
    }

    fn slot(&self, id: i64) -> Option<&Slot> {
        self.slots.get(usize::try_from(id).ok()?)
    }

    fn slot_mut(&mut self, id: i64) -> Option<&mut Slot> {
        let at = usize::try_from(id).ok()?;
        if at >= self.slots.len() {
            self.slots.resize(at + 1, Slot::default());
        }
        self.slots.get_mut(at)
    }
}
