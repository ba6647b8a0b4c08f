//! The store's input contract, on the ground floor so that the store,
//! the ingest parsers, the demo generator and the monitor all build on it
//! without depending on one another: a validated batch, grouped by series
//! as it is built. The store writes one series at a time, and a body of
//! 5,000 lines usually names far fewer series than points, so each
//! series' key exists once; its name and labels are read back from the
//! key when the series is created.

mod validate;

pub use validate::{is_deceptive, validate_labels, validate_named, validate_point, validate_sample, ValidPoint};

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// A batch must hold at least one point; the parsers turn this into their
/// own refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the batch holds no points")]
pub struct EmptyBatch;

/// One series of a batch and its points in arrival order (not yet sorted
/// or de-duplicated; the store does that).
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoints {
    /// The canonical key, `name{label="value",...}`.
    pub key: String,
    /// The last unit given for this series in the batch, if any.
    pub unit: Option<String>,
    pub points: Vec<(i64, f64)>,
}

/// The hash of a series key that every map of keys uses (the batch's,
/// the catalogue's, the query cache's), so that a batch's hashes serve
/// the store without hashing its keys again.
pub fn key_hash(key: &str) -> u64 {
    FxBuildHasher.hash_one(key)
}

/// A non-empty list of valid points, stored together or not at all.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidBatch {
    series: Vec<SeriesPoints>,
    /// Each series' [`key_hash`].
    hashes: Vec<u64>,
    len: usize,
}

impl ValidBatch {
    /// Groups `points` by series; an empty list is refused.
    pub fn new(points: Vec<ValidPoint>) -> Result<Self, EmptyBatch> {
        let mut builder = BatchBuilder::default();
        for p in points {
            builder.push(p);
        }
        builder.finish()
    }

    /// The series of the batch, in order of first appearance.
    pub fn series(&self) -> &[SeriesPoints] {
        &self.series
    }

    /// Each series' [`key_hash`], in the order of [`Self::series`].
    pub fn key_hashes(&self) -> &[u64] {
        &self.hashes
    }

    /// Hands the series over, for storing.
    pub fn into_series(self) -> Vec<SeriesPoints> {
        self.series
    }

    /// Rebuilds a batch from series that were validated before, such as
    /// those read back from the store's ingest log.
    pub fn from_validated(series: Vec<SeriesPoints>) -> Result<Self, EmptyBatch> {
        let len = series.iter().map(|s| s.points.len()).sum();
        if len == 0 {
            return Err(EmptyBatch);
        }
        let hashes = series.iter().map(|s| key_hash(&s.key)).collect();
        Ok(ValidBatch { series, hashes, len })
    }

    /// Rewrites each series' points with `f` (e.g. sorting them); the
    /// length then counts the points that are left.
    pub fn map_points(&mut self, mut f: impl FnMut(&mut Vec<(i64, f64)>)) {
        for s in &mut self.series {
            f(&mut s.points);
        }
        self.len = self.series.iter().map(|s| s.points.len()).sum();
    }

    /// Points in the batch, replacements of one another included.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Collects valid points into a [`ValidBatch`], one group per series key.
#[derive(Debug, Default)]
pub struct BatchBuilder {
    series: Vec<SeriesPoints>,
    /// Each series' [`key_hash`].
    hashes: Vec<u64>,
    /// Each series' slot in `series`, found by its key's hash (the key
    /// itself is kept once, in `series`).
    slots: HashTable<usize>,
    len: usize,
}

impl BatchBuilder {
    /// Distinct series so far.
    pub fn series_count(&self) -> usize {
        self.series.len()
    }

    /// Makes room for `series` more series, so that a body naming thousands
    /// does not grow the builder step by step.
    pub fn reserve(&mut self, series: usize) {
        self.series.reserve(series);
        self.hashes.reserve(series);
        let hashes = &self.hashes;
        self.slots.reserve(series, |&slot| hashes[slot]);
    }

