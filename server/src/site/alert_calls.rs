//! The alerting half of the UI's backend: the alerts page's overview and
//! its changes (checked and applied as the REST handlers do), and the
//! alerts' firing periods as notes for a dashboard's charts.

use super::backend::body;
use crate::alerts::{Alerts, ALERT_NAME, SERIES_LABEL};
use crate::error::ApiError;
use crate::store::{CompiledSelector, Store};
use app::domain::{alert_periods, AlertState, Direction, Severity, NAME_LABEL};
use app::model::{
    AlertInstance, AlertOverview, AlertRule, AlertRuleDraft, Annotation, ContactPoint, ContactPointDraft,
    ContactTarget, ErrorBody, InstanceRow, Listed, Silence, SilenceDraft, WebhookFormat, ALERT_FIRING_TAG,
};

/// How far back the state history is read for periods still open.
const LOOKBACK_MS: i64 = 7 * 86_400_000;
/// Deliveries the overview lists.
const DELIVERIES_SHOWN: usize = 50;

pub async fn overview(store: &Store, alerts: &Alerts) -> Result<AlertOverview, ErrorBody> {
    let now = crate::clock::now_ms();
    let mut deliveries = store.deliveries(None, now - 86_400_000, now).await.map_err(body)?;
    deliveries.truncate(DELIVERIES_SHOWN);
    let rules = store.alert_rules().await.map_err(body)?;
    let silences = store.silences(now).await.map_err(body)?;
    let points = store.contact_points().await.map_err(body)?;
    Ok(AlertOverview {
        instances: alerts.instances().iter().map(instance_row).collect(),
        rules: rules.iter().map(rule_line).collect(),
        silences: silences.iter().map(silence_line).collect(),
        contact_points: points.iter().map(contact_line).collect(),
        deliveries,
    })
}

fn severity_word(s: Option<Severity>) -> &'static str {
    match s {
        Some(Severity::Warning) => "warning",
        Some(Severity::Critical) => "critical",
        None => "",
    }
}

fn instance_row(i: &AlertInstance) -> InstanceRow {
    let shown = i
        .labels
        .iter()
        .filter(|(k, _)| k.as_str() != ALERT_NAME)
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let matchers = i
        .labels
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect::<Vec<_>>()
        .join(", ");
    InstanceRow {
        rule_name: i.rule_name.clone(),
        labels: shown,
        matchers: format!("{{{matchers}}}"),
        state: i.state.name().to_owned(),
        severity: severity_word(i.severity).to_owned(),
        value: i.value,
        since: i.state.since(),
        detail: match &i.state {
            AlertState::Error { message, .. } => Some(message.clone()),
            _ => None,
        },
        silenced_by: i.silenced_by,
    }
}

fn rule_line(r: &AlertRule) -> Listed {
    let d = &r.rule;
    let sign = match d.direction {
        Direction::Above => "≥",
        Direction::Below => "≤",
    };
    let levels = [("warning", d.warning), ("critical", d.critical)]
        .iter()
        .filter_map(|(w, v)| v.map(|v| format!("{w} {sign} {v}")))
        .collect::<Vec<_>>()
        .join(", ");
    let reducer = serde_json::to_value(d.reducer)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    Listed {
        id: r.id,
        name: d.name.clone(),
        text: format!(
            "{reducer} of {} over {}: {levels}; every {}",
            d.select.as_deref().unwrap_or(&d.series),
            d.window.as_deref().unwrap_or("5m"),
            d.every.as_deref().unwrap_or("15s")
        ),
    }
}

fn silence_line(s: &Silence) -> Listed {
    let window = s
        .daily
        .as_ref()
        .map(|d| format!(", daily {}–{} UTC", d.from, d.to))
        .unwrap_or_default();
    Listed {
        id: s.id,
        name: s.matchers.clone(),
        text: format!(
            "until {}{window}, by {}: {}",
            crate::clock::rfc3339(s.ends),
            s.created_by,
            s.comment
        ),
    }
}

/// A contact point in words, its secrets left out.
fn contact_line(p: &ContactPoint) -> Listed {
    let shown = p.clone().redacted();
    let text = match &shown.point.target {
        ContactTarget::Webhook { url, format } => match format {
            WebhookFormat::Sensorboard => format!("webhook {url}"),
            WebhookFormat::Alertmanager => format!("webhook (Alertmanager format) {url}"),
        },
        ContactTarget::Alertmanager { url } => format!("Alertmanager {url}"),
        ContactTarget::Slack { url } => format!("Slack {url}"),
        ContactTarget::Email { to, smtp_host, .. } => format!("email to {} via {smtp_host}", to.join(", ")),
    };
    Listed {
        id: p.id,
        name: p.point.name.clone(),
        text,
    }
}

