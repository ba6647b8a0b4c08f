//! Background upkeep of the store: every second a passive WAL checkpoint
//! and the compaction of due windows; a minute after start and then every
//! ten minutes the retention pass. Each step is a short transaction of its own, so writes
//! interleave with the work and never wait long.

use crate::store::{Retention, Store};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

const TICK: Duration = Duration::from_secs(1);
const RETENTION_EVERY: u32 = 600;
/// The tick of the first retention pass: a server often starts as its
/// producers send what they held while it was down, and the pass (a few
/// queries per series) need not compete with that.
const RETENTION_FIRST: u32 = 60;
/// Windows compacted per transaction.
const COMPACT_PER_TX: usize = 16;
/// Transactions of compaction per tick at most, so a backlog drains over
/// several ticks instead of starving writes: series written at the same
/// pace reach the block limit together, and compacting a thousand of
/// them at once held the writer for over a second.
const COMPACT_TX_PER_TICK: usize = 16;
/// Pause between two compaction transactions, in which the writer thread
/// commits and applies what waits.
const COMPACT_PAUSE: Duration = Duration::from_millis(5);

/// Runs the upkeep until `stop` turns true.
pub fn spawn(store: Store, retention: Retention, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ticks: u32 = 0;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => return,
            }
            if ticks % RETENTION_EVERY == RETENTION_FIRST {
                expire(&store, retention).await;
            }
            ticks = ticks.wrapping_add(1);
            compact(&store).await;
            if let Err(e) = store.checkpoint_passive().await {
                tracing::warn!(error = %e, "WAL checkpoint failed");
            }
        }
    })
}

async fn compact(store: &Store) {
    for _ in 0..COMPACT_TX_PER_TICK {
        match store.compact_due(crate::clock::now_ms(), COMPACT_PER_TX).await {
            Ok(done) if done == COMPACT_PER_TX => tokio::time::sleep(COMPACT_PAUSE).await,
            Ok(_) => return,
            Err(e) => {
                tracing::warn!(error = %e, "compaction failed");
                return;
            }
        }
    }
}

async fn expire(store: &Store, retention: Retention) {
    match store.apply_retention(retention, crate::clock::now_ms()).await {
        Ok(r) if r.raw_points + r.minute_buckets + r.hour_buckets > 0 => tracing::info!(
            raw_points = r.raw_points,
            minute_buckets = r.minute_buckets,
            hour_buckets = r.hour_buckets,
            "retention removed old data"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "retention failed"),
    }
}
