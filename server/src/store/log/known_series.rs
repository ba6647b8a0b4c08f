//! The committer's memory of the series it has seen: id, newest stored time
//! and unit. It saves a lookup per series per batch, and the newest stored
//! time says, without a query, which points go to the head (newer) and
//! which are merged into the chunks (late).

use super::StoreError;
use crate::batch::SeriesPoints;
use app::domain::parse_series_key;
use rusqlite::{params, OptionalExtension, Transaction};
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// Above this many series the memory is dropped and refilled on demand.
const MAX_REMEMBERED: usize = 1_000_000;

/// What the writer knows of one stored series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesState {
    pub id: i64,
    /// Time of the newest point in chunks (the head's points are newer);
    /// `None` when the series has none there.
    pub last_t: Option<i64>,
    pub unit: Option<String>,
}

/// Series states by key and by id. Only the writer thread uses it. A
/// state may come from the transaction under way (a series it created);
/// should that transaction fail, the writer forgets everything
/// ([`KnownSeries::forget_all`]) and the memory refills from the
/// database.
#[derive(Debug, Default)]
pub struct KnownSeries {
    ids: HashMap<String, i64>,
    states: FxHashMap<i64, SeriesState>,
}

impl KnownSeries {
    /// The state of `series`, creating its row in the series table when it is new
    /// (the bool says so) and storing its unit when the write brings one.
    pub fn resolve(
        &mut self,
        tx: &Transaction,
        series: &SeriesPoints,
        now_ms: i64,
    ) -> Result<(SeriesState, bool), StoreError> {
        let unit = series.unit.as_ref();
        let (mut state, created) = match self.get(tx, &series.key)? {
            Some(state) => (state, false),
            None => (create(tx, series, unit, now_ms)?, true),
        };
        if let Some(unit) = unit.filter(|u| state.unit.as_ref() != Some(*u)) {
            if !created {
                tx.prepare_cached("UPDATE series SET unit = ?2 WHERE id = ?1")?
                    .execute(params![state.id, unit])?;
            }
            state.unit = Some(unit.clone());
        }
        self.remember(Some(&series.key), state.clone());
        Ok((state, created))
    }

    /// Whether the series `key` is stored (or created by the transaction
    /// under way).
    pub fn lookup(&mut self, tx: &Transaction, key: &str) -> Result<bool, StoreError> {
        Ok(self.get(tx, key)?.is_some())
    }

    /// The state of the series with id `id`, if it exists.
    pub fn by_id(&mut self, tx: &Transaction, id: i64) -> Result<Option<SeriesState>, StoreError> {
        if let Some(state) = self.states.get(&id) {
            return Ok(Some(state.clone()));
        }
        let state = tx
            .prepare_cached("SELECT id, last_t, unit FROM series WHERE id = ?1")?
            .query_row([id], state_of)
            .optional()?;
        if let Some(state) = &state {
            self.remember(None, state.clone());
        }
        Ok(state)
    }

    fn get(&mut self, tx: &Transaction, key: &str) -> Result<Option<SeriesState>, StoreError> {
        if let Some(state) = self.ids.get(key).and_then(|id| self.states.get(id)) {
            return Ok(Some(state.clone()));
        }
        let state = load(tx, key)?;
        if let Some(state) = &state {
            self.remember(Some(key), state.clone());
        }
        Ok(state)
    }

    /// Records the state of a series (and its key, when given).
    pub fn remember(&mut self, key: Option<&str>, state: SeriesState) {
        if self.states.len() >= MAX_REMEMBERED && !self.states.contains_key(&state.id) {
            self.forget_all();
        }
        if let Some(key) = key {
            if !self.ids.contains_key(key) {
                self.ids.insert(key.to_owned(), state.id);
            }
        }
        self.states.insert(state.id, state);
    }

    /// Forgets every series, after a failed transaction whose states it
    /// may hold.
    pub fn forget_all(&mut self) {
        self.ids.clear();
        self.states.clear();
    }
}

fn state_of(r: &rusqlite::Row) -> rusqlite::Result<SeriesState> {
    Ok(SeriesState {
        id: r.get(0)?,
        last_t: r.get(1)?,
        unit: r.get(2)?,
    })
}

fn load(tx: &Transaction, key: &str) -> Result<Option<SeriesState>, StoreError> {
    Ok(tx
        .prepare_cached("SELECT id, last_t, unit FROM series WHERE key = ?1")?
        .query_row([key], state_of)
        .optional()?)
}

fn create(
    tx: &Transaction,
    series: &SeriesPoints,
    unit: Option<&String>,
    now_ms: i64,
) -> Result<SeriesState, StoreError> {
    let (name, labels) = parse_series_key(&series.key)
        .ok_or_else(|| StoreError::Failed(format!("`{}` is not a series key", series.key)))?;
    let labels: std::collections::BTreeMap<&str, String> = labels.into_iter().collect();
    let labels = serde_json::to_string(&labels)?;
    tx.prepare_cached("INSERT INTO series (key, name, labels, unit, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![series.key, name, labels, unit, now_ms])?;
    Ok(SeriesState {
        id: tx.last_insert_rowid(),
        last_t: None,
        unit: unit.cloned(),
    })
}
