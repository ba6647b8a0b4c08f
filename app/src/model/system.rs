//! What the System page shows: the server's own figures, which it records
//! every few seconds as series under `sensorboard.` (so they chart like any
//! other data), and its slowest recent queries.

use super::{Dashboard, PanelKind, PanelSpec, Thresholds};
use serde::{Deserialize, Serialize};

/// Names of the server's own series start with this.
pub const SYSTEM_PREFIX: &str = "sensorboard.";

/// One query that took long to compute, for the System page's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlowQuery {
    pub series: String,
    /// The window, epoch milliseconds.
    pub from: i64,
    pub to: i64,
    pub points: usize,
    /// The tier it read (`raw`, `1m`, `1h`).
    pub resolution: String,
    pub rows_read: u64,
    /// Time to compute the answer, microseconds.
    pub took_us: u64,
    /// When it ran, epoch milliseconds.
    pub at: i64,
}

/// The panels of the System page, over the series the server records.
pub fn system_dashboard() -> Dashboard {
    let panel = |title: &str, series: &[&str], unit: &str| PanelSpec {
        title: title.to_owned(),
        kind: PanelKind::Chart,
        series: series.iter().map(|s| (*s).to_owned()).collect(),
        unit: Some(unit.to_owned()),
        thresholds: Thresholds::default(),
        width: None,
        height: None,
        axis: Default::default(),
        transform: None,
        mappings: Vec::new(),
        colors: Vec::new(),
        stack: false,
        right_axis: Vec::new(),
        selection: None,
    };
    Dashboard {
        id: 0,
        title: "System".to_owned(),
        panels: vec![
            panel(
                "Request latency",
                &[
                    "sensorboard.http.latency_ms{quantile=\"p50\"}",
                    "sensorboard.http.latency_ms{quantile=\"p95\"}",
                    "sensorboard.http.latency_ms{quantile=\"p99\"}",
                ],
                "ms",
            ),
            panel("Requests", &["sensorboard.http.requests_per_s"], "req/s"),
            panel("Ingest rate", &["sensorboard.ingest.points_per_s"], "points/s"),
            panel("Query cache hit rate", &["sensorboard.cache.hit_percent"], "%"),
            panel("Server memory", &["sensorboard.process.rss_mib"], "MiB"),
            panel("Database size", &["sensorboard.database.size_mib"], "MiB"),
        ],
        variables: Vec::new(),
        updated: 0,
    }
}
