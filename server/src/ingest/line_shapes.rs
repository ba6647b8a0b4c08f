//! The series of a line-protocol line, remembered across bodies. A fleet
//! sends each device's line once per tick, so a body rarely names a series
//! twice, but the next body names it again: once a line's measurement and
//! tags (as written) have been parsed and validated, the keys of its
//! fields are kept here, and a later plain line with those tags is only
//! split and its values read (see `known_lines`). Series are never renamed
//! or deleted, so a kept key stays right; the memory is bounded and
//! forgets whole shards when full.

use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, MutexGuard};

/// Memory the shapes of all lines may take in the server: a fleet of a
/// few thousand devices of tens of fields fits several times.
pub const DEFAULT_SHAPES_BYTES: usize = 16 << 20;
/// Locks the shapes are spread over, so that writers seldom wait on one
/// another.
const SHARDS: usize = 64;
/// Fields past which a shape finds a field by binary search rather than
/// by looking at each.
const SCAN_FIELDS: usize = 16;
/// Most fields a shape gathers from lines of one measurement and tags
/// that name different fields: twice the fields one line may hold by
/// default.
const MAX_SHAPE_FIELDS: usize = 2 * super::DEFAULT_MAX_FIELDS_PER_LINE;
/// Rough cost in bytes of a shape (its allocations, its map slot) and of
/// each of its fields beside their text.
const SHAPE_OVERHEAD: usize = 128;
const FIELD_OVERHEAD: usize = 20;

/// The series one line's fields name: for each field its name, the
/// series key it makes and that key's [`crate::batch::key_hash`]. The
/// texts live end to end in one allocation: a shape outlives the batches
/// whose memory it was allocated among, and a few large blocks pin fewer
/// pages of them than many small ones.
#[derive(Debug)]
pub struct Shape {
    /// Each field's name, then its key, field after field.
    text: Box<str>,
    fields: Box<[FieldAt]>,
    /// Field places sorted by name, when there are many fields.
    by_name: Box<[u32]>,
}

/// Where a field's name and key end in [`Shape::text`] (each starts where
/// the one before it ends), and its key's hash.
#[derive(Debug, Clone, Copy)]
struct FieldAt {
    name_end: u32,
    key_end: u32,
    hash: u64,
}

/// One field of a line, as [`Shape::new`] takes it.
#[derive(Debug, Clone, Copy)]
pub struct ShapeField<'a> {
    pub name: &'a str,
    pub key: &'a str,
    pub hash: u64,
}

impl Shape {
    /// The shape of fields given in the order of the line that showed
    /// them, with the fields of `before` that line did not name after
    /// them, unless together they would pass [`MAX_SHAPE_FIELDS`] (tags
    /// whose fields keep changing are not worth remembering in full).
    /// `None` if their text is too large to be worth keeping.
    pub fn new(fields: &[ShapeField<'_>], before: Option<&Shape>) -> Option<Shape> {
        let before = before.filter(|b| b.len() + fields.len() <= MAX_SHAPE_FIELDS);
        let named: FxHashSet<&str> = match before {
            Some(_) => fields.iter().map(|f| f.name).collect(),
            None => FxHashSet::default(),
        };
        let kept = before.into_iter().flat_map(|b| (0..b.len()).map(|i| b.field(i)));
        let all: Vec<ShapeField<'_>> = fields
            .iter()
            .copied()
            .chain(kept.filter(|old| !named.contains(old.name)))
            .collect();
        let mut text = String::with_capacity(all.iter().map(|f| f.name.len() + f.key.len()).sum());
        let mut places = Vec::with_capacity(all.len());
        for f in &all {
            text.push_str(f.name);
            let name_end = u32::try_from(text.len()).ok()?;
            text.push_str(f.key);
            let key_end = u32::try_from(text.len()).ok()?;
            places.push(FieldAt {
                name_end,
                key_end,
                hash: f.hash,
            });
        }
        let mut shape = Shape {
            text: text.into_boxed_str(),
            fields: places.into_boxed_slice(),
            by_name: Box::default(),
        };
        if shape.len() > SCAN_FIELDS {
            let mut by_name: Vec<u32> = (0..shape.len() as u32).collect();
            by_name.sort_by(|&a, &b| shape.name(a as usize).cmp(shape.name(b as usize)));
            shape.by_name = by_name.into_boxed_slice();
        }
        Some(shape)
    }

    /// How many fields it has.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// The field at `at`.
    pub fn field(&self, at: usize) -> ShapeField<'_> {
        let f = self.fields[at];
        ShapeField {
            name: self.name(at),
            key: &self.text[f.name_end as usize..f.key_end as usize],
            hash: f.hash,
        }
    }

    fn name(&self, at: usize) -> &str {
        let start = at
            .checked_sub(1)
            .map_or(0, |before| self.fields[before].key_end as usize);
        &self.text[start..self.fields[at].name_end as usize]
    }

    /// Memory it takes, roughly.
    fn bytes(&self) -> usize {
        SHAPE_OVERHEAD + self.text.len() + self.fields.len() * FIELD_OVERHEAD
    }

    /// The place of field `name`, looked for first at `guess` (a line's
    /// fields come in the same order line after line).
    pub fn find(&self, name: &str, guess: usize) -> Option<usize> {
        if guess < self.len() && self.name(guess) == name {
            return Some(guess);
        }
        if self.by_name.is_empty() {
            return (0..self.len()).find(|&at| self.name(at) == name);
        }
        self.by_name
            .binary_search_by(|&at| self.name(at as usize).cmp(name))
            .ok()
            .map(|i| self.by_name[i] as usize)
    }
}

