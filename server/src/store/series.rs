//! The series table: one row per series with its key, name, labels,
//! unit, first and last time, last value and point count; listing,
//! searching and selecting series through the in-memory catalogue.

use super::catalog::{Catalog, CompiledSelector, KeyQuery, Position, SelectError};
use super::{Store, StoreError};
use app::model::{Labels, SeriesInfo};
use rusqlite::{Connection, OptionalExtension, Row};
use std::sync::{RwLock, RwLockReadGuard};

/// A series a selector matched: its key and its labels (the name as
/// `__name__` first).
#[derive(Debug, Clone, PartialEq)]
pub struct SelectedSeries {
    pub key: String,
    pub labels: Vec<(String, String)>,
}

/// A search of the series list: a substring of the key, optionally a
/// selector the series must match, and a page.
pub struct SeriesSearch {
    pub text: String,
    pub selector: Option<CompiledSelector>,
    /// Only keys after this one (the previous page's last).
    pub after: Option<String>,
    pub limit: usize,
}

impl SeriesSearch {
    /// The first `limit` series whose key contains `text`.
    pub fn text(text: &str, limit: usize) -> SeriesSearch {
        SeriesSearch {
            text: text.to_owned(),
            selector: None,
            after: None,
            limit,
        }
    }
}

/// How many series a selector may match in a listing, where the page, not
/// the match, bounds the answer.
const LISTING_SELECT_LIMIT: usize = usize::MAX;

/// A series as stored, with its storage id (the key of its chunks and
/// buckets), which never leaves the server.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    pub id: i64,
    pub info: SeriesInfo,
}

/// The columns `series_row` reads, in its order.
macro_rules! series_columns {
    () => {
        "id, key, name, labels, unit, first_t, last_t, last_v, count"
    };
}

fn series_row(row: &Row) -> rusqlite::Result<(i64, SeriesInfo, String)> {
    let info = SeriesInfo {
        key: row.get(1)?,
        name: row.get(2)?,
        labels: Labels::new(),
        unit: row.get(4)?,
        first: row.get(5)?,
        last: row.get(6)?,
        last_value: row.get(7)?,
        count: row.get::<_, i64>(8)?.max(0) as u64,
    };
    Ok((row.get(0)?, info, row.get(3)?))
}

fn with_labels((id, mut info, labels): (i64, SeriesInfo, String)) -> Result<SeriesRow, StoreError> {
    info.labels = serde_json::from_str(&labels)?;
    Ok(SeriesRow { id, info })
}

impl Store {
    /// Series whose key contains `search.text` (case-insensitive) and that
    /// match its selector, ordered by key, after `search.after`, at most
    /// `search.limit`.
    pub async fn list_series(&self, search: SeriesSearch) -> Result<Vec<SeriesInfo>, StoreError> {
        // Late points change counts; they are few and applied soon anyway.
        if let Err(e) = self.committer.flush_late().await {
            tracing::warn!(error = %e, "listing without the newest late points");
        }
        let (catalog, head) = (self.catalog.clone(), self.head.clone());
        self.on_reader(move |conn| {
            let ids: Vec<i64> = {
                let catalog = caught_up(&catalog, conn)?;
                let within = match &search.selector {
                    Some(selector) => Some(catalog.select(selector, LISTING_SELECT_LIMIT)?),
                    None => None,
                };
                let query = KeyQuery {
                    needle: &search.text,
                    after: search.after.as_deref(),
                    within: within.as_deref(),
                    limit: search.limit,
                };
                catalog.search(&query).into_iter().map(|p| catalog.id(p)).collect()
            };
            let head = head.view(ids.iter().copied());
            let mut stmt = conn.prepare_cached(concat!("SELECT ", series_columns!(), " FROM series WHERE id = ?1"))?;
            ids.into_iter()
                .map(|id| {
                    let mut row = with_labels(stmt.query_row([id], series_row)?)?;
                    let stored_last = row.info.last;
                    with_head(&mut row.info, head.fresh(id, stored_last));
                    Ok(row.info)
                })
                .collect()
        })
        .await
    }

