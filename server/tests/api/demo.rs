//! The demo generator writes through the ingest path into the store.

use crate::support::TestApp;
use server::demo::{self, SIGNALS};
use server::store::SeriesSearch;
use std::time::Duration;

#[tokio::test]
async fn demo_backfills_every_signal_then_stops_when_told() {
    let (state, _dir) = TestApp::state(1024).await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let task = demo::spawn(state.store.clone(), 1, stopped);

    let mut series = Vec::new();
    for _ in 0..100 {
        series = state.store.list_series(SeriesSearch::text("demo.", 10)).await.unwrap();
        if series.len() == SIGNALS.len() && series.iter().all(|s| s.count >= 3_600) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(series.len(), SIGNALS.len(), "{series:?}");
    for s in &series {
        assert!(
            s.count >= 3_600,
            "{} has {} points after an hour's backfill",
            s.key,
            s.count
        );
        assert!(s.unit.is_some(), "{} has a unit", s.key);
        let span = s.last.unwrap() - s.first.unwrap();
        assert!((3_599_000..3_700_000).contains(&span), "{} spans {span} ms", s.key);
    }

    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn a_restart_backfills_only_the_gap() {
    let (state, _dir) = TestApp::state(1024).await;
    let now_s = server::clock::now_ms() / 1000;
    let seeded = demo::batch(now_s - 600, now_s - 599).unwrap();
    state.store.write_batch(seeded).await.unwrap();

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let task = demo::spawn(state.store.clone(), 24, stopped);
    let mut series = Vec::new();
    for _ in 0..100 {
        series = state.store.list_series(SeriesSearch::text("demo.", 10)).await.unwrap();
        if series.iter().all(|s| s.count >= 600) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .unwrap()
        .unwrap();
    for s in &series {
        assert_eq!(
            s.first,
            Some((now_s - 600) * 1000),
            "{}: nothing older than the seeded point",
            s.key
        );
        assert!(
            (600..=610).contains(&s.count),
            "{}: {} points fill a 10-minute gap",
            s.key,
            s.count
        );
    }
}
