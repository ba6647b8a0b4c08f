//! The bodies each kind of contact point receives, built from a notice.
//!
//! - sensorboard's webhook document (documented in the README):
//!   `{"version": "1", "status", "title", "rule": {"id", "name"},
//!   "severity", "alerts": [{"status", "state", "severity", "value",
//!   "labels", "annotations", "starts_at", "ends_at", "url"}], "sent_at"}`,
//!   times in epoch milliseconds;
//! - Alertmanager's webhook format, version 4, for receivers written for
//!   Alertmanager;
//! - Alertmanager's own `POST /api/v2/alerts` list;
//! - a Slack message;
//! - an email's subject and text.

use super::notice::{format_value, Notice, NoticeAlert};
use crate::clock::rfc3339;
use app::domain::Severity;
use app::model::Labels;
use serde_json::{json, Value};
use std::hash::{Hash, Hasher};

/// How long Alertmanager keeps a firing alert without hearing of it
/// again; it is re-posted well within that while it fires.
pub const ALERTMANAGER_HOLD_MS: i64 = 5 * 60_000;

fn status(a: &NoticeAlert) -> &'static str {
    if a.firing {
        "firing"
    } else {
        "resolved"
    }
}

fn group_status(notice: &Notice) -> &'static str {
    if notice.alerts.iter().any(|a| a.firing) {
        "firing"
    } else {
        "resolved"
    }
}

/// sensorboard's own webhook document.
pub fn sensorboard(notice: &Notice) -> Value {
    let alerts: Vec<Value> = notice
        .alerts
        .iter()
        .map(|a| {
            json!({
                "status": status(a),
                "state": a.state,
                "severity": a.severity.map(Severity::as_str),
                "value": a.value,
                "labels": a.labels,
                "annotations": a.annotations,
                "starts_at": a.starts,
                "ends_at": a.ends,
                "url": a.url,
            })
        })
        .collect();
    json!({
        "version": "1",
        "event": notice.event.as_str(),
        "status": group_status(notice),
        "title": notice.title(),
        "rule": {"id": notice.rule, "name": notice.rule_name},
        "severity": notice.severity().map(Severity::as_str),
        "alerts": alerts,
        "sent_at": notice.at,
    })
}

/// Alertmanager's webhook format (version 4): what its receivers parse.
pub fn alertmanager_webhook(notice: &Notice, receiver: &str, external_url: &str) -> Value {
    let common = |pick: fn(&NoticeAlert) -> &Labels| -> Labels {
        let mut alerts = notice.alerts.iter();
        let Some(first) = alerts.next() else {
            return Labels::new();
        };
        let mut shared = pick(first).clone();
        for a in alerts {
            shared.retain(|k, v| pick(a).get(k) == Some(v));
        }
        shared
    };
    let alerts: Vec<Value> = notice
        .alerts
        .iter()
        .map(|a| {
            json!({
                "status": status(a),
                "labels": am_labels(a),
                "annotations": a.annotations,
                "startsAt": rfc3339(a.starts),
                "endsAt": a.ends.map_or_else(|| "0001-01-01T00:00:00Z".to_owned(), rfc3339),
                "generatorURL": a.url,
                "fingerprint": fingerprint(&a.labels),
            })
        })
        .collect();
    json!({
        "version": "4",
        "groupKey": format!("{{}}:{{alertname=\"{}\"}}", notice.rule_name),
        "truncatedAlerts": 0,
        "status": group_status(notice),
        "receiver": receiver,
        "groupLabels": {"alertname": notice.rule_name},
        "commonLabels": common(|a| &a.labels),
        "commonAnnotations": common(|a| &a.annotations),
        "externalURL": external_url,
        "alerts": alerts,
    })
}

/// The body of `POST /api/v2/alerts`: firing alerts held for
/// [`ALERTMANAGER_HOLD_MS`] past `now`, resolved ones ended.
pub fn alertmanager_alerts<'a>(alerts: impl IntoIterator<Item = &'a NoticeAlert>, now: i64) -> Value {
    let list: Vec<Value> = alerts
        .into_iter()
        .map(|a| {
            json!({
                "labels": am_labels(a),
                "annotations": a.annotations,
                "startsAt": rfc3339(a.starts),
                "endsAt": rfc3339(a.ends.unwrap_or(now + ALERTMANAGER_HOLD_MS)),
                "generatorURL": a.url,
            })
        })
        .collect();
    Value::Array(list)
}

/// A Slack message: the title, then a line per alert with its link.
pub fn slack(notice: &Notice) -> Value {
    json!({ "text": text(notice, true) })
}

/// What a Web Push notification shows, and opens when clicked: the title,
/// the first alert's summary (and how many more), its chart's address.
pub fn push_message(notice: &Notice) -> Value {
    let first = notice.alerts.first();
    let mut body = first
        .map(|a| {
            a.annotations
                .get("summary")
                .cloned()
                .unwrap_or_else(|| describe_labels(&a.labels))
        })
        .unwrap_or_default();
    if notice.alerts.len() > 1 {
        body.push_str(&format!(" (and {} more)", notice.alerts.len() - 1));
    }
    json!({
        "title": notice.title(),
        "body": body,
        "url": first.map(|a| a.url.as_str()).unwrap_or("/alerts"),
        "tag": format!("sensorboard-rule-{}", notice.rule),
    })
}

/// An email's subject and plain-text body.
pub fn email(notice: &Notice) -> (String, String) {
    (notice.title(), text(notice, false))
}

fn text(notice: &Notice, slack: bool) -> String {
    let mut out = if slack {
        format!("*{}*\n", notice.title())
    } else {
        format!("{}\n\n", notice.title())
    };
    for a in &notice.alerts {
        let what = a
            .annotations
            .get("summary")
            .cloned()
            .unwrap_or_else(|| describe_labels(&a.labels));
        let value = a.value.map(format_value).unwrap_or_else(|| "no value".into());
        let severity = a.severity.map(|s| format!(" {}", s.as_str())).unwrap_or_default();
        let link = if slack {
            format!("<{}|chart>", a.url)
        } else {
            a.url.clone()
        };
        out.push_str(&format!("- {}{severity}: {what} (value {value}) {link}\n", status(a)));
        if let Some(d) = a.annotations.get("description").filter(|_| !slack) {
            out.push_str(&format!("  {d}\n"));
        }
    }
    out
}

fn describe_labels(labels: &Labels) -> String {
    labels
        .iter()
        .filter(|(k, _)| k.as_str() != super::ALERT_NAME)
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The labels with `severity` added, as Alertmanager routes on it.
fn am_labels(a: &NoticeAlert) -> Labels {
    let mut labels = a.labels.clone();
    if let Some(s) = a.severity {
        labels.entry("severity".into()).or_insert_with(|| s.as_str().into());
    }
    labels
}

fn fingerprint(labels: &Labels) -> String {
    let mut h = std::hash::DefaultHasher::new();
    labels.hash(&mut h);
    format!("{:016x}", h.finish())
}

#[cfg(test)]
#[path = "payload_tests.rs"]
mod tests;
