use super::*;
use app::model::{Agg, QueryResult, Resolution, Stats};

fn window(series: &str, from: i64, to: i64) -> ResolvedQuery {
    ResolvedQuery {
        series: series.into(),
        from,
        to,
        points: 100,
        agg: Agg::Auto,
        resolution: Resolution::Auto,
        transform: None,
        selection: None,
    }
}

fn answer(points: usize) -> Arc<Answer> {
    Arc::new(Answer::new(QueryResult {
        series: "s".into(),
        unit: None,
        from: 0,
        to: 1,
        resolution: "raw".into(),
        rows_read: 0,
        agg: Agg::Auto,
        points: (0..points as i64).map(|t| (t, 1.0)).collect(),
        bucket: None,
        stats: Stats::default(),
        matched: None,
        lines: Vec::new(),
        more: 0,
    }))
}

/// Inserts an answer of the window's own series.
fn put(cache: &QueryCache, w: ResolvedQuery, answer: Arc<Answer>, epoch: Epoch) {
    let own = vec![SeriesHash::of(&w.series)];
    cache.insert(w, answer, epoch, own);
}

#[test]
fn hits_after_insert_and_counts_both() {
    let cache = QueryCache::new(1 << 20);
    let w = window("a", 0, 100);
    assert!(cache.get(&w).is_none());
    put(&cache, w.clone(), answer(10), cache.epoch());
    assert_eq!(cache.get(&w), Some(answer(10)));
    let s = cache.stats();
    assert_eq!((s.hits, s.misses, s.inserts, s.entries), (1, 1, 1, 1));
    assert_eq!(
        s.bytes as usize,
        entry_size(&w, &answer(10), &[SeriesHash::of(&w.series)])
    );
}

#[test]
fn a_write_drops_exactly_the_windows_holding_its_times() {
    let cache = QueryCache::new(1 << 20);
    let epoch = cache.epoch();
    for (series, from, to) in [("a", 0, 100), ("a", 200, 300), ("b", 0, 100)] {
        put(&cache, window(series, from, to), answer(1), epoch);
    }
    cache.written("a", 100, 150);
    assert!(cache.get(&window("a", 0, 100)).is_none(), "the edge time counts");
    assert!(
        cache.get(&window("a", 200, 300)).is_some(),
        "another window of the series"
    );
    assert!(cache.get(&window("b", 0, 100)).is_some(), "another series");
    assert_eq!(cache.stats().invalidations, 1);
    cache.written("a", 301, 400);
    assert!(cache.get(&window("a", 200, 300)).is_some());
}

#[test]
fn an_answer_read_before_a_write_is_not_stored() {
    let cache = QueryCache::new(1 << 20);
    let before = cache.epoch();
    cache.written("a", 5, 5);
    put(&cache, window("a", 0, 100), answer(1), before);
    assert!(cache.get(&window("a", 0, 100)).is_none(), "it may lack the write");
    put(&cache, window("b", 0, 100), answer(1), before);
    assert!(cache.get(&window("b", 0, 100)).is_some(), "other series are unaffected");
    let after = cache.epoch();
    put(&cache, window("a", 0, 100), answer(1), after);
    assert!(cache.get(&window("a", 0, 100)).is_some());
}

#[test]
fn least_recently_used_goes_first_when_over_budget() {
    let one = entry_size(&window("a", 0, 1), &answer(100), &[SeriesHash::of("a")]);
    let cache = QueryCache::new(one * 2);
    let epoch = cache.epoch();
    put(&cache, window("a", 0, 1), answer(100), epoch);
    put(&cache, window("a", 0, 2), answer(100), epoch);
    assert!(cache.get(&window("a", 0, 1)).is_some(), "now the newest used");
    put(&cache, window("a", 0, 3), answer(100), epoch);
    assert!(cache.get(&window("a", 0, 2)).is_none(), "evicted");
    assert!(cache.get(&window("a", 0, 1)).is_some());
    let s = cache.stats();
    assert_eq!((s.evictions, s.entries), (1, 2));
    assert!(s.bytes <= s.capacity_bytes);
    cache.written("a", 0, 0);
    assert_eq!(cache.stats().bytes, 0, "the index and the byte count follow removals");
}

#[test]
fn disabled_and_oversized_store_nothing() {
    let off = QueryCache::new(0);
    put(&off, window("a", 0, 1), answer(1), off.epoch());
    assert!(off.get(&window("a", 0, 1)).is_none());
    let small = QueryCache::new(300);
    put(&small, window("a", 0, 1), answer(1_000), small.epoch());
    assert_eq!(small.stats().entries, 0);
}

#[test]
fn clear_forgets_everything_and_refuses_older_answers() {
    let cache = QueryCache::new(1 << 20);
    let before = cache.epoch();
    put(&cache, window("a", 0, 1), answer(1), before);
    cache.clear();
    assert_eq!(cache.stats().entries, 0);
    put(&cache, window("z", 0, 1), answer(1), before);
    assert!(cache.get(&window("z", 0, 1)).is_none());
}

#[test]
fn an_answer_over_many_series_goes_when_any_of_them_is_written() {
    let cache = QueryCache::new(1 << 20);
    let w = window("fleet.f3{site=\"s2\"}", 0, 100);
    let members = vec![SeriesHash::of("a"), SeriesHash::of("b")];
    cache.insert(w.clone(), answer(5), cache.epoch(), members.clone());
    cache.written("c", 0, 100);
    assert!(cache.get(&w).is_some(), "another series");
    cache.written("b", 200, 300);
    assert!(cache.get(&w).is_some(), "outside the window");
    cache.written("b", 50, 60);
    assert!(cache.get(&w).is_none(), "a member written inside the window");
    assert_eq!(cache.stats().bytes, 0);
    let before = cache.epoch();
    cache.written("a", 0, 1);
    cache.insert(w.clone(), answer(5), before, members);
    assert!(cache.get(&w).is_none(), "read before a member's write: not stored");
}

#[test]
fn one_write_of_many_series_drops_each_of_their_windows() {
    let cache = QueryCache::new(1 << 20);
    let before = cache.epoch();
    for series in ["a", "b", "c"] {
        put(&cache, window(series, 0, 100), answer(1), before);
    }
    // A fleet's batch: more series than the table of epochs has slots.
    let spans: Vec<WrittenSpan> = (0..100_000)
        .map(|i| format!("fleet.f{}{{device=\"d{i}\"}}", i % 20))
        .chain(["a".to_string(), "c".to_string()])
        .map(|key| WrittenSpan {
            series: SeriesHash::of(&key),
            first: 50,
            last: 60,
        })
        .collect();
    cache.written_spans(&spans);
    assert!(cache.get(&window("a", 0, 100)).is_none());
    assert!(cache.get(&window("b", 0, 100)).is_some(), "not in the write");
    assert!(cache.get(&window("c", 0, 100)).is_none());
    put(&cache, window("a", 0, 100), answer(1), before);
    assert!(
        cache.get(&window("a", 0, 100)).is_none(),
        "read before the write: not stored"
    );
    put(&cache, window("a", 0, 100), answer(1), cache.epoch());
    assert!(cache.get(&window("a", 0, 100)).is_some());
}
