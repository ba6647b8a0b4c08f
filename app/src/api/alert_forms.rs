//! The alerts page's forms, posted as plain HTML forms (no script, so the
//! page ships no code for them): each server function does its change
//! and sends the browser back to `/alerts` saying what happened
//! (`done=`) or what was wrong (`error=`, with the rule form's fields so
//! it opens again as it was).

// A form's fields arrive as the server function's arguments, one each.
#![allow(clippy::too_many_arguments)]

use super::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::backend,
    crate::domain::{encode_query_value, parse_span, Direction, NoDataAs, TimeSpec},
    crate::model::{
        AlertRuleDraft, ContactPointDraft, ContactTarget, ErrorBody, Labels, Reducer, SilenceDraft, SmtpTls,
        WebhookFormat,
    },
};

/// Sends the browser back to the alerts page with `outcome`'s message,
/// and `keep` (a query string) on failure.
#[cfg(feature = "ssr")]
fn back(outcome: Result<String, ErrorBody>, keep: &str) -> Result<(), AppError> {
    let to = match outcome {
        Ok(done) => format!("/alerts?done={}", encode_query_value(&done)),
        Err(e) => format!("/alerts?error={}{keep}", encode_query_value(&e.message)),
    };
    backend()?.redirect(&to);
    Ok(())
}

/// A number field: empty is none.
#[cfg(feature = "ssr")]
fn number(name: &str, text: &str) -> Result<Option<f64>, ErrorBody> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| ErrorBody::new("invalid_rule", format!("{name}: `{t}` is not a number")))
}

#[cfg(feature = "ssr")]
fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Adds an alert rule from the page's form (every field as typed).
#[server(prefix = "/rpc", endpoint = "add_alert_rule")]
pub async fn add_alert_rule(
    name: String,
    series: String,
    select: String,
    reducer: String,
    window: String,
    direction: String,
    warning: String,
    critical: String,
    recovery: String,
    every: String,
    pending: String,
    no_data_as: String,
    summary: String,
) -> Result<(), AppError> {
    let fields = [
        ("name", &name),
        ("series", &series),
        ("select", &select),
        ("reducer", &reducer),
        ("window", &window),
        ("direction", &direction),
        ("warning", &warning),
        ("critical", &critical),
        ("recovery", &recovery),
        ("every", &every),
        ("for", &pending),
        ("no_data_as", &no_data_as),
        ("summary", &summary),
    ];
    let keep: String = fields
        .iter()
        .map(|(k, v)| format!("&{k}={}", encode_query_value(v)))
        .collect();
    let draft = (|| {
        Ok::<_, ErrorBody>(AlertRuleDraft {
            name: name.clone(),
            series: series.trim().to_owned(),
            select: optional(&select),
            aggregate: None,
            by: Vec::new(),
            reducer: match reducer.as_str() {
                "avg" => Reducer::Avg,
                "min" => Reducer::Min,
                "max" => Reducer::Max,
                "count" => Reducer::Count,
                "rate" => Reducer::Rate,
                _ => Reducer::Last,
            },
            window: optional(&window),
            direction: if direction == "below" {
                Direction::Below
            } else {
                Direction::Above
            },
            warning: number("warning", &warning)?,
            critical: number("critical", &critical)?,
            recovery: number("recovers past", &recovery)?,
            every: optional(&every),
            pending: optional(&pending),
            keep_firing: None,
            no_data_after: None,
            no_data_as: Some(match no_data_as.as_str() {
                "ok" => NoDataAs::Ok,
                "keep_last" => NoDataAs::KeepLast,
                _ => NoDataAs::Alerting,
            }),
            labels: Labels::new(),
            annotations: optional(&summary)
                .map(|s| [("summary".to_owned(), s)].into())
                .unwrap_or_default(),
            contact_points: Vec::new(),
        })
    })();
    let outcome = match draft {
        Ok(draft) => backend()?
            .save_alert_rule(None, draft)
            .await
            .map(|()| format!("Rule \"{}\" saved: it is evaluated from now on.", name.trim())),
        Err(e) => Err(e),
    };
    back(outcome, &keep)
}

