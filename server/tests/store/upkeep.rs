//! The store's background upkeep: compaction of appended blocks, retention
//! per tier, and the figures `stats` reports about both.

use crate::support::{batch, TestApp, DAY, T0};
use app::domain::{RollupTier, Summary, MINUTE_MS};
use server::store::{Retention, Store};

async fn points_of(store: &Store, key: &'static str) -> Vec<(i64, f64)> {
    store
        .read(move |reader| {
            let id = reader.series(key)?.unwrap().id;
            reader.points(id, 0, i64::MAX)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn blocks_of_a_sealed_window_compact_into_one_chunk() {
    let (state, _dir) = TestApp::state(1024).await;
    let store = &state.store;
    // One hour of 1 Hz data, sent 50 points at a time as a collector would.
    let all: Vec<(i64, f64)> = (0..3_600).map(|s| (T0 + s * 1_000, (s % 97) as f64 / 10.0)).collect();
    for part in all.chunks(50) {
        store.write_batch(batch("s", part.iter().copied())).await.unwrap();
        store.flush().await.unwrap(); // applied alone, as from a slow producer
    }
    // The first five join into one chunk (the blocks before each held at
    // most four times its points); every later one is a block of its own.
    let before = store.stats().await.unwrap();
    assert_eq!((before.points, before.chunks), (3_600, 1 + 67));
    assert_eq!(before.unsealed_windows, 1);

    // Still open: 67 blocks is over the limit, so it compacts anyway.
    assert_eq!(store.compact_due(T0 + 60_000, 100).await.unwrap(), 1);
    let after = store.stats().await.unwrap();
    assert_eq!((after.points, after.chunks, after.unsealed_windows), (3_600, 1, 0));
    assert_eq!(points_of(store, "s").await, all);
    assert_eq!(store.compact_due(T0 + DAY, 100).await.unwrap(), 0, "nothing left to do");
}

#[tokio::test]
async fn an_open_window_waits_until_it_is_sealed() {
    let (state, _dir) = TestApp::state(1024).await;
    let store = &state.store;
    // Batches too long to grow the block before them and too short to
    // join it: one block each.
    for (from, to) in [(0, 1_000), (1_000, 1_100), (1_100, 1_200)] {
        let points = (from..to).map(|s| (T0 + s * 1_000, 1.0));
        store.write_batch(batch("s", points)).await.unwrap();
        store.flush().await.unwrap();
    }
    assert_eq!(store.stats().await.unwrap().chunks, 3);
    assert_eq!(
        store.compact_due(T0 + 10_000, 100).await.unwrap(),
        0,
        "window still open"
    );
    let now = server::clock::now_ms().max(T0 + 2 * 3_600_000);
    assert_eq!(store.compact_due(now + 60_000, 100).await.unwrap(), 1);
    assert_eq!(store.stats().await.unwrap().chunks, 1);
}

#[tokio::test]
async fn retention_drops_old_raw_points_and_keeps_rollups_longer() {
    let (state, _dir) = TestApp::state(1024).await;
    let store = &state.store;
    // Three days of a point every 4 s (900 an hour: dense hours, with
    // minute rows) and of a point a minute (sparse hours, whose points
    // stand in for minute rows).
    let every = |step: i64| -> Vec<(i64, f64)> { (0..3 * DAY / step).map(|i| (T0 + i * step, i as f64)).collect() };
    let (dense, sparse) = (every(4_000), every(60_000));
    store.write_batch(batch("dense", dense.iter().copied())).await.unwrap();
    store
        .write_batch(batch("sparse", sparse.iter().copied()))
        .await
        .unwrap();
    let now = T0 + 3 * DAY;
    let kept = Retention {
        raw_ms: Some(DAY),
        minute_ms: Some(2 * DAY),
        hour_ms: None,
    };
    let report = store.apply_retention(kept, now).await.unwrap();
    assert_eq!(
        report.raw_points,
        2 * dense.len() as i64 / 3 + sparse.len() as i64 / 3,
        "two days of the dense series, one of the sparse"
    );
    assert_eq!(report.minute_buckets, 24 * 60, "the dense series' first day");
    assert_eq!(report.hour_buckets, 0);

    for (key, points, raw_kept) in [("dense", &dense, DAY), ("sparse", &sparse, 2 * DAY)] {
        let left = points_of(store, key).await;
        let since = points.partition_point(|p| p.0 < now - raw_kept);
        assert_eq!(left, points[since..], "{key}");
        let (info, minutes, hours) = store
            .read(move |reader| {
                let s = reader.series(key)?.unwrap();
                Ok((
                    s.info,
                    reader.buckets(RollupTier::Minute, s.id, 0, i64::MAX)?,
                    reader.buckets(RollupTier::Hour, s.id, 0, i64::MAX)?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(info.count, left.len() as u64, "{key}");
        assert_eq!(info.first, Some(now - raw_kept), "{key}");
        assert_eq!(info.last, points.last().map(|p| p.0), "{key}");
        assert_eq!(minutes.first().map(|b| b.start), Some(now - 2 * DAY), "{key}");
        assert_eq!(minutes.len(), 2 * 24 * 60, "{key}: every minute of two days");
        assert_eq!(hours.len(), 72, "{key}: hour rollups are kept forever");
    }

    let again = store.apply_retention(kept, now).await.unwrap();
    assert_eq!(again.raw_points + again.minute_buckets, 0);
    let stats = store.stats().await.unwrap();
    assert!(
        stats.free_bytes < stats.file_bytes / 2,
        "freed pages go back: {stats:?}"
    );
}

#[tokio::test]
async fn retention_writes_heads_out_only_when_one_holds_points_it_removes() {
    let (state, _dir) = TestApp::state(1024).await;
    let store = &state.store;
    let now = T0 + 10 * DAY;
    let kept = Retention {
        raw_ms: Some(DAY),
        minute_ms: Some(DAY),
        hour_ms: Some(DAY),
    };
    let recent: Vec<(i64, f64)> = (0..10).map(|i| (now - 60_000 + i * 1_000, i as f64)).collect();
    store
        .write_batch(batch("recent", recent.iter().copied()))
        .await
        .unwrap();
    store.apply_retention(kept, now).await.unwrap();
    assert_eq!(store.head_points(), (10, 1), "nothing old: the head waits");

    // A backfill of a new series, all of it older than kept: still in the head.
    let old: Vec<(i64, f64)> = (0..10).map(|i| (now - 5 * DAY + i * 1_000, i as f64)).collect();
    store.write_batch(batch("old", old.iter().copied())).await.unwrap();
    assert_eq!(store.head_points(), (20, 2));
    let report = store.apply_retention(kept, now).await.unwrap();
    assert_eq!(report.raw_points, 10, "the backfill is written out, then removed");
    assert_eq!(store.head_points(), (0, 0));
    assert_eq!(points_of(store, "old").await, []);
    assert_eq!(points_of(store, "recent").await, recent);
}

/// An hour of at most 720 points has no minute rows (its points make its
/// minute buckets when read); one that grows past that gets them all at
/// once, and from then on as any other. Late points keep both exact.
#[tokio::test]
async fn sparse_hours_have_no_minute_rows_until_they_grow_dense() {
    let (state, _dir) = TestApp::state(1024).await;
    let store = &state.store;
    let mut model = std::collections::BTreeMap::new();
    let check = |model: &std::collections::BTreeMap<i64, f64>| {
        let want: Vec<(i64, f64)> = model.iter().map(|(&t, &v)| (t, v)).collect();
        let want: Vec<Summary> = app::domain::touched_buckets(want.iter().map(|p| p.0), MINUTE_MS)
            .into_iter()
            .map(|b| {
                let mut s = Summary::of(app::domain::bucket_slice(&want, b, MINUTE_MS)).unwrap();
                (s.start, s.end) = (b, b + MINUTE_MS);
                s
            })
            .collect();
        want
    };
    let read = || async {
        store
            .read(|reader| {
                let s = reader.series("s")?.unwrap();
                reader.buckets(RollupTier::Minute, s.id, 0, i64::MAX)
            })
            .await
            .unwrap()
    };
    // 600 points in the hour's first 10 minutes: sparse.
    let first: Vec<(i64, f64)> = (0..600).map(|i| (T0 + i * 1_000, (i % 17) as f64)).collect();
    model.extend(first.iter().copied());
    store.write_batch(batch("s", first)).await.unwrap();
    assert_eq!(read().await, check(&model));
    assert_eq!(store.stats().await.unwrap().minute_buckets, 0);
    // 200 more, later in the hour: dense, every minute gets its row.
    let more: Vec<(i64, f64)> = (0..200).map(|i| (T0 + 1_200_000 + i * 1_000, i as f64)).collect();
    model.extend(more.iter().copied());
    store.write_batch(batch("s", more)).await.unwrap();
    assert_eq!(read().await, check(&model));
    assert_eq!(store.stats().await.unwrap().minute_buckets, 14);
    // Late points and replacements inside stored chunks.
    let late = vec![(T0 + 500, -3.0), (T0 + 5_000, 99.0), (T0 + 1_200_500, 7.0)];
    model.extend(late.iter().copied());
    store.write_batch(batch("s", late)).await.unwrap();
    assert_eq!(read().await, check(&model));
}

#[tokio::test]
async fn a_revoked_tokens_id_is_never_given_again() {
    use server::auth::{Scope, Scopes};
    let (state, _dir) = TestApp::state(1024).await;
    let store = &state.store;
    let make = |name: &'static str| {
        store.create_token(
            name.into(),
            Scopes::of(&[Scope::Read]),
            [name.len() as u8; 32],
            name.into(),
        )
    };
    let newest = make("first").await.unwrap();
    assert!(store.revoke_token(newest.id).await.unwrap());
    let next = make("second").await.unwrap();
    assert!(next.id > newest.id, "{} after revoked {}", next.id, newest.id);
}

#[tokio::test]
async fn the_data_folder_and_database_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").join("nested");
    let store = Store::open(&data.join("sensorboard.db"), 1).await.unwrap();
    store.write_batch(batch("s", [(T0, 1.0)])).await.unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir.path().join("data")), 0o700);
    assert_eq!(mode(&data), 0o700);
    for file in ["sensorboard.db", "sensorboard.db-wal", "sensorboard.db-shm"] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
}
