//! Demo data: five sensor signals at 1 Hz, written through the same
//! validation and store path as any producer's. On start it backfills the
//! missing history (newest hour first, so the default view fills first),
//! while the live signals start at once.

mod signals;

use crate::batch::{validate_point, ValidBatch};
use crate::clock;
use crate::store::{SeriesSearch, Store, StoreError};
use app::model::Labels;
pub use signals::{Signal, SIGNALS};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Seconds of history per backfill batch: 600 s × 5 signals = 3000 points,
/// small enough that live writes never wait long behind one.
const BACKFILL_BATCH_S: i64 = 600;

/// Starts the generator; it stops when `stop` turns true.
pub fn spawn(store: Store, backfill_hours: u32, stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let now_s = clock::now_ms() / 1000;
        // Decided before the live writer starts: its first point would
        // otherwise look like history that needs no filling.
        let start = match backfill_start(&store, now_s, backfill_hours).await {
            Ok(start) => start,
            Err(e) => {
                tracing::warn!(error = %e, "demo backfill skipped");
                now_s
            }
        };
        tokio::join!(live(store.clone(), stop.clone()), backfill(store, start, now_s, stop));
    })
}

/// One batch holding every signal at each second of `[from_s, to_s)`.
pub fn batch(from_s: i64, to_s: i64) -> Option<ValidBatch> {
    let mut points = Vec::with_capacity(((to_s - from_s).max(0) as usize) * SIGNALS.len());
    for t_s in from_s..to_s {
        for s in &SIGNALS {
            let v = s.sample(t_s * 1000);
            let point = validate_point(s.name.to_owned(), Labels::new(), Some(s.unit.to_owned()), t_s * 1000, v);
            match point {
                Ok(p) => points.push(p),
                Err(e) => tracing::warn!(signal = s.name, error = %e, "demo point rejected"),
            }
        }
    }
    ValidBatch::new(points).ok()
}

async fn live(store: Store, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        let t_s = clock::now_ms() / 1000;
        if let Some(b) = batch(t_s, t_s + 1) {
            if let Err(e) = store.write_batch(b).await {
                tracing::warn!(error = %e, "demo write failed");
            }
        }
    }
}

/// Where the backfill starts: `hours` before `now_s`, or just after the
/// oldest "newest point" of the demo series if that is later.
async fn backfill_start(store: &Store, now_s: i64, hours: u32) -> Result<i64, StoreError> {
    let earliest = now_s - i64::from(hours) * 3600;
    let newest: Vec<Option<i64>> = store
        .list_series(SeriesSearch::text("demo.", 100))
        .await?
        .into_iter()
        .filter(|s| SIGNALS.iter().any(|g| g.name == s.key))
        .map(|s| s.last)
        .collect();
    Ok(match newest.iter().copied().min().flatten() {
        Some(last_ms) if newest.len() == SIGNALS.len() => (last_ms / 1000 + 1).max(earliest),
        _ => earliest,
    })
}

/// Fills `[start, now_s)`, newest batch first.
async fn backfill(store: Store, start: i64, now_s: i64, stop: watch::Receiver<bool>) {
    if start >= now_s {
        return;
    }
    tracing::info!(hours = (now_s - start) / 3600, "demo backfill started");
    let mut to = now_s;
    while to > start && !*stop.borrow() {
        let from = (to - BACKFILL_BATCH_S).max(start);
        if let Some(b) = batch(from, to) {
            if let Err(e) = store.write_batch(b).await {
                return tracing::warn!(error = %e, "demo backfill stopped");
            }
        }
        to = from;
    }
    tracing::info!("demo backfill finished");
}
