//! The series catalogue: every stored series in memory, by key and by
//! label, so that finding a series, searching keys and selecting by label
//! matchers never scan a table. Built from the series table at start and
//! caught up with it (by id: series are never renamed or deleted, and ids
//! only grow) before each use, so it needs no hook into the writer.
//!
//! Memory is the point of its shape: a fleet may hold a million series.
//! Keys live end to end in one string, the exact lookup is a table of
//! positions into it, labels are parsed from the key (which is canonical),
//! and each label pair keeps the positions of its series as `u32`s.

mod matcher;
mod postings;
mod search;

pub use matcher::{CompiledSelector, SelectError};
pub use search::Query as KeyQuery;

use crate::batch::key_hash;
use app::domain::parse_series_key;
use hashbrown::HashTable;
use postings::Postings;
use search::KeySearch;
use std::sync::Mutex;

/// A series' place in the catalogue, in the order series were created.
pub type Position = u32;

/// Every series known, by key and by label. Mutated only through
/// [`Catalog::add`]; see [`super::SeriesCatalog`] for how it is shared.
#[derive(Default)]
pub struct Catalog {
    /// Every key, end to end, in id order.
    keys: String,
    /// Where each key ends in `keys`.
    ends: Vec<usize>,
    /// Each series' storage id, ascending.
    ids: Vec<i64>,
    by_key: HashTable<Position>,
    postings: Postings,
    /// Sorted lazily, by the searches, under its own lock so that searches
    /// need only read access to the rest.
    search: Mutex<KeySearch>,
}

impl Catalog {
    /// Adds series `(id, key)` with ids above every id added before, in id
    /// order. A key that is not canonical still gets its lookup and
    /// search, but no labels.
    pub fn add(&mut self, fresh: impl IntoIterator<Item = (i64, String)>) {
        for (id, key) in fresh {
            debug_assert!(self.ids.last().is_none_or(|&last| last < id));
            let Ok(at) = Position::try_from(self.ids.len()) else {
                tracing::error!("the catalogue is full");
                return;
            };
            self.keys.push_str(&key);
            self.ends.push(self.keys.len());
            self.ids.push(id);
            let hash = key_hash(&key);
            let (keys, ends) = (&self.keys, &self.ends);
            self.by_key.insert_unique(hash, at, |&p| key_hash(slice(keys, ends, p)));
            if let Some((name, labels)) = parse_series_key(&key) {
                self.postings.add(at, name, &labels);
            }
        }
    }

    /// How many series there are.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The newest id added (0 when empty).
    pub fn newest_id(&self) -> i64 {
        self.ids.last().copied().unwrap_or(0)
    }

    /// The storage id of the series `key`.
    pub fn id_of(&self, key: &str) -> Option<i64> {
        self.id_of_hashed(key, key_hash(key))
    }

    /// [`Self::id_of`] for a key whose [`key_hash`] the caller has.
    pub fn id_of_hashed(&self, key: &str, hash: u64) -> Option<i64> {
        self.by_key
            .find(hash, |&p| self.key(p) == key)
            .map(|&p| self.ids[p as usize])
    }

    /// The key at `at`.
    pub fn key(&self, at: Position) -> &str {
        slice(&self.keys, &self.ends, at)
    }

    /// The storage id at `at`.
    pub fn id(&self, at: Position) -> i64 {
        self.ids[at as usize]
    }

    /// Positions of the first `query.limit` series in key order whose key
    /// contains `query.needle` ignoring case (all for an empty needle),
    /// after the key `query.after` when given, among `query.within` when
    /// given.
    pub fn search(&self, query: &KeyQuery) -> Vec<Position> {
        let mut search = self.search.lock().unwrap_or_else(|p| p.into_inner());
        search.catch_up(&self.keys, &self.ends);
        search.find(&self.keys, &self.ends, query)
    }

    /// Positions of the series `selector` matches, ascending; more than
    /// `limit` is an error that says how many.
    pub fn select(&self, selector: &CompiledSelector, limit: usize) -> Result<Vec<Position>, SelectError> {
        selector.select(&self.postings, &|p| self.key(p), limit)
    }

    /// Label names (`__name__` for the series names) of the series, in
    /// byte order, those starting with `prefix`, at most `limit`.
    pub fn label_names(&self, prefix: &str, limit: usize) -> Vec<String> {
        self.postings.names(prefix, limit)
    }

    /// Values of `label` starting with `prefix`, with how many series
    /// carry each, in byte order, at most `limit`; among the series of
    /// `within` only, when given.
    pub fn label_values(
        &self,
        label: &str,
        prefix: &str,
        within: Option<&[Position]>,
        limit: usize,
    ) -> Vec<(String, usize)> {
        self.postings.values(label, prefix, within, limit)
    }

    /// The labels of the series at `at` (the name under `__name__` first).
    pub fn labels_of(&self, at: Position) -> Vec<(String, String)> {
        match parse_series_key(self.key(at)) {
            Some((name, labels)) => std::iter::once((app::domain::NAME_LABEL.to_owned(), name.to_owned()))
                .chain(labels.into_iter().map(|(k, v)| (k.to_owned(), v)))
                .collect(),
            None => vec![(app::domain::NAME_LABEL.to_owned(), self.key(at).to_owned())],
        }
    }
}

fn slice<'a>(keys: &'a str, ends: &[usize], at: Position) -> &'a str {
    let at = at as usize;
    let start = if at == 0 { 0 } else { ends[at - 1] };
    &keys[start..ends[at]]
}

#[cfg(test)]
#[path = "catalog/tests.rs"]
mod tests;
