//! `GET /metrics`: figures in the Prometheus (OpenMetrics) text format:
//! per-route requests, latencies and errors (`http`), and, read from their
//! sources at scrape time, the query cache's counters and size and the
//! database files' size.

mod http;

pub use http::{track, ErrorCode, HttpMetrics};

use crate::cache::QueryCache;
use crate::store::Store;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::{Registry, Unit};
use std::fmt;

/// The registry every scrape encodes, and the request figures the
/// middleware updates.
pub fn registry(cache: QueryCache, store: Store) -> (Registry, HttpMetrics) {
    let mut registry = Registry::with_prefix("sensorboard");
    let http = HttpMetrics::register(&mut registry);
    registry.register_collector(Box::new(CacheFigures(cache)));
    registry.register_collector(Box::new(StoreFigures(store)));
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
        let (db, wal) = self.0.file_sizes();
        gauge(
            &mut encoder,
            "database_file",
            "Size of the database file.",
            Some(&Unit::Bytes),
            db as i64,
        )?;
        gauge(
            &mut encoder,
            "database_wal",
            "Size of the write-ahead log.",
            Some(&Unit::Bytes),
            wal as i64,
        )
    }
}