    /// Adds a point; returns its series' slot for later [`Self::push_at`].
    pub fn push(&mut self, p: ValidPoint) -> usize {
        let hash = key_hash(&p.key);
        let slot = self.push_keyed(p.key, hash, p.t, p.v);
        if p.unit.is_some() {
            self.series[slot].unit = p.unit;
        }
        slot
    }

    /// The slot of the series `key`, whose [`key_hash`] is `hash`, if the
    /// batch holds it.
    pub fn slot_of(&self, key: &str, hash: u64) -> Option<usize> {
        self.slots.find(hash, |&slot| self.series[slot].key == key).copied()
    }

    /// Adds a point of the series `key`, whose [`key_hash`] is `hash` and
    /// which passed validation before (the point's time and value are
    /// checked with [`validate_sample`]); returns its slot as
    /// [`Self::push`] does.
    pub fn push_keyed<K: AsRef<str> + Into<String>>(&mut self, key: K, hash: u64, t: i64, v: f64) -> usize {
        let slot = match self.slot_of(key.as_ref(), hash) {
            Some(slot) => slot,
            None => {
                let slot = self.series.len();
                self.series.push(SeriesPoints {
                    key: key.into(),
                    unit: None,
                    points: Vec::with_capacity(1),
                });
                self.hashes.push(hash);
                let hashes = &self.hashes;
                self.slots.insert_unique(hash, slot, |&slot| hashes[slot]);
                slot
            }
        };
        self.push_at(slot, t, v);
        slot
    }

    /// The key of the series in `slot` and its [`key_hash`].
    pub fn key_at(&self, slot: usize) -> (&str, u64) {
        (&self.series[slot].key, self.hashes[slot])
    }

    /// Adds a point to the series in `slot`, as returned by [`Self::push`].
    /// The caller has checked the time and value with
    /// [`validate_sample`].
    pub fn push_at(&mut self, slot: usize, t: i64, v: f64) {
        self.series[slot].points.push((t, v));
        self.len += 1;
    }

    pub fn finish(self) -> Result<ValidBatch, EmptyBatch> {
        if self.len == 0 {
            return Err(EmptyBatch);
        }
        Ok(ValidBatch {
            series: self.series,
            hashes: self.hashes,
            len: self.len,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::Labels;

    fn point(name: &str, unit: Option<&str>, t: i64) -> ValidPoint {
        validate_point(name.into(), Labels::new(), unit.map(str::to_owned), t, t as f64).unwrap()
    }

    #[test]
    fn points_group_by_series_in_order_of_first_appearance() {
        let batch = ValidBatch::new(vec![
            point("b", None, 1),
            point("a", Some("°C"), 2),
            point("b", None, 3),
            point("a", None, 4),
        ])
        .unwrap();
        assert_eq!(batch.len(), 4);
        let keys: Vec<(&str, usize)> = batch
            .series()
            .iter()
            .map(|s| (s.key.as_str(), s.points.len()))
            .collect();
        assert_eq!(keys, [("b", 2), ("a", 2)]);
        assert_eq!(
            batch.series()[1].unit.as_deref(),
            Some("°C"),
            "a later point without a unit keeps it"
        );
        let times: Vec<i64> = batch
            .series()
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .collect();
        assert_eq!(times, [1, 3, 2, 4]);
    }

    #[test]
    fn slots_take_more_points() {
        let mut builder = BatchBuilder::default();
        let slot = builder.push(point("a", None, 1));
        builder.push_at(slot, 2, 2.0);
        let batch = builder.finish().unwrap();
        assert_eq!(batch.series()[0].points, [(1, 1.0), (2, 2.0)]);
    }

    #[test]
    fn empty_batches_are_refused() {
        assert_eq!(ValidBatch::new(Vec::new()), Err(EmptyBatch));
        assert_eq!(BatchBuilder::default().finish().unwrap_err(), EmptyBatch);
    }
}