pub async fn save_rule(
    store: &Store,
    alerts: &Alerts,
    id: Option<i64>,
    draft: AlertRuleDraft,
) -> Result<(), ErrorBody> {
    let draft = draft.checked()?.draft;
    let saved = match id {
        None => store.create_alert_rule(draft).await.map(Some),
        Some(id) => store.replace_alert_rule(id, draft).await,
    }
    .map_err(body)?;
    alerts.rules_changed();
    saved
        .map(|_| ())
        .ok_or_else(|| body(ApiError::not_found("rule_not_found", "there is no such alert rule")))
}

pub async fn delete_rule(store: &Store, alerts: &Alerts, id: i64) -> Result<(), ErrorBody> {
    let gone = store.delete_alert_rule(id).await.map_err(body)?;
    alerts.rules_changed();
    gone.then_some(()).ok_or_else(|| {
        body(ApiError::not_found(
            "rule_not_found",
            format!("there is no alert rule {id}"),
        ))
    })
}

pub async fn save_silence(store: &Store, alerts: &Alerts, draft: SilenceDraft) -> Result<(), ErrorBody> {
    let checked = draft.checked(crate::clock::now_ms())?;
    CompiledSelector::from_text(&checked.matchers)
        .map_err(|e| body(ApiError::bad_request("invalid_silence", format!("matchers: {e}"))))?;
    store.create_silence(checked).await.map_err(body)?;
    alerts.silences_changed();
    Ok(())
}

pub async fn delete_silence(store: &Store, alerts: &Alerts, id: i64) -> Result<(), ErrorBody> {
    let gone = store.delete_silence(id).await.map_err(body)?;
    alerts.silences_changed();
    gone.then_some(()).ok_or_else(|| {
        body(ApiError::not_found(
            "silence_not_found",
            format!("there is no silence {id}"),
        ))
    })
}

pub async fn save_contact_point(store: &Store, draft: ContactPointDraft) -> Result<(), ErrorBody> {
    let (draft, _) = draft.checked()?;
    store.create_contact_point(draft).await.map_err(body)?;
    Ok(())
}

pub async fn delete_contact_point(store: &Store, id: i64) -> Result<(), ErrorBody> {
    let gone = store.delete_contact_point(id).await.map_err(body)?;
    gone.then_some(()).ok_or_else(|| {
        body(ApiError::not_found(
            "contact_point_not_found",
            format!("there is no contact point {id}"),
        ))
    })
}

pub async fn test_contact_point(store: &Store, alerts: &Alerts, id: i64) -> Result<bool, ErrorBody> {
    let point = store.contact_point(id).await.map_err(body)?.ok_or_else(|| {
        body(ApiError::not_found(
            "contact_point_not_found",
            format!("there is no contact point {id}"),
        ))
    })?;
    Ok(alerts.send_test(&point).await)
}

/// The alerts' firing periods overlapping `[from, to]` as notes of
/// `dashboard`: each names its instance's series (or its rule's
/// selector), so only the panels showing it draw it; one still firing
/// ends at `to` and carries the `firing` tag.
pub async fn firing_notes(store: &Store, dashboard: i64, from: i64, to: i64) -> Result<Vec<Annotation>, ErrorBody> {
    let history = store.alert_history(None, from - LOOKBACK_MS, to).await.map_err(body)?;
    if history.is_empty() {
        return Ok(Vec::new());
    }
    let rules = store.alert_rules().await.map_err(body)?;
    let notes = alert_periods(&history, from, to)
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let rule = rules.iter().find(|r| r.id == p.rule);
            let series = match (p.labels.get(SERIES_LABEL), rule) {
                (Some(s), _) => vec![s.clone()],
                (None, Some(r)) => r.rule.select.clone().into_iter().collect(),
                (None, None) => Vec::new(),
            };
            let name = rule.map_or_else(|| format!("rule {}", p.rule), |r| r.rule.name.clone());
            let which: Vec<String> = p
                .labels
                .iter()
                .filter(|(k, _)| ![ALERT_NAME, SERIES_LABEL, NAME_LABEL].contains(&k.as_str()))
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let word = match p.severity {
                Severity::Warning => "warning",
                Severity::Critical => "critical",
            };
            let mut text = format!("Alert {name}: {word}");
            if !which.is_empty() {
                text.push_str(&format!(" ({})", which.join(", ")));
            }
            let mut tags = vec!["alert".to_owned(), word.to_owned()];
            if p.end.is_none() {
                tags.push(ALERT_FIRING_TAG.to_owned());
            }
            Annotation {
                id: -(i as i64) - 1,
                dashboard: Some(dashboard),
                time: p.start,
                end: p.end.unwrap_or(to).max(p.start),
                text,
                tags,
                updated: p.start,
                series,
                alert: Some(p.severity),
            }
        })
        .collect();
    Ok(notes)
}