/// The shapes of the lines seen, by measurement and tags as written. A
/// cheap `Clone` handle shared by every write; each shard is a mutex held
/// for one map lookup or insert.
#[derive(Clone)]
pub struct LineShapes {
    shards: Arc<[Mutex<Shard>]>,
    shard_bytes: usize,
}

#[derive(Default)]
struct Shard {
    shapes: FxHashMap<Box<str>, Arc<Shape>>,
    bytes: usize,
}

impl Default for LineShapes {
    fn default() -> Self {
        LineShapes::new(DEFAULT_SHAPES_BYTES)
    }
}

impl LineShapes {
    /// Shapes that take at most about `bytes` of memory; 0 keeps none.
    pub fn new(bytes: usize) -> LineShapes {
        LineShapes {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            shard_bytes: bytes / SHARDS,
        }
    }

    /// The shape of lines whose measurement and tags are `series_text`.
    pub fn get(&self, series_text: &str) -> Option<Arc<Shape>> {
        self.shard(series_text).shapes.get(series_text).cloned()
    }

    /// Keeps `shape` for `series_text`, forgetting the shard's other
    /// shapes when it would exceed its share of the memory.
    pub fn insert(&self, series_text: &str, shape: Arc<Shape>) {
        let bytes = shape.bytes() + series_text.len();
        if bytes > self.shard_bytes {
            return;
        }
        let mut shard = self.shard(series_text);
        if shard.bytes + bytes > self.shard_bytes {
            shard.shapes = FxHashMap::default();
            shard.bytes = 0;
        }
        let old = shard.shapes.insert(series_text.into(), shape);
        shard.bytes += bytes;
        if let Some(old) = old {
            shard.bytes = shard.bytes.saturating_sub(old.bytes() + series_text.len());
        }
    }

    fn shard(&self, series_text: &str) -> MutexGuard<'_, Shard> {
        // The high bits: the map inside hashes the same text and uses the low ones.
        let at = (FxBuildHasher.hash_one(series_text) >> 58) as usize % self.shards.len();
        self.shards[at].lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(names: &[&str]) -> Shape {
        let keys: Vec<String> = names.iter().map(|name| format!("m.{name}")).collect();
        let fields: Vec<ShapeField> = names
            .iter()
            .zip(&keys)
            .map(|(name, key)| ShapeField {
                name,
                key,
                hash: crate::batch::key_hash(key),
            })
            .collect();
        Shape::new(&fields, None).unwrap()
    }

    #[test]
    fn fields_are_found_at_their_place_or_by_name() {
        let two = shape(&["a", "b"]);
        assert_eq!(two.find("b", 1), Some(1));
        assert_eq!(two.find("b", 0), Some(1));
        assert_eq!(two.find("c", 0), None);
        assert_eq!(two.find("a", 7), Some(0));
        let field = two.field(1);
        assert_eq!(
            (field.name, field.key, field.hash),
            ("b", "m.b", crate::batch::key_hash("m.b"))
        );
        let names: Vec<String> = (0..40).rev().map(|i| format!("f{i}")).collect();
        let many = shape(&names.iter().map(String::as_str).collect::<Vec<_>>());
        for name in &names {
            let at = many.find(name, 0).unwrap();
            assert_eq!(many.field(at).name, name);
            assert_eq!(many.field(at).key, format!("m.{name}"));
        }
        assert_eq!(many.find("f40", 3), None);
    }

    #[test]
    fn a_new_shape_keeps_the_fields_of_the_old_one_after_its_own() {
        let old = shape(&["a", "b"]);
        let new = [
            old.field(0),
            ShapeField {
                name: "c",
                key: "m.c",
                hash: 3,
            },
        ];
        let new = Shape::new(&[new[1], new[0]], Some(&old)).unwrap();
        let names: Vec<&str> = (0..new.len()).map(|i| new.field(i).name).collect();
        assert_eq!(names, ["c", "a", "b"]);
        assert_eq!(new.field(2).key, "m.b");
    }

    #[test]
    fn a_shape_gathering_too_many_fields_starts_again_from_its_line() {
        let names: Vec<String> = (0..MAX_SHAPE_FIELDS).map(|i| format!("f{i}")).collect();
        let full = shape(&names.iter().map(String::as_str).collect::<Vec<_>>());
        let line = [ShapeField {
            name: "new",
            key: "m.new",
            hash: 1,
        }];
        let next = Shape::new(&line, Some(&full)).unwrap();
        assert_eq!(next.len(), 1, "the old fields are let go");
        let small = shape(&["a"]);
        assert_eq!(Shape::new(&line, Some(&small)).unwrap().len(), 2);
    }

    #[test]
    fn a_full_shard_forgets_its_shapes() {
        let one = shape(&["a"]).bytes() + 4;
        let shapes = LineShapes::new(SHARDS * (one * 3));
        let texts: Vec<String> = (0..1000).map(|i| format!("m{i}")).collect();
        for text in &texts {
            shapes.insert(text, Arc::new(shape(&["a"])));
        }
        let kept = texts.iter().filter(|t| shapes.get(t).is_some()).count();
        assert!(kept > 0 && kept <= SHARDS * 3, "{kept}");
        assert!(shapes.get(&texts[999]).is_some(), "the newest is kept");
        let none = LineShapes::new(0);
        none.insert("m", Arc::new(shape(&["a"])));
        assert!(none.get("m").is_none());
    }
}
