//! The browser's cache of query answers: keyed by the normalised request,
//! each answer kept with its `ETag` so a poll can revalidate it
//! (`If-None-Match` → `304`) and a page can draw it at once on navigation
//! before the fresh answer arrives (stale-while-revalidate). Bounded by a
//! weight (points held), least recently used out first, so a wall screen
//! polling all night holds a fixed amount.

use std::collections::HashMap;

/// One cached answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Cached<V> {
    pub value: V,
    pub etag: String,
}

#[derive(Debug)]
struct Slot<V> {
    cached: Cached<V>,
    weight: usize,
    used: u64,
}

/// Answers by key; see the module doc.
#[derive(Debug)]
pub struct AnswerCache<V> {
    slots: HashMap<String, Slot<V>>,
    max_weight: usize,
    weight: usize,
    clock: u64,
}

impl<V: Clone> AnswerCache<V> {
    /// A cache holding answers of at most `max_weight` in total.
    pub fn new(max_weight: usize) -> Self {
        AnswerCache {
            slots: HashMap::new(),
            max_weight,
            weight: 0,
            clock: 0,
        }
    }

    /// The answer under `key`, marked as just used.
    pub fn get(&mut self, key: &str) -> Option<Cached<V>> {
        self.clock += 1;
        let slot = self.slots.get_mut(key)?;
        slot.used = self.clock;
        Some(slot.cached.clone())
    }

    /// Keeps `value` under `key`, replacing what was there, and drops the
    /// least recently used answers until the total fits. An answer heavier
    /// than the whole bound is not kept.
    pub fn put(&mut self, key: String, value: V, etag: String, weight: usize) {
        self.remove(&key);
        if weight > self.max_weight {
            return;
        }
        while self.weight + weight > self.max_weight {
            let Some(oldest) = self.slots.iter().min_by_key(|(_, s)| s.used).map(|(k, _)| k.clone()) else {
                break;
            };
            self.remove(&oldest);
        }
        self.clock += 1;
        self.weight += weight;
        let cached = Cached { value, etag };
        self.slots.insert(
            key,
            Slot {
                cached,
                weight,
                used: self.clock,
            },
        );
    }

    fn remove(&mut self, key: &str) {
        if let Some(old) = self.slots.remove(key) {
            self.weight -= old.weight;
        }
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Total weight of the answers held.
    pub fn weight(&self) -> usize {
        self.weight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_answers_with_their_etags() {
        let mut c = AnswerCache::new(100);
        assert_eq!(c.get("a"), None);
        c.put("a".into(), 1, "\"b-1\"".into(), 10);
        assert_eq!(
            c.get("a"),
            Some(Cached {
                value: 1,
                etag: "\"b-1\"".into()
            })
        );
        c.put("a".into(), 2, "\"b-2\"".into(), 30);
        assert_eq!(c.get("a").map(|x| x.value), Some(2));
        assert_eq!((c.len(), c.weight()), (1, 30), "replaced, not added");
    }

    #[test]
    fn least_recently_used_goes_first_and_the_bound_holds() {
        let mut c = AnswerCache::new(100);
        c.put("a".into(), 1, String::new(), 40);
        c.put("b".into(), 2, String::new(), 40);
        c.get("a");
        c.put("c".into(), 3, String::new(), 40);
        assert!(c.get("b").is_none(), "b was the least recently used");
        assert!(c.get("a").is_some() && c.get("c").is_some());
        assert_eq!(c.weight(), 80);
        c.put("huge".into(), 4, String::new(), 101);
        assert!(c.get("huge").is_none());
        assert_eq!(c.len(), 2, "an oversized answer evicts nothing");
    }

    #[test]
    fn a_long_run_of_distinct_keys_stays_bounded() {
        let mut c = AnswerCache::new(1_000);
        for i in 0..10_000 {
            c.put(format!("k{i}"), i, String::new(), 7 + i % 13);
            assert!(c.weight() <= 1_000);
        }
        assert!(c.len() < 1_000 / 7 + 1);
    }
}
