//! The alerting figures of `/metrics`, read from the scheduler at scrape
//! time: evaluations and their failures, time spent in rounds, instances
//! by state (a fixed set of label values), notifications sent and failed.

use super::{counter, gauge};
use crate::alerts::Alerts;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::Unit;
use std::fmt;
use std::sync::atomic::Ordering::Relaxed;

/// Every state an instance can be in, so each is reported (0 included).
const STATES: [&str; 6] = ["normal", "pending", "firing", "recovering", "no_data", "error"];

pub struct AlertFigures(pub Alerts);

impl fmt::Debug for AlertFigures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AlertFigures")
    }
}

impl Collector for AlertFigures {
    fn encode(&self, mut encoder: DescriptorEncoder) -> fmt::Result {
        let f = self.0.figures();
        let e = &mut encoder;
        counter(
            e,
            "alert_evaluations",
            "Rule evaluations (one query each).",
            f.evaluations.load(Relaxed),
        )?;
        counter(
            e,
            "alert_evaluation_failures",
            "Rule evaluations whose query failed (their instances are in error).",
            f.failed_evaluations.load(Relaxed),
        )?;
        counter(
            e,
            "alert_rounds",
            "Scheduler rounds that evaluated due rules.",
            f.rounds.load(Relaxed),
        )?;
        counter(
            e,
            "alert_round_microseconds",
            "Total time spent in scheduler rounds (queries, state steps, storing transitions).",
            f.round_micros.load(Relaxed),
        )?;
        counter(
            e,
            "alert_notifications_sent",
            "Notifications a contact point took.",
            f.notifications_sent.load(Relaxed),
        )?;
        counter(
            e,
            "alert_notification_failures",
            "Notification attempts that failed (each retry counts).",
            f.notification_failures.load(Relaxed),
        )?;
        let census = self.0.census();
        let mut family = e.encode_descriptor(
            "alert_instances",
            "Alert instances by state.",
            None::<&Unit>,
            MetricType::Gauge,
        )?;
        for state in STATES {
            let n = census.get(state).copied().unwrap_or(0);
            ConstGauge::new(n as i64).encode(family.encode_family(&[("state", state)])?)?;
        }
        gauge(
            e,
            "alert_rules",
            "Alert rules loaded by the scheduler.",
            None,
            self.0.rule_count() as i64,
        )
    }
}