    /// The series `selector` matches, in key order; more than `limit` is
    /// an error that says how many.
    pub async fn select_series(
        &self,
        selector: CompiledSelector,
        limit: usize,
    ) -> Result<Vec<SelectedSeries>, StoreError> {
        self.with_catalog(move |catalog| {
            let mut found: Vec<Position> = catalog.select(&selector, limit)?;
            found.sort_unstable_by(|a, b| catalog.key(*a).cmp(catalog.key(*b)));
            Ok(found
                .into_iter()
                .map(|p| SelectedSeries {
                    key: catalog.key(p).to_owned(),
                    labels: catalog.labels_of(p),
                })
                .collect())
        })
        .await
    }

    /// Label names starting with `prefix`, in byte order, at most `limit`.
    pub async fn label_names(&self, prefix: String, limit: usize) -> Result<Vec<String>, StoreError> {
        self.with_catalog(move |catalog| Ok(catalog.label_names(&prefix, limit)))
            .await
    }

    /// Values of `label` starting with `prefix` with how many series carry
    /// each, in byte order, at most `limit`; among the series `within`
    /// matches, when given.
    pub async fn label_values(
        &self,
        label: String,
        prefix: String,
        within: Option<CompiledSelector>,
        limit: usize,
    ) -> Result<Vec<(String, usize)>, StoreError> {
        self.with_catalog(move |catalog| {
            let within = match &within {
                Some(selector) => Some(catalog.select(selector, LISTING_SELECT_LIMIT)?),
                None => None,
            };
            Ok(catalog.label_values(&label, &prefix, within.as_deref(), limit))
        })
        .await
    }

    /// Runs `f` on the catalogue, caught up with every acknowledged
    /// series (series are created when their first batch is logged).
    async fn with_catalog<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Catalog) -> Result<T, StoreError> + Send + 'static,
    {
        let catalog = self.catalog.clone();
        self.on_reader(move |conn| f(&*caught_up(&catalog, conn)?)).await
    }
}

/// `info` as stored, extended with `fresh`, the series' head points that
/// its stored points do not hold.
pub(super) fn with_head(info: &mut SeriesInfo, fresh: &[(i64, f64)]) {
    let (Some(&(first, _)), Some(&(last, last_value))) = (fresh.first(), fresh.last()) else {
        return;
    };
    info.count += fresh.len() as u64;
    info.first = Some(info.first.map_or(first, |f| f.min(first)));
    info.last = Some(last);
    info.last_value = Some(last_value);
}

impl From<SelectError> for StoreError {
    fn from(e: SelectError) -> Self {
        StoreError::Select(e)
    }
}

/// `catalog`, with the series created since it last looked added.
pub(super) fn caught_up<'a>(
    catalog: &'a RwLock<Catalog>,
    conn: &Connection,
) -> Result<RwLockReadGuard<'a, Catalog>, StoreError> {
    let newest = catalog.read().unwrap_or_else(|p| p.into_inner()).newest_id();
    let fresh: Vec<(i64, String)> = conn
        .prepare_cached("SELECT id, key FROM series WHERE id > ?1 ORDER BY id")?
        .query_map([newest], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    if !fresh.is_empty() {
        let mut catalog = catalog.write().unwrap_or_else(|p| p.into_inner());
        let newest = catalog.newest_id();
        catalog.add(fresh.into_iter().filter(|(id, _)| *id > newest));
    }
    Ok(catalog.read().unwrap_or_else(|p| p.into_inner()))
}

/// The series stored under `key`, if any.
pub fn by_key(conn: &Connection, key: &str) -> Result<Option<SeriesRow>, StoreError> {
    conn.prepare_cached(concat!("SELECT ", series_columns!(), " FROM series WHERE key = ?1"))?
        .query_row([key], series_row)
        .optional()?
        .map(with_labels)
        .transpose()
}

/// How many series are stored.
pub(super) fn count(conn: &Connection) -> Result<usize, StoreError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM series", [], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}
