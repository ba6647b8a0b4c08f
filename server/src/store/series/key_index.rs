//! The in-memory search index over series keys: every key lowercased, in
//! key order, in one text separated by newlines, so a case-insensitive
//! substring search is one SIMD scan (`memchr::memmem`) whatever the
//! number of series. New series are picked up from the table by id before
//! each search, so the index needs no hook into the writer.

use super::StoreError;
use memchr::memmem;
use rusqlite::Connection;

/// Keys are written once and never renamed or deleted, so the index only
/// grows; ids only grow too (integer primary key, no deletes).
#[derive(Default)]
pub struct KeyIndex {
    /// `(key, id)` in key order.
    keys: Vec<(String, i64)>,
    /// The lowercased keys, each followed by `\n`, in key order.
    text: String,
    /// Where each key starts in `text`.
    starts: Vec<usize>,
    newest_id: i64,
}

impl KeyIndex {
    /// Adds the series created since the last refresh.
    pub fn refresh(&mut self, conn: &Connection) -> Result<(), StoreError> {
        let mut stmt = conn.prepare_cached("SELECT id, key FROM series WHERE id > ?1 ORDER BY id")?;
        let fresh: Vec<(String, i64)> = stmt
            .query_map([self.newest_id], |r| Ok((r.get(1)?, r.get(0)?)))?
            .collect::<Result<_, _>>()?;
        self.add(fresh);
        Ok(())
    }

    /// Adds series `(key, id)` with ids above every id added before, in
    /// id order.
    pub fn add(&mut self, fresh: Vec<(String, i64)>) {
        if let Some(&(_, newest)) = fresh.last() {
            self.newest_id = newest;
            self.keys.extend(fresh);
            self.keys.sort_unstable();
            self.rebuild_text();
        }
    }

    fn rebuild_text(&mut self) {
        self.text.clear();
        self.starts.clear();
        for (key, _) in &self.keys {
            self.starts.push(self.text.len());
            self.text.push_str(&key.to_lowercase());
            self.text.push('\n');
        }
    }

    /// Ids of the first `limit` series, in key order, whose key contains
    /// `needle` ignoring case (every series for an empty needle) and,
    /// given `after`, sorts after that key: the next page of a listing.
    pub fn search(&self, needle: &str, after: Option<&str>, limit: usize) -> Vec<i64> {
        let first = after.map_or(0, |after| self.keys.partition_point(|(key, _)| key.as_str() <= after));
        let needle = needle.to_lowercase();
        if needle.is_empty() {
            return self.keys[first..].iter().take(limit).map(|(_, id)| *id).collect();
        }
        if needle.contains('\n') {
            return Vec::new();
        }
        let from = self.starts.get(first).copied().unwrap_or(self.text.len());
        let mut found: Vec<i64> = Vec::new();
        for at in memmem::find_iter(&self.text.as_bytes()[from..], needle.as_bytes()).map(|at| at + from) {
            let which = self.starts.partition_point(|&s| s <= at) - 1;
            let id = self.keys[which].1;
            if found.last() != Some(&id) {
                if found.len() == limit {
                    break;
                }
                found.push(id);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(keys: &[&str]) -> KeyIndex {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE series (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);")
            .unwrap();
        let mut index = KeyIndex::default();
        for key in keys {
            conn.execute("INSERT INTO series (key) VALUES (?1)", [key]).unwrap();
            index.refresh(&conn).unwrap();
        }
        index
    }

    #[test]
    fn substring_matches_ignore_case_in_key_order() {
        let idx = index(&["b.Temp", "a.temp{site=\"North\"}", "c.rpm", "TEMPERATURE"]);
        assert_eq!(idx.search("temp", None, 10), [4, 2, 1], "byte order of the keys");
        assert_eq!(idx.search("NORTH", None, 10), [2]);
        assert_eq!(idx.search("temp", None, 2), [4, 2], "the limit counts series");
        assert_eq!(idx.search("", None, 3), [4, 2, 1]);
        assert!(idx.search("x", None, 10).is_empty());
        assert!(idx.search("p\nt", None, 10).is_empty(), "never across two keys");
    }

    #[test]
    fn a_key_matching_twice_is_listed_once() {
        let idx = index(&["aaaa", "baaa"]);
        assert_eq!(idx.search("a", None, 10), [1, 2]);
        assert_eq!(idx.search("aa", None, 1), [1]);
    }

    #[test]
    fn pages_continue_after_the_last_key_given() {
        let idx = index(&["b.temp", "a.temp", "c.rpm", "d.temp"]);
        assert_eq!(idx.search("", Some("a.temp"), 2), [1, 3]);
        assert_eq!(idx.search("temp", Some("a.temp"), 10), [1, 4]);
        assert_eq!(idx.search("temp", Some("b"), 10), [1, 4], "a key need not exist");
        assert!(idx.search("", Some("d.temp"), 10).is_empty());
    }
}
