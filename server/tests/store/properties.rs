//! The chunk store against a model: whatever order, overlap and repetition
//! the writes come in, and however they split between the head and the
//! chunks, reads return the last value written at each time and every
//! rollup bucket equals the summary of its points.

use crate::support::{TestApp, DAY, T0};
use app::domain::{bucket_slice, RollupTier, Summary};
use proptest::prelude::*;
use server::batch::ValidBatch;
use server::store::Store;
use std::collections::BTreeMap;

fn batch(points: &[(i64, f64)]) -> ValidBatch {
    crate::support::batch("s", points.iter().copied())
}

/// Checks what the store reads against `model`: as it stands, the head's
/// points included, then (with `flushed`) once every head is written out.
async fn check_against_model(store: &Store, model: &BTreeMap<i64, f64>) -> Result<(), TestCaseError> {
    check_reads(store, model, false).await?;
    check_reads(store, model, true).await
}

async fn check_reads(store: &Store, model: &BTreeMap<i64, f64>, flushed: bool) -> Result<(), TestCaseError> {
    let expected: Vec<(i64, f64)> = model.iter().map(|(&t, &v)| (t, v)).collect();
    let read = |reader: &server::store::Reader| {
        let row = reader.series("s")?.expect("written");
        let (id, range) = (row.id, (T0 - 10_000_000, T0 + 20_000_000));
        Ok((
            reader.points(id, range.0, range.1)?,
            reader.buckets(RollupTier::Minute, id, range.0, range.1)?,
            reader.buckets(RollupTier::Hour, id, range.0, range.1)?,
            row.info,
            (
                reader.oldest_point(id)?,
                reader.reach(id)?.raw,
                reader.raw_estimate(id, range.0, range.1)?,
            ),
        ))
    };
    let (points, minutes, hours, info, (oldest, reach, estimate)) = if flushed {
        store.read(read).await
    } else {
        store.read_series(&["s"], read).await
    }
    .unwrap();
    prop_assert_eq!(&points, &expected);
    prop_assert_eq!(info.count, expected.len() as u64);
    prop_assert_eq!(info.first, expected.first().map(|p| p.0));
    prop_assert_eq!(
        (info.last, info.last_value),
        expected.last().map(|p| (Some(p.0), Some(p.1))).unwrap()
    );
    prop_assert_eq!(oldest, expected.first().map(|p| p.0));
    prop_assert_eq!(reach, oldest);
    prop_assert_eq!(estimate, expected.len() as u64, "every chunk lies inside the range");
    for (tier, buckets) in [(RollupTier::Minute, minutes), (RollupTier::Hour, hours)] {
        prop_assert_eq!(
            buckets.iter().map(|b| b.count).sum::<u64>(),
            expected.len() as u64,
            "{:?}",
            tier
        );
        for b in &buckets {
            let want = Summary::of(bucket_slice(&expected, b.start, tier.width_ms())).unwrap();
            prop_assert_eq!(
                (b.count, b.min, b.max, b.first, b.last),
                (want.count, want.min, want.max, want.first, want.last)
            );
            prop_assert!((b.sum - want.sum).abs() < 1e-6);
        }
    }
    Ok(())
}

