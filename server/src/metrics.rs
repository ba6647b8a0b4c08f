//! `GET /metrics`: figures in the Prometheus (OpenMetrics) text format:
//! per-route requests, latencies and errors (`http`), and, read from their
//! sources at scrape time, the query cache's counters and size, points and
//! batches ingested, batches not yet applied to the rollups, the last
//! retention pass, the connection pools (open, idle, in use, checkouts,
//! time waited), the database files' size, and the alert scheduler's
//! figures (`alerting`).

mod alerting;
mod http;

pub use http::{track, HttpMetrics, RecentRequests};

use crate::alerts::Alerts;
use crate::query::QueryCache;
use crate::store::Store;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::{Registry, Unit};
use std::fmt;

/// The registry every scrape encodes, and the request figures the
/// middleware updates.
pub fn registry(cache: QueryCache, store: Store, alerts: Alerts) -> (Registry, HttpMetrics) {
    let mut registry = Registry::with_prefix("sensorboard");
    let http = HttpMetrics::register(&mut registry);
    registry.register_collector(Box::new(CacheFigures(cache)));
    registry.register_collector(Box::new(StoreFigures(store)));
    registry.register_collector(Box::new(alerting::AlertFigures(alerts)));
    (registry, http)
}

/// The registry as text, ready to serve.
pub fn render(registry: &Registry) -> Result<String, fmt::Error> {
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, registry)?;
    Ok(text)
}

struct CacheFigures(QueryCache);

impl fmt::Debug for CacheFigures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CacheFigures")
    }
}

fn counter(encoder: &mut DescriptorEncoder, name: &str, help: &str, value: u64) -> fmt::Result {
    let metric = ConstCounter::new(value);
    metric.encode(encoder.encode_descriptor(name, help, None, metric.metric_type())?)
}

fn gauge(encoder: &mut DescriptorEncoder, name: &str, help: &str, unit: Option<&Unit>, value: i64) -> fmt::Result {
    let metric = ConstGauge::new(value);
    metric.encode(encoder.encode_descriptor(name, help, unit, metric.metric_type())?)
}

impl Collector for CacheFigures {
    fn encode(&self, mut encoder: DescriptorEncoder) -> fmt::Result {
        let s = self.0.stats();
        let e = &mut encoder;
        counter(e, "query_cache_hits", "Queries answered from the result cache.", s.hits)?;
        counter(
            e,
            "query_cache_misses",
            "Queries the result cache could not answer.",
            s.misses,
        )?;
        counter(
            e,
            "query_cache_inserts",
            "Answers stored in the result cache.",
            s.inserts,
        )?;
        counter(
            e,
            "query_cache_evictions",
            "Answers dropped to stay within the cache's size.",
            s.evictions,
        )?;
        counter(
            e,
            "query_cache_invalidations",
            "Answers dropped because a write changed their window.",
            s.invalidations,
        )?;
        gauge(
            e,
            "query_cache_entries",
            "Answers held in the result cache.",
            None,
            s.entries as i64,
        )?;
        gauge(
            e,
            "query_cache",
            "Memory held by cached answers.",
            Some(&Unit::Bytes),
            s.bytes as i64,
        )?;
        gauge(
            e,
            "query_cache_capacity",
            "Most memory cached answers may take (0: cache off).",
            Some(&Unit::Bytes),
            s.capacity_bytes as i64,
        )
    }
}

struct StoreFigures(Store);

impl fmt::Debug for StoreFigures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoreFigures")
    }
}

impl Collector for StoreFigures {
    fn encode(&self, mut encoder: DescriptorEncoder) -> fmt::Result {
        let e = &mut encoder;
        let (points, batches) = self.0.ingested();
        counter(e, "ingest_points", "Points acknowledged (stored durably).", points)?;
        counter(e, "ingest_batches", "Write requests acknowledged.", batches)?;
        gauge(
            e,
            "ingest_unapplied_batches",
            "Acknowledged batches of late points not yet applied to chunks and rollups.",
            None,
            self.0.unapplied_batches() as i64,
        )?;
        let (head_points, head_series) = self.0.head_points();
        gauge(
            e,
            "ingest_head_points",
            "Acknowledged points held in memory (and the log), not yet written to chunks.",
            None,
            head_points as i64,
        )?;
        gauge(
            e,
            "ingest_head_series",
            "Series with points held in memory.",
            None,
            head_series as i64,
        )?;
        let (writer, readers) = self.0.pool_figures();
        for (pool, f) in [("writer", writer), ("readers", readers)] {
            gauge(
                e,
                &format!("pool_{pool}_open"),
                "Connections open in the pool.",
                None,
                i64::from(f.open),
            )?;
            gauge(
                e,
                &format!("pool_{pool}_idle"),
                "Connections idle in the pool.",
                None,
                i64::from(f.idle),
            )?;
            gauge(
                e,
                &format!("pool_{pool}_in_use"),
                "Connections in use.",
                None,
                i64::from(f.open.saturating_sub(f.idle)),
            )?;
            counter(
                e,
                &format!("pool_{pool}_checkouts"),
                "Connections handed out.",
                f.checkouts,
            )?;
            counter(
                e,
                &format!("pool_{pool}_wait_microseconds"),
                "Total time spent waiting for a connection.",
                f.waited_us,
            )?;
        }
        gauge(
            e,
            "retention_last_run_timestamp",
            "When the last retention pass finished, Unix time (0: none yet); runs every 10 minutes.",
            Some(&Unit::Seconds),
            self.0.retention_done_ms() / 1000,
        )?;
        let (db, wal) = self.0.file_sizes();
        gauge(
            e,
            "database_file",
            "Size of the database file.",
            Some(&Unit::Bytes),
            db as i64,
        )?;
        gauge(
            e,
            "database_wal",
            "Size of the write-ahead log.",
            Some(&Unit::Bytes),
            wal as i64,
        )
    }
}
