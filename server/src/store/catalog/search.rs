//! Substring search over the keys in key order: every key lowercased, in
//! key order, in one text separated by newlines, so a case-insensitive
//! search is one SIMD scan (`memchr::memmem`) that stops at the page's
//! last match. Series added since the last search are sorted in when the
//! next one comes (a merge, not a sort of everything).

use super::{slice, Position};
use memchr::memmem;

#[derive(Default)]
pub struct KeySearch {
    /// Positions in key order.
    order: Vec<Position>,
    /// The lowercased keys in key order, each followed by `\n`.
    text: String,
    /// Where each key of `order` starts in `text`.
    starts: Vec<usize>,
}

impl KeySearch {
    /// Sorts the series added to `keys` since the last call into the index.
    pub fn catch_up(&mut self, keys: &str, ends: &[usize]) {
        let covered = self.order.len();
        if covered == ends.len() {
            return;
        }
        let key = |p: &Position| slice(keys, ends, *p);
        let mut fresh: Vec<Position> = (covered as Position..ends.len() as Position).collect();
        fresh.sort_unstable_by(|a, b| key(a).cmp(key(b)));
        let mut merged = Vec::with_capacity(ends.len());
        let (mut old, mut new) = (self.order.iter().peekable(), fresh.iter().peekable());
        while let (Some(a), Some(b)) = (old.peek(), new.peek()) {
            if key(a) <= key(b) {
                merged.push(**a);
                old.next();
            } else {
                merged.push(**b);
                new.next();
            }
        }
        merged.extend(old.chain(new));
        self.order = merged;
        self.text.clear();
        self.starts.clear();
        for p in &self.order {
            self.starts.push(self.text.len());
            self.text.push_str(&key(p).to_lowercase());
            self.text.push('\n');
        }
    }

    /// The first `limit` positions in key order whose key contains
    /// `needle` ignoring case (all for an empty needle), after the key
    /// `after` when given, and among `within` when given.
    pub fn find(&self, keys: &str, ends: &[usize], query: &Query) -> Vec<Position> {
        let first = query.after.map_or(0, |after| {
            self.order.partition_point(|p| slice(keys, ends, *p) <= after)
        });
        let needle = query.needle.to_lowercase();
        if needle.contains('\n') {
            return Vec::new();
        }
        if let Some(within) = query.within {
            let allowed = Bits::of(within, ends.len());
            let finder = memmem::Finder::new(needle.as_bytes());
            return (first..self.order.len())
                .filter(|&i| allowed.has(self.order[i]))
                .filter(|&i| needle.is_empty() || finder.find(self.lowered(i).as_bytes()).is_some())
                .take(query.limit)
                .map(|i| self.order[i])
                .collect();
        }
        if needle.is_empty() {
            return self.order[first..].iter().take(query.limit).copied().collect();
        }
        let limit = query.limit;
        let from = self.starts.get(first).copied().unwrap_or(self.text.len());
        let mut found: Vec<Position> = Vec::new();
        let mut last_which = usize::MAX;
        for at in memmem::find_iter(&self.text.as_bytes()[from..], needle.as_bytes()).map(|at| at + from) {
            let which = self.starts.partition_point(|&s| s <= at) - 1;
            if which != last_which {
                if found.len() == limit {
                    break;
                }
                found.push(self.order[which]);
                last_which = which;
            }
        }
        found
    }

    /// The lowercased key at `i` in key order.
    fn lowered(&self, i: usize) -> &str {
        let end = self.starts.get(i + 1).map_or(self.text.len(), |&s| s) - 1;
        &self.text[self.starts[i]..end]
    }
}

/// What to find: a substring, a page, and optionally a set to stay in.
pub struct Query<'a> {
    pub needle: &'a str,
    pub after: Option<&'a str>,
    /// Positions to keep, ascending.
    pub within: Option<&'a [Position]>,
    pub limit: usize,
}

/// A set of positions as bits.
struct Bits(Vec<u64>);

impl Bits {
    fn of(positions: &[Position], len: usize) -> Bits {
        let mut bits = vec![0u64; len.div_ceil(64)];
        for &p in positions {
            if let Some(word) = bits.get_mut(p as usize / 64) {
                *word |= 1 << (p % 64);
            }
        }
        Bits(bits)
    }

    fn has(&self, p: Position) -> bool {
        self.0.get(p as usize / 64).is_some_and(|w| w & (1 << (p % 64)) != 0)
    }
}