/// A wall clock far enough ahead that every window counts as sealed.
const LATER: i64 = T0 + DAY;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn out_of_order_duplicate_and_cross_window_writes_read_back_exactly(
        batches in prop::collection::vec(
            (prop::collection::vec((-3_000i64..9_000, -1_000i32..1_000), 1..40), any::<bool>(), any::<bool>()),
            1..8,
        ),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let (state, _dir) = TestApp::state(1024).await;
            let mut model = BTreeMap::new();
            for (b, write_out_after, compact_after) in &batches {
                // Seconds around two window edges, so writes land on both sides.
                let points: Vec<(i64, f64)> = b.iter().map(|&(s, v)| (T0 + s * 1_000, f64::from(v) / 4.0)).collect();
                for &(t, v) in &points {
                    model.insert(t, v);
                }
                state.store.write_batch(batch(&points)).await.unwrap();
                if *write_out_after {
                    // Later batches then split into head points and late ones.
                    state.store.flush().await.unwrap();
                }
                if *compact_after {
                    state.store.compact_due(LATER, 1_000).await.unwrap();
                }
            }
            check_against_model(&state.store, &model).await
        })?;
    }

    /// Concurrent writers share transactions (group commit); with distinct
    /// times the stored result does not depend on their order.
    #[test]
    fn concurrent_batches_read_back_exactly(
        times in prop::collection::btree_set(-3_000i64..9_000, 1..300),
        writers in 2usize..9,
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let (state, _dir) = TestApp::state(1024).await;
            let points: Vec<(i64, f64)> = times.iter().map(|&s| (T0 + s * 1_000, s as f64)).collect();
            let mut writes = tokio::task::JoinSet::new();
            for w in 0..writers.min(points.len()) {
                let mine: Vec<(i64, f64)> = points.iter().copied().skip(w).step_by(writers).collect();
                let store = state.store.clone();
                writes.spawn(async move { store.write_batch(batch(&mine)).await.unwrap() });
            }
            writes.join_all().await;
            check_against_model(&state.store, &points.iter().copied().collect()).await?;
            state.store.compact_due(LATER, 1_000).await.unwrap();
            check_against_model(&state.store, &points.iter().copied().collect()).await
        })?;
    }
}

#[tokio::test]
async fn reads_cut_chunks_at_the_range_edges() {
    let (state, _dir) = TestApp::state(1024).await;
    let points: Vec<(i64, f64)> = (0..7_200).map(|s| (T0 + s * 1_000, s as f64)).collect();
    state.store.write_batch(batch(&points)).await.unwrap();
    let got = state
        .store
        .read(|reader| {
            let id = reader.series("s")?.unwrap().id;
            reader.points(id, T0 + 1_799_000, T0 + 3_600_000)
        })
        .await
        .unwrap();
    assert_eq!(got.first(), Some(&(T0 + 1_799_000, 1_799.0)));
    assert_eq!(got.last(), Some(&(T0 + 3_600_000, 3_600.0)));
    assert_eq!(got.len(), 1_802);
}

#[tokio::test]
async fn a_large_read_split_over_two_threads_is_whole_and_in_order() {
    let (state, _dir) = TestApp::state(1024).await;
    // Four days at 1 Hz in small batches, so some hours hold several blocks.
    let points: Vec<(i64, f64)> = (0..4 * 86_400).map(|s| (T0 + s * 1_000, (s % 977) as f64)).collect();
    for part in points.chunks(7_000) {
        state.store.write_batch(batch(part)).await.unwrap();
    }
    for (from, to) in [
        (T0 - 5, T0 + 4 * 86_400_000),
        (T0 + 1_234_567, T0 + 3 * 86_400_000 + 17),
        (T0 + 3_600_000, T0 + 3 * 3_600_000 - 1),
    ] {
        let got = state
            .store
            .read(move |reader| {
                let id = reader.series("s")?.unwrap().id;
                reader.points(id, from, to)
            })
            .await
            .unwrap();
        let want: Vec<(i64, f64)> = points.iter().copied().filter(|p| (from..=to).contains(&p.0)).collect();
        assert_eq!(got.len(), want.len(), "{from}..{to}");
        assert!(got == want, "{from}..{to}: the same points in the same order");
    }
}

#[tokio::test]
async fn reads_beyond_the_reader_connections_queue_and_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("queue.db"), 1).await.unwrap();
    let reads: Vec<_> = (0..12)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .read(move |_| {
                        // Holds the one reader connection while the others queue.
                        std::thread::sleep(std::time::Duration::from_millis(10));
                        Ok(i)
                    })
                    .await
            })
        })
        .collect();
    for (i, read) in reads.into_iter().enumerate() {
        assert_eq!(read.await.unwrap().unwrap(), i);
    }
    let (_, readers) = store.pool_figures();
    assert_eq!(readers.open, 1, "one connection served them all");
    assert!(
        readers.waited_us >= 50_000,
        "the queued reads' waits are counted: {readers:?}"
    );
}

