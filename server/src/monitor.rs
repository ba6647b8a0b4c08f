//! The server watching itself: every [`EVERY`] it records its own figures
//! (request latency quantiles and rate, ingest rate, query cache hit rate,
//! memory, database size) as series under `sensorboard.`, through the
//! same store as any data, so the System page charts them with the
//! dashboard's panels and they keep their history and rollups.

use crate::batch::{validate_point, ValidBatch};
use crate::state::AppState;
use app::model::Labels;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How often the figures are recorded.
pub const EVERY: Duration = Duration::from_secs(10);

/// Counters as of the previous reading, to turn totals into rates.
#[derive(Default)]
struct Previous {
    points: u64,
    hits: u64,
    misses: u64,
}

/// Starts recording; stops when `stop` turns true.
pub fn spawn(state: AppState, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        let mut previous = Previous::default();
        let mut since = Instant::now();
        state.http_metrics.take_recent();
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => return,
            }
            let seconds = since.elapsed().as_secs_f64().max(0.001);
            since = Instant::now();
            let Some(batch) = reading(&state, &mut previous, seconds) else {
                continue;
            };
            if let Err(e) = state.store.write_batch(batch).await {
                tracing::warn!(error = %e, "recording the server's own figures failed");
            }
        }
    })
}

/// This interval's figures as one batch stamped now.
fn reading(state: &AppState, previous: &mut Previous, seconds: f64) -> Option<ValidBatch> {
    let now = crate::clock::now_ms();
    let mut points = Vec::new();
    let mut add = |name: &str, label: Option<(&str, &str)>, unit: &str, v: f64| {
        let labels: Labels = label.map(|(k, v)| (k.to_owned(), v.to_owned())).into_iter().collect();
        if let Ok(p) = validate_point(name.to_owned(), labels, Some(unit.to_owned()), now, v) {
            points.push(p);
        }
    };

    let recent = state.http_metrics.take_recent();
    add(
        "sensorboard.http.requests_per_s",
        None,
        "req/s",
        recent.requests as f64 / seconds,
    );
    for (name, q) in [("p50", 0.50), ("p95", 0.95), ("p99", 0.99)] {
        if let Some(us) = quantile(&recent.sorted_micros, q) {
            add(
                "sensorboard.http.latency_ms",
                Some(("quantile", name)),
                "ms",
                f64::from(us) / 1e3,
            );
        }
    }

    let (ingested, _) = state.store.ingested();
    add(
        "sensorboard.ingest.points_per_s",
        None,
        "points/s",
        ingested.saturating_sub(previous.points) as f64 / seconds,
    );
    let cache = state.queries.cache().stats();
    let (hits, misses) = (
        cache.hits.saturating_sub(previous.hits),
        cache.misses.saturating_sub(previous.misses),
    );
    if hits + misses > 0 {
        add(
            "sensorboard.cache.hit_percent",
            None,
            "%",
            100.0 * hits as f64 / (hits + misses) as f64,
        );
    }
    *previous = Previous {
        points: ingested,
        hits: cache.hits,
        misses: cache.misses,
    };

    if let Some(kib) = rss_kib() {
        add("sensorboard.process.rss_mib", None, "MiB", kib as f64 / 1024.0);
    }
    let (db, wal) = state.store.file_sizes();
    add(
        "sensorboard.database.size_mib",
        None,
        "MiB",
        (db + wal) as f64 / (1024.0 * 1024.0),
    );
    ValidBatch::new(points).ok()
}

/// The `q` quantile of sorted values (nearest rank).
fn quantile(sorted: &[u32], q: f64) -> Option<u32> {
    let last = sorted.len().checked_sub(1)?;
    sorted
        .get(((sorted.len() as f64 * q).ceil() as usize).saturating_sub(1).min(last))
        .copied()
}

/// This process's resident memory, where the system tells (Linux).
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles() {
        let v: Vec<u32> = (1..=100).collect();
        assert_eq!(quantile(&v, 0.50), Some(50));
        assert_eq!(quantile(&v, 0.99), Some(99));
        assert_eq!(quantile(&[7], 0.95), Some(7));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
