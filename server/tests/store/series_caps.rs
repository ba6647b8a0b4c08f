//! The committer counts the series a batch creates exactly, across
//! concurrent writes and restarts, and logs nothing of a refused batch.

use crate::support::T0;
use server::batch::{validate_point, ValidBatch};
use server::store::{NewSeriesRule, SeriesRefusal, Store, StoreError};

/// One point of each of the series `names`.
fn batch_of(names: &[String]) -> ValidBatch {
    let points = names
        .iter()
        .map(|n| validate_point(n.clone(), Default::default(), None, T0, 1.0).unwrap())
        .collect();
    ValidBatch::new(points).unwrap()
}

fn at_most(in_store: usize) -> NewSeriesRule {
    NewSeriesRule {
        most_per_batch: usize::MAX,
        most_in_store: in_store,
        allowance: None,
    }
}

#[tokio::test]
async fn concurrent_writes_never_pass_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("caps.db"), 2).await.unwrap();
    let writes = (0..10).map(|w| {
        let store = store.clone();
        let names: Vec<String> = (0..3).map(|s| format!("w{w}.s{s}")).collect();
        tokio::spawn(async move { store.write_batch_within(batch_of(&names), at_most(10)).await })
    });
    let mut stored = 0;
    for write in writes {
        match write.await.unwrap() {
            Ok(summary) => stored += summary.new_series,
            Err(StoreError::SeriesRefused(SeriesRefusal::StoreFull { most: 10, .. })) => {}
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!(stored, 9, "three batches of three fit under ten");
    store.flush().await.unwrap();
    assert_eq!(store.stats().await.unwrap().series, 9, "refused batches left nothing");
}

#[tokio::test]
async fn the_count_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caps.db");
    let names = |from: usize| (from..from + 3).map(|s| format!("s{s}")).collect::<Vec<_>>();
    {
        let store = Store::open(&path, 1).await.unwrap();
        store.write_batch_within(batch_of(&names(0)), at_most(5)).await.unwrap();
    }
    let store = Store::open(&path, 1).await.unwrap();
    let refused = store.write_batch_within(batch_of(&names(3)), at_most(5)).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::SeriesRefused(SeriesRefusal::StoreFull { known: 3, .. }))
        ),
        "{refused:?}"
    );
    store
        .write_batch_within(batch_of(&names(3)[..2]), at_most(5))
        .await
        .unwrap();
}
