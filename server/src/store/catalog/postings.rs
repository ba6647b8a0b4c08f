//! The inverted index of the catalogue: for each label name, each value's
//! series positions, ascending (series are added in position order, so a
//! push keeps them sorted). The series name is indexed as the label
//! `__name__`.

use super::Position;
use app::domain::NAME_LABEL;
use std::collections::HashMap;

type Map<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// Label name → value → positions.
#[derive(Default)]
pub struct Postings {
    by_label: Map<Box<str>, Values>,
}

/// One label's values and the positions of the series holding each.
#[derive(Default)]
pub struct Values {
    by_value: Map<Box<str>, Vec<Position>>,
}

impl Values {
    /// Every value with its positions, in no order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[Position])> {
        self.by_value.iter().map(|(v, p)| (&**v, p.as_slice()))
    }

    /// How many distinct values the label has.
    pub fn len(&self) -> usize {
        self.by_value.len()
    }

    /// The positions of the series whose value is `value`.
    pub fn of(&self, value: &str) -> &[Position] {
        self.by_value.get(value).map_or(&[], Vec::as_slice)
    }
}

impl Postings {
    pub fn add(&mut self, at: Position, name: &str, labels: &[(&str, String)]) {
        self.push(NAME_LABEL, name, at);
        for (label, value) in labels {
            self.push(label, value, at);
        }
    }

    fn push(&mut self, label: &str, value: &str, at: Position) {
        let values = match self.by_label.get_mut(label) {
            Some(values) => values,
            None => self.by_label.entry(label.into()).or_default(),
        };
        match values.by_value.get_mut(value) {
            Some(positions) => positions.push(at),
            None => {
                values.by_value.insert(value.into(), vec![at]);
            }
        }
    }

    /// The values of `label`, if any series has it.
    pub fn label(&self, label: &str) -> Option<&Values> {
        self.by_label.get(label)
    }

    /// Label names starting with `prefix`, in byte order, at most `limit`.
    pub fn names(&self, prefix: &str, limit: usize) -> Vec<String> {
        let mut names: Vec<&str> = self
            .by_label
            .keys()
            .map(|k| &**k)
            .filter(|k| k.starts_with(prefix))
            .collect();
        names.sort_unstable();
        names.into_iter().take(limit).map(str::to_owned).collect()
    }

    /// Values of `label` starting with `prefix` and how many series carry
    /// each (of `within` only, when given; values none of them carry are
    /// left out), in byte order, at most `limit`.
    pub fn values(&self, label: &str, prefix: &str, within: Option<&[Position]>, limit: usize) -> Vec<(String, usize)> {
        let Some(values) = self.label(label) else {
            return Vec::new();
        };
        let mut found: Vec<(&str, usize)> = values
            .iter()
            .filter(|(v, _)| v.starts_with(prefix))
            .map(|(v, positions)| (v, within.map_or(positions.len(), |w| common(positions, w))))
            .filter(|&(_, n)| n > 0)
            .collect();
        found.sort_unstable();
        found.into_iter().take(limit).map(|(v, n)| (v.to_owned(), n)).collect()
    }
}

/// How many positions two ascending lists share.
fn common(a: &[Position], b: &[Position]) -> usize {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.len() * 16 < large.len() {
        return small.iter().filter(|p| large.binary_search(p).is_ok()).count();
    }
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < small.len() && j < large.len() {
        match small[i].cmp(&large[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}