/// Readers running while heads are written out see every acknowledged
/// point exactly once: never a point twice (in the head and in a chunk),
/// never one missing (in neither).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_during_write_outs_see_each_point_once() {
    let (state, _dir) = TestApp::state(1024).await;
    let store = state.store.clone();
    let acknowledged = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let written = acknowledged.clone();
    let writer = tokio::spawn(async move {
        for b in 0..200i64 {
            let points: Vec<(i64, f64)> = (0..10).map(|i| (T0 + (b * 10 + i) * 1_000, i as f64)).collect();
            store.write_batch(batch(&points)).await.unwrap();
            written.fetch_add(points.len(), std::sync::atomic::Ordering::SeqCst);
            if b % 7 == 0 {
                store.flush().await.unwrap();
            }
        }
    });
    let mut reads = 0;
    while !writer.is_finished() || reads == 0 {
        let at_least = acknowledged.load(std::sync::atomic::Ordering::SeqCst);
        let (points, count) = state
            .store
            .read_series(&["s"], |reader| {
                let Some(row) = reader.series("s")? else {
                    return Ok((Vec::new(), 0));
                };
                Ok((reader.points(row.id, T0, T0 + DAY)?, row.info.count))
            })
            .await
            .unwrap();
        assert!(points.len() >= at_least, "{} < {at_least} acknowledged", points.len());
        assert!(points.windows(2).all(|w| w[0].0 < w[1].0), "no point twice");
        assert_eq!(count, points.len() as u64);
        reads += 1;
    }
    writer.await.unwrap();
}

/// Writers racing over the same series, each batch a slice of time for all
/// of them (as a collector's batches sent on several connections): the
/// batches land out of order, heads fill and are written out while late
/// points are applied, and every point is stored once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_writers_of_the_same_series_lose_nothing() {
    let (state, _dir) = TestApp::state(1024).await;
    let (series, per_series, per_batch) = (20i64, 40_000i64, 20i64);
    let batches: Vec<ValidBatch> = (0..per_series / per_batch)
        .map(|b| {
            let points = (0..series).flat_map(|s| {
                (b * per_batch..(b + 1) * per_batch).map(move |i| {
                    server::batch::validate_point(format!("s{s}"), Default::default(), None, T0 + i * 1_000, i as f64)
                        .unwrap()
                })
            });
            ValidBatch::new(points.collect()).unwrap()
        })
        .collect();
    let queue = std::sync::Arc::new(std::sync::Mutex::new(batches));
    let mut writers = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let (store, queue) = (state.store.clone(), queue.clone());
        writers.spawn(async move {
            loop {
                let Some(next) = queue.lock().unwrap().pop() else { break };
                store.write_batch(next).await.unwrap();
            }
        });
    }
    let compactor = {
        let store = state.store.clone();
        tokio::spawn(async move {
            // The background job's compaction, running beside the writers.
            loop {
                store.compact_due(T0 + 10 * DAY, 16).await.unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
        })
    };
    writers.join_all().await;
    compactor.abort();
    // Listed first: the list must not wait for a reader to apply late points.
    let listed = state
        .store
        .list_series(server::store::SeriesSearch::text("s", 100))
        .await
        .unwrap();
    assert_eq!(listed.len(), series as usize);
    assert!(listed.iter().all(|s| s.count == per_series as u64), "{listed:?}");
    for s in 0..series {
        let key = format!("s{s}");
        let lookup = key.clone();
        let (count, points) = state
            .store
            .read_series(&[key.as_str()], move |reader| {
                let key = lookup;
                let row = reader.series(&key)?.unwrap();
                Ok((row.info.count, reader.points(row.id, T0, T0 + DAY)?.len()))
            })
            .await
            .unwrap();
        assert_eq!((count, points), (per_series as u64, per_series as usize), "s{s}");
    }
}
