//! Chunks: one series' points in one time window, stored as one compressed
//! row. Windows are [`CHUNK_MS`] wide on a fixed grid, so the window of any
//! point is known without a lookup and a chunk is also that hour's rollup.

/// Width of a chunk's time window: an hour (3,600 points at 1 Hz), the
/// same grid as the hour rollup, so a chunk's summary is its hour bucket.
pub const CHUNK_MS: i64 = super::rollup::HOUR_MS;

/// Merges `new` points into the time-ordered `old` ones. Both must be
/// sorted by time; on equal times the new value wins (last write wins),
/// and within `new` the later occurrence wins.
pub fn merge(old: &[(i64, f64)], new: &[(i64, f64)]) -> Vec<(i64, f64)> {
    let mut out: Vec<(i64, f64)> = Vec::with_capacity(old.len() + new.len());
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        let take_new = j < new.len() && (i == old.len() || new[j].0 <= old[i].0);
        let point = if take_new {
            if i < old.len() && old[i].0 == new[j].0 {
                i += 1;
            }
            j += 1;
            new[j - 1]
        } else {
            i += 1;
            old[i - 1]
        };
        match out.last_mut() {
            Some(last) if last.0 == point.0 => *last = point,
            _ => out.push(point),
        }
    }
    out
}

/// Sorts a batch's points of one series by time, keeping for each time the
/// value written last.
pub fn sort_last_wins(points: &mut Vec<(i64, f64)>) {
    points.sort_by_key(|p| p.0); // stable: equal times keep batch order
    let mut deduped: Vec<(i64, f64)> = Vec::with_capacity(points.len());
    for &p in points.iter() {
        match deduped.last_mut() {
            Some(last) if last.0 == p.0 => *last = p,
            _ => deduped.push(p),
        }
    }
    *points = deduped;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[test]
    fn new_values_replace_old_ones_at_the_same_time() {
        let old = [(1, 1.0), (3, 3.0), (5, 5.0)];
        let new = [(0, 0.5), (3, 30.0), (4, 4.0), (9, 9.0)];
        assert_eq!(
            merge(&old, &new),
            [(0, 0.5), (1, 1.0), (3, 30.0), (4, 4.0), (5, 5.0), (9, 9.0)]
        );
        assert_eq!(merge(&[], &new), new);
        assert_eq!(merge(&old, &[]), old);
    }

    #[test]
    fn within_a_batch_the_later_write_wins() {
        let mut batch = vec![(5, 1.0), (2, 2.0), (5, 3.0), (2, 4.0)];
        sort_last_wins(&mut batch);
        assert_eq!(batch, [(2, 4.0), (5, 3.0)]);
    }

    proptest! {
        /// Merging batch after batch equals replaying every write into a map.
        #[test]
        fn merge_is_replay(batches in prop::collection::vec(prop::collection::vec((0i64..50, -100i32..100), 0..20), 0..6)) {
            let mut stored: Vec<(i64, f64)> = Vec::new();
            let mut model = BTreeMap::new();
            for batch in batches {
                let mut points: Vec<(i64, f64)> = batch.iter().map(|&(t, v)| (t, f64::from(v))).collect();
                for &(t, v) in &points {
                    model.insert(t, v);
                }
                sort_last_wins(&mut points);
                stored = merge(&stored, &points);
            }
            prop_assert_eq!(stored, model.into_iter().collect::<Vec<_>>());
        }
    }
}