/// Deletes an alert rule.
#[server(prefix = "/rpc", endpoint = "remove_alert_rule")]
pub async fn remove_alert_rule(id: i64) -> Result<(), AppError> {
    let outcome = backend()?
        .delete_alert_rule(id)
        .await
        .map(|()| "Rule deleted.".to_owned());
    back(outcome, "")
}

/// Adds a silence lasting `lasting` (a span like `2h`) from now.
#[server(prefix = "/rpc", endpoint = "add_silence")]
pub async fn add_silence(
    matchers: String,
    lasting: String,
    created_by: String,
    comment: String,
) -> Result<(), AppError> {
    let outcome = match parse_span(&lasting) {
        None => Err(ErrorBody::new(
            "invalid_silence",
            format!("for: `{lasting}` is not a span like 30m, 2h or 1d"),
        )),
        Some(ms) => backend()?
            .save_silence(SilenceDraft {
                matchers,
                starts: None,
                ends: TimeSpec::FromNow(ms),
                created_by,
                comment,
                daily: None,
            })
            .await
            .map(|()| "Silence added.".to_owned()),
    };
    back(outcome, "")
}

/// Ends a silence.
#[server(prefix = "/rpc", endpoint = "end_silence")]
pub async fn end_silence(id: i64) -> Result<(), AppError> {
    let outcome = backend()?
        .delete_silence(id)
        .await
        .map(|()| "Silence ended.".to_owned());
    back(outcome, "")
}

/// Adds a contact point; `url` for a webhook, Alertmanager or Slack, the
/// rest for email (STARTTLS).
#[server(prefix = "/rpc", endpoint = "add_contact_point")]
pub async fn add_contact_point(
    name: String,
    kind: String,
    url: String,
    to: String,
    from: String,
    smtp_host: String,
    smtp_port: String,
) -> Result<(), AppError> {
    let url = url.trim().to_owned();
    let target = match kind.as_str() {
        "alertmanager" => ContactTarget::Alertmanager { url },
        "slack" => ContactTarget::Slack { url },
        "web_push" => ContactTarget::WebPush {},
        "email" => ContactTarget::Email {
            to: to
                .split(',')
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect(),
            from: from.trim().to_owned(),
            smtp_host: smtp_host.trim().to_owned(),
            smtp_port: smtp_port.trim().parse().unwrap_or(587),
            tls: SmtpTls::Starttls,
            username: None,
            password: None,
        },
        _ => ContactTarget::Webhook {
            url,
            format: WebhookFormat::Sensorboard,
        },
    };
    let outcome = backend()?
        .save_contact_point(ContactPointDraft {
            name: name.clone(),
            target,
            repeat: None,
        })
        .await
        .map(|()| format!("Contact point \"{}\" added.", name.trim()));
    back(outcome, "")
}

/// Deletes a contact point.
#[server(prefix = "/rpc", endpoint = "remove_contact_point")]
pub async fn remove_contact_point(id: i64) -> Result<(), AppError> {
    let outcome = backend()?
        .delete_contact_point(id)
        .await
        .map(|()| "Contact point deleted.".to_owned());
    back(outcome, "")
}

/// Sends a test notification to a contact point.
#[server(prefix = "/rpc", endpoint = "test_contact_point")]
pub async fn test_contact_point(id: i64) -> Result<(), AppError> {
    let outcome = match backend()?.test_contact_point(id).await {
        Ok(true) => Ok(format!("Contact point {id} took the test notification.")),
        Ok(false) => Err(ErrorBody::new(
            "not_delivered",
            format!("contact point {id} did not take the test notification: see the deliveries"),
        )),
        Err(e) => Err(e),
    };
    back(outcome, "")
}
