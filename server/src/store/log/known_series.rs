//! The committer's memory of the series it has seen: id, newest stored time
//! and unit. It saves a lookup per series per batch, and knowing the newest
//! time tells the writer, without a query, that points newer than it go
//! after every stored chunk.

use super::StoreError;
use crate::batch::SeriesPoints;
use app::domain::parse_series_key;
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::HashMap;

/// Above this many series the memory is dropped and refilled on demand.
const MAX_REMEMBERED: usize = 1_000_000;

/// What the writer knows of one stored series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesState {
    pub id: i64,
    /// Time of the newest stored point; `None` when the series has none.
    pub last_t: Option<i64>,
    pub unit: Option<String>,
}

/// Series states by key. Only the writer thread uses it, and only with
/// states of committed transactions, so it never runs ahead of the
/// database.
#[derive(Debug, Default)]
pub struct KnownSeries {
    by_key: HashMap<String, SeriesState>,
}

impl KnownSeries {
    /// The state of `series`, creating its row in the series table when it is new
    /// (the bool says so) and storing its unit when the write brings one.
    pub fn resolve(
        &self,
        tx: &Transaction,
        series: &SeriesPoints,
        now_ms: i64,
    ) -> Result<(SeriesState, bool), StoreError> {
        let unit = series.unit.as_ref();
        let known = match self.by_key.get(&series.key) {
            Some(state) => Some(state.clone()),
            None => load(tx, &series.key)?,
        };
        let Some(mut state) = known else {
            return Ok((create(tx, series, unit, now_ms)?, true));
        };
        if let Some(unit) = unit.filter(|u| state.unit.as_ref() != Some(*u)) {
            tx.prepare_cached("UPDATE series SET unit = ?2 WHERE id = ?1")?
                .execute(params![state.id, unit])?;
            state.unit = Some(unit.clone());
        }
        Ok((state, false))
    }

    /// Whether the series `key` is stored, remembering its state if so.
    pub fn lookup(&mut self, tx: &Transaction, key: &str) -> Result<bool, StoreError> {
        if self.by_key.contains_key(key) {
            return Ok(true);
        }
        match load(tx, key)? {
            Some(state) => {
                self.remember(key, state);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Records the state of `key` after its transaction committed.
    pub fn remember(&mut self, key: &str, state: SeriesState) {
        if let Some(slot) = self.by_key.get_mut(key) {
            *slot = state;
            return;
        }
        if self.by_key.len() >= MAX_REMEMBERED {
            self.by_key.clear();
        }
        self.by_key.insert(key.to_owned(), state);
    }
}

fn load(tx: &Transaction, key: &str) -> Result<Option<SeriesState>, StoreError> {
    Ok(tx
        .prepare_cached("SELECT id, last_t, unit FROM series WHERE key = ?1")?
        .query_row([key], |r| {
            Ok(SeriesState {
                id: r.get(0)?,
                last_t: r.get(1)?,
                unit: r.get(2)?,
            })
        })
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
