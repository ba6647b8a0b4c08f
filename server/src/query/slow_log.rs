//! The slowest queries of the last minutes, for the System page: a short
//! list kept in memory, so recording one costs a lock and a comparison.

use app::model::SlowQuery;
use std::sync::{Arc, Mutex};

/// Queries kept.
const KEEP: usize = 20;
/// How long a query stays on the list, in milliseconds.
const KEEP_FOR_MS: i64 = 15 * 60_000;

/// A cheap `Clone` handle to the shared list.
#[derive(Clone, Default)]
pub struct SlowLog(Arc<Mutex<Vec<SlowQuery>>>);

impl SlowLog {
    /// Keeps `query` if it is among the [`KEEP`] slowest of the last
    /// minutes (as of `query.at`).
    pub fn record(&self, query: SlowQuery) {
        let Ok(mut list) = self.0.lock() else { return };
        list.retain(|q| q.at > query.at - KEEP_FOR_MS);
        if list.len() < KEEP {
            list.push(query);
            return;
        }
        if let Some(fastest) = list.iter_mut().min_by_key(|q| q.took_us) {
            if query.took_us > fastest.took_us {
                *fastest = query;
            }
        }
    }

    /// The list as of `now_ms`, slowest first.
    pub fn slowest(&self, now_ms: i64) -> Vec<SlowQuery> {
        let Ok(list) = self.0.lock() else { return Vec::new() };
        let mut recent: Vec<SlowQuery> = list.iter().filter(|q| q.at > now_ms - KEEP_FOR_MS).cloned().collect();
        recent.sort_by_key(|q| std::cmp::Reverse(q.took_us));
        recent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(took_us: u64, at: i64) -> SlowQuery {
        SlowQuery {
            series: format!("s{took_us}"),
            from: 0,
            to: 1,
            points: 10,
            resolution: "raw".into(),
            rows_read: 1,
            took_us,
            at,
        }
    }

    #[test]
    fn keeps_the_slowest_recent_ones_slowest_first() {
        let log = SlowLog::default();
        for i in 0..100u64 {
            log.record(q(i, 1_000_000));
        }
        let list = log.slowest(1_000_000);
        assert_eq!(list.len(), KEEP);
        assert_eq!(list[0].took_us, 99);
        assert_eq!(list[KEEP - 1].took_us, 80);
    }

    #[test]
    fn old_ones_leave_the_list() {
        let log = SlowLog::default();
        log.record(q(1_000, 0));
        log.record(q(5, KEEP_FOR_MS + 1));
        let list = log.slowest(KEEP_FOR_MS + 1);
        assert_eq!(list.iter().map(|q| q.took_us).collect::<Vec<_>>(), [5]);
    }
}
